package io.desire.features.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymizerTest {
    static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final byte[] KEY = HexFormat.of().parseHex(KEY_HEX);

    @TempDir
    Path dir;

    @Test
    void matchesTheDocumentedOpensslAndPythonComputation() {
        // printf %s user-42 | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY_HEX  → first 32 hex digits
        assertThat(new Pseudonymizer("k1", KEY).pseudonym("user-42")).isEqualTo("k1:74ea6318fd907a367325175cdf62f55d");
    }

    @Test
    void isDeterministicPerKeyAndDiffersBetweenKeysAndIds() {
        Pseudonymizer p = new Pseudonymizer("k1", KEY);
        byte[] other = KEY.clone();
        other[0] = 9;
        assertThat(p.pseudonym("u1")).isEqualTo(new Pseudonymizer("k1", KEY).pseudonym("u1"));
        assertThat(p.pseudonym("u1")).isNotEqualTo(p.pseudonym("u2"));
        assertThat(new Pseudonymizer("k2", other).pseudonym("u1"))
                .startsWith("k2:")
                .isNotEqualTo(p.pseudonym("u1").replace("k1:", "k2:"));
        assertThat(Pseudonymizer.isPseudonym(p.pseudonym("ünïcødé 用户"))).isTrue();
        assertThat(p.pseudonym(null)).isNull();
    }

    @Test
    void leavesItsOwnPseudonymsUnchanged() {
        Pseudonymizer p = new Pseudonymizer("k1", KEY);
        String once = p.pseudonym("u1");
        assertThat(p.pseudonym(once)).isEqualTo(once);
    }

    @Test
    void refusesShortKeysAndBadKeyIdsWithoutShowingTheKey() {
        assertThatThrownBy(() -> new Pseudonymizer("k1", new byte[16])).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> new Pseudonymizer("K 1", KEY)).hasMessageContaining("key id");
        assertThat(new Pseudonymizer("k1", KEY).toString())
                .doesNotContain(KEY_HEX)
                .doesNotContain("0001");
    }

    @Test
    void readsTheKeyFromAFileOrTheEnvironment() throws Exception {
        Path file = dir.resolve("key.hex");
        Files.writeString(file, "  " + KEY_HEX + "\n");
        assertThat(Pseudonymizer.from(PseudonymKeySource.of("k1", file.toString()))
                        .pseudonym("user-42"))
                .isEqualTo("k1:74ea6318fd907a367325175cdf62f55d");
        assertThat(PseudonymKeySource.of("k1", null).loadKey(Map.of(PseudonymKeySource.DEFAULT_ENV, KEY_HEX)))
                .isEqualTo(KEY);
    }

    @Test
    void keyErrorsNameTheSourceNeverTheContent() throws Exception {
        Path file = dir.resolve("bad.hex");
        String secretButShort = "abcdef0123456789";
        Files.writeString(file, secretButShort);
        assertThatThrownBy(() -> PseudonymKeySource.of("k1", file.toString()).loadKey())
                .hasMessageContaining(file.toString())
                .hasMessageContaining("8 bytes")
                .hasMessageNotContaining(secretButShort);
        Files.writeString(file, "not hex at all, a passphrase");
        assertThatThrownBy(() -> PseudonymKeySource.of("k1", file.toString()).loadKey())
                .hasMessageContaining("not hex")
                .hasMessageNotContaining("passphrase");
        assertThatThrownBy(
                        () -> PseudonymKeySource.of("k1", dir.resolve("missing").toString())
                                .loadKey())
                .hasMessageContaining("cannot read");
        assertThatThrownBy(() -> PseudonymKeySource.of("k1", null).loadKey(Map.of()))
                .hasMessageContaining(PseudonymKeySource.DEFAULT_ENV)
                .hasMessageContaining("privacy.key-file");
        assertThat(PseudonymKeySource.of("k1", file.toString()).toString()).doesNotContain("passphrase");
    }
}
