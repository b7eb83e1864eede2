package io.desire.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/desire} as a user would, against the Flink cluster, Kafka and Elasticsearch that
 * {@code bin/desire test} started in its home (passed as {@code desire.it.flink.home}).
 */
final class DesireCli {
    private final Path script = Path.of("..", "bin", "desire").toAbsolutePath().normalize();
    private final String home;

    private DesireCli(String home) {
        this.home = home;
    }

    /** The command-line tool on the suite's home; fails with a clear message outside `bin/desire test`. */
    static DesireCli forSuite() {
        String home = System.getProperty("desire.it.flink.home");
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("The cluster tests need the Flink cluster that `bin/desire test` starts:"
                    + " system property desire.it.flink.home is not set.");
        }
        return new DesireCli(home);
    }

    /** What one command did. */
    record Result(int exitCode, String stdout, String stderr) {
        /** The last line of standard output (commands print their answer there: a job id, a path). */
        String answer() {
            String[] lines = stdout.strip().split("\n");
            return lines[lines.length - 1].strip();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("desire-cli", ".out");
        Path err = Files.createTempFile("desire-cli", ".err");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("DESIRE_HOME", home);
            pb.environment().remove("CI");
            Process p = pb.start();
            if (!p.waitFor(6, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "bin/desire " + String.join(" ", args) + " did not finish in 6 minutes");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs the command and returns its answer; a failing command fails the test with its output. */
    String answer(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("bin/desire " + String.join(" ", args) + " failed: " + r);
        }
        return r.answer();
    }

    String home() {
        return home;
    }
}
