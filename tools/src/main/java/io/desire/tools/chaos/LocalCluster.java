package io.desire.tools.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The local Kafka, Elasticsearch and Flink cluster of one {@code DESIRE_HOME}, driven the way a user
 * drives them: through {@code bin/desire}, and with signals to the PIDs it records. The output of every
 * command is appended to {@code DESIRE_HOME/chaos/desire.log}.
 */
public final class LocalCluster {
    /** The processes a fault can signal, by the name of their PID file. */
    public enum Service {
        TASKMANAGER("flink/taskmanager.pid"),
        JOBMANAGER("flink/jobmanager.pid"),
        KAFKA("kafka/kafka.pid"),
        ES("es/es.pid");

        private final String pidFile;

        Service(String pidFile) {
            this.pidFile = pidFile;
        }
    }

    private final Path desire;
    private final Path home;
    private final Path log;

    public LocalCluster(Path desire, Path home) throws IOException {
        this.desire = desire;
        this.home = home;
        this.log = Files.createDirectories(home.resolve("chaos")).resolve("desire.log");
    }

    public Path home() {
        return home;
    }

    /** Runs {@code bin/desire args...}; returns the last line it printed, or fails with its output. */
    public String desire(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", desire.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home.resolve("chaos"), "desire", ".out");
        try {
            Files.writeString(
                    log,
                    "\n$ bin/desire " + String.join(" ", args) + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("DESIRE_HOME", home.toString());
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("bin/desire " + String.join(" ", args) + " did not finish in 10 minutes");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8).strip();
            Files.writeString(log, stdout + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            if (p.exitValue() != 0) {
                throw new IOException("bin/desire " + String.join(" ", args) + " failed (exit " + p.exitValue()
                        + "); its output is in " + log);
            }
            String[] lines = stdout.split("\n");
            return lines[lines.length - 1].strip();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The PID of a running service of this home, if its PID file names a live process. */
    public OptionalLong pid(Service service) throws IOException {
        Path f = home.resolve(service.pidFile);
        if (!Files.isRegularFile(f)) {
            return OptionalLong.empty();
        }
        String text = Files.readString(f).strip();
        if (!text.matches("[0-9]+")) {
            return OptionalLong.empty();
        }
        long pid = Long.parseLong(text);
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()
                ? OptionalLong.of(pid)
                : OptionalLong.empty();
    }

    /** Sends {@code signal} (KILL, STOP, CONT) to the service's process; returns its PID. */
    public long signal(Service service, String signal) throws IOException, InterruptedException {
        long pid = pid(service).orElseThrow(() -> new IllegalStateException(service + " is not running in " + home));
        Process p = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("kill -s " + signal + " " + pid + " failed: " + out);
        }
        return pid;
    }

    /** Waits until the process {@code pid} has gone (after a SIGKILL it goes within moments). */
    public static void awaitExit(long pid) throws InterruptedException {
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
    }

    /** The Flink REST endpoint as the cluster recorded it (it may change when the JobManager restarts). */
    public String flinkUrl() throws IOException {
        Path ports = home.resolve("flink").resolve("ports.env");
        for (String line : Files.readAllLines(ports)) {
            if (line.startsWith("FLINK_REST_PORT=")) {
                return "http://127.0.0.1:"
                        + line.substring("FLINK_REST_PORT=".length()).strip();
            }
        }
        throw new IOException("no FLINK_REST_PORT in " + ports);
    }

    /** Where the cluster keeps the retained checkpoints of {@code job}. */
    public Path checkpointsOf(String job) {
        return home.resolve("flink").resolve("checkpoints").resolve(job);
    }

    /** Whether the Flink cluster of this home is up (both JVMs alive). */
    public boolean clusterRunning() throws IOException {
        return pid(Service.JOBMANAGER).isPresent() && pid(Service.TASKMANAGER).isPresent();
    }
}
