package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which checkpoint {@code bin/desire recover} starts a job from, over a retained-checkpoint folder laid
 * out as Flink leaves it after a JobManager loss: {@code checkpoints/<job>/chk-N/_metadata} for each
 * completed checkpoint, and a {@code chk-N} without {@code _metadata} for the one still in flight.
 */
class RecoverCommandTest {
    private static final String OLD_JOB = "a".repeat(32);
    private static final String NEW_JOB = "b".repeat(32);
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path home;

    @Test
    void choosesTheNewestCompletedCheckpointNotTheNewestFolder() throws Exception {
        completed(OLD_JOB, 7, 60);
        completed(OLD_JOB, 8, 50);
        inFlight(OLD_JOB, 9);
        Files.createDirectories(checkpoints().resolve(OLD_JOB).resolve("shared"));

        Result r = recover("--dry-run");

        assertThat(r.exitCode).as(r.err).isZero();
        assertThat(r.out.strip())
                .isEqualTo(checkpoints().resolve(OLD_JOB).resolve("chk-8").toString());
    }

    @Test
    void comparesCheckpointNumbersAsNumbers() throws Exception {
        completed(OLD_JOB, 9, 30);
        completed(OLD_JOB, 10, 30);

        assertThat(recover("--dry-run").out.strip()).endsWith("/chk-10");
    }

    @Test
    void withoutAJobTakesTheNewestCheckpointOfAnyJob() throws Exception {
        completed(OLD_JOB, 40, 120);
        completed(NEW_JOB, 3, 20);
        inFlight(NEW_JOB, 4);

        assertThat(recover("--dry-run").out.strip())
                .isEqualTo(checkpoint(NEW_JOB, 3).toString());
        assertThat(recover(OLD_JOB, "--dry-run").out.strip())
                .isEqualTo(checkpoint(OLD_JOB, 40).toString());
    }

    @Test
    void saysSoWhenNoCheckpointCompleted() throws Exception {
        inFlight(OLD_JOB, 1);

        Result r = recover(OLD_JOB, "--dry-run");

        assertThat(r.exitCode).isNotZero();
        assertThat(r.out).isEmpty();
        assertThat(r.err)
                .contains("no completed checkpoint of job " + OLD_JOB)
                .contains("still in flight")
                .contains("bin/desire submit");
        assertThat(recover(NEW_JOB, "--dry-run").err).contains("no completed checkpoint of job " + NEW_JOB);
    }

    private Path checkpoints() {
        return home.resolve("flink").resolve("checkpoints");
    }

    private Path checkpoint(String job, int n) {
        return checkpoints().resolve(job).resolve("chk-" + n);
    }

    /** A completed checkpoint whose metadata was written {@code secondsAgo} before {@link #NOW}. */
    private void completed(String job, int n, int secondsAgo) throws IOException {
        Path metadata = Files.createDirectories(checkpoint(job, n)).resolve("_metadata");
        Files.write(metadata, new byte[] {1});
        Files.setLastModifiedTime(metadata, FileTime.from(NOW.minusSeconds(secondsAgo)));
    }

    private void inFlight(String job, int n) throws IOException {
        Files.write(Files.createDirectories(checkpoint(job, n)).resolve("some-state-file"), new byte[] {1});
    }

    private record Result(int exitCode, String out, String err) {}

    private Result recover(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "bash",
                Path.of("..", "bin", "desire").toAbsolutePath().normalize().toString(),
                "recover"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "recover", ".out");
        Path err = Files.createTempFile(home, "recover", ".err");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("DESIRE_HOME", home.toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
                .as("bin/desire recover finished")
                .isTrue();
        return new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
