package io.desire.jobs.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code forget-sweep} is refused with a clear message before anything is read or changed. */
class ForgetSweepTest {
    @Test
    void noSuchSnapshotIsRefusedAndNothingChanges(@TempDir Path dir) throws Exception {
        Path kept = Files.createDirectories(dir.resolve("savepoint-1")).resolve("_metadata");
        Files.writeString(kept, "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = ForgetSweep.run(
                new String[] {
                    dir.resolve("savepoint-1").toString(),
                    dir.resolve("missing").toString(),
                    "--kafka.bootstrap",
                    "127.0.0.1:1"
                },
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("no such snapshot or directory")
                .contains("missing")
                .contains("nothing was changed");
        assertThat(kept).exists();
    }

    @Test
    void rewrittenSnapshotsStandNextToTheOldOneAndRecordTheLogTimeTheyCover(@TempDir Path dir) throws Exception {
        Path sp = Files.createDirectories(dir.resolve("savepoint-ab12-cd34"));
        Files.writeString(sp.resolve("_metadata"), "x");
        Snapshot s = Snapshot.at(sp);
        Path target = s.rewriteTarget(1_795_000_000_000L);
        assertThat(target).isEqualTo(dir.resolve("savepoint-ab12-cd34-swept-1795000000000"));
        Files.createDirectories(target);
        Files.writeString(target.resolve("_metadata"), "x");
        Snapshot swept = Snapshot.at(target);
        assertThat(swept.coversUntil()).isEqualTo(1_795_000_000_000L);
        assertThat(swept.rewriteTarget(1_796_000_000_000L))
                .isEqualTo(dir.resolve("savepoint-ab12-cd34-swept-1796000000000"));
        assertThat(Snapshot.under(dir)).extracting(Snapshot::dir).containsExactly(sp, target);
    }
}
