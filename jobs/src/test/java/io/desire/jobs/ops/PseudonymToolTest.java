package io.desire.jobs.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymToolTest {
    @TempDir
    Path dir;

    @Test
    void printsThePseudonymTheJobComputesAndNeverTheKey() throws Exception {
        String key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        Path file = dir.resolve("key.hex");
        Files.writeString(file, key);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = PseudonymTool.run(
                new String[] {"--key-file", file.toString(), "user-42", "user-43"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
                .hasSize(2)
                .first()
                .isEqualTo("k1:74ea6318fd907a367325175cdf62f55d");
        assertThat(out.toString(StandardCharsets.UTF_8) + err).doesNotContain(key);
    }

    @Test
    void explainsAMissingKey() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = PseudonymTool.run(
                new String[] {"--key-file", dir.resolve("none").toString(), "u1"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read the pseudonym key");
    }
}
