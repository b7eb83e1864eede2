package io.desire.tools.bench;

import io.desire.tools.demo.PipelineObserver;
import io.desire.tools.demo.TrafficProducer;
import io.desire.tools.generator.EventGenerator;
import io.desire.tools.generator.World;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Operations figures of the standalone cluster, measured through {@code bin/desire} as a user runs
 * it: cluster start, job submission, a savepoint of the running job, stop-with-savepoint, restore
 * from it, and the savepoint sizes after a given amount of generated traffic. Each figure is the
 * wall time of one command, JVM start of the client included. Run with
 * {@code bin/desire ops-bench [--events N] [--rate R] [--users U] [--items I] [--parallelism P]}.
 */
public final class OperationsBenchmark {
    private final Path desire;
    private final Map<String, String> options;
    private final Map<String, String> figures = new LinkedHashMap<>();

    private OperationsBenchmark(Path desire, Map<String, String> options) {
        this.desire = desire;
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchmarkOptions.parse(args);
        String repo = System.getenv("DESIRE_REPO");
        if (repo == null || o.get("kafka-bootstrap") == null || o.get("es-url") == null) {
            System.err.println(
                    "Run through bin/desire ops-bench (it starts Kafka and Elasticsearch and sets DESIRE_REPO).");
            System.exit(2);
        }
        new OperationsBenchmark(Path.of(repo, "bin", "desire"), o).run();
    }

    private void run() throws Exception {
        long events = Long.parseLong(options.getOrDefault("events", "200000"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "5000"));
        int users = Integer.parseInt(options.getOrDefault("users", "20000"));
        int items = Integer.parseInt(options.getOrDefault("items", "2000"));
        String parallelism = options.getOrDefault("parallelism", "2");
        String run = Long.toString(System.currentTimeMillis(), 36);
        String topic = "ops-" + run + ".events";
        List<String> jobArgs = List.of(
                "--kafka.bootstrap",
                options.get("kafka-bootstrap"),
                "--es.hosts",
                options.get("es-url"),
                "--kafka.topic",
                topic,
                "--kafka.group",
                "ops-" + run,
                "--kafka.starting-offsets",
                "earliest",
                "--deadletter.topic",
                "ops-" + run + ".deadletter",
                "--es.index",
                "ops-" + run,
                "--topic.item-factors",
                "ops-" + run + ".item-factors",
                "--topic.ranker-weights",
                "ops-" + run + ".ranker-weights",
                "--checkpoint.interval",
                "5s");
        System.out.printf(
                "Operations benchmark: %,d events at %,.0f/s, %,d users, %,d items, parallelism %s%n",
                events, rate, users, items, parallelism);

        desire("cluster", "stop");
        timed("cluster start (JobManager + TaskManager until registered)", "cluster", "start");
        desire("topics", topic + ":4", "ops-" + run + ".deadletter:1");
        List<String> submit = new ArrayList<>(List.of("submit", "-p", parallelism, "--"));
        submit.addAll(jobArgs);
        String job = timed("submit (flink run -d until every task runs)", submit.toArray(String[]::new));

        long t0 = System.nanoTime();
        try (TrafficProducer traffic = new TrafficProducer(
                                options.get("kafka-bootstrap"),
                                topic,
                                new EventGenerator(new World(users, items, 7), 7, 0.0, 0.0),
                                rate)
                        .start();
                PipelineObserver observer = new PipelineObserver(
                        options.get("kafka-bootstrap"),
                        options.get("es-url"),
                        "ops-" + run,
                        topic,
                        "ops-" + run + ".deadletter",
                        "ops-" + run)) {
            long nextReport = System.nanoTime();
            boolean sending = true;
            while (true) {
                long lag = observer.lag(); // a Kafka admin round trip: it also paces this loop
                if (sending && traffic.sent() >= events) {
                    traffic.close();
                    sending = false;
                }
                if (!sending && lag == 0) {
                    break;
                }
                if (System.nanoTime() >= nextReport) {
                    System.out.printf(
                            "  [%4ds] sent %,d | not yet committed by the job %,d | documents %,d%n",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0),
                            traffic.sent(),
                            lag,
                            observer.documents());
                    nextReport += TimeUnit.SECONDS.toNanos(5);
                }
            }
            figures.put(
                    "traffic",
                    String.format(
                            "%,d events consumed and committed in %.1f s",
                            traffic.sent(), (System.nanoTime() - t0) / 1e9));
        }

        String running = timed("savepoint of the running job", "savepoint", job);
        figures.put("savepoint size (running)", size(running));
        String stopped = timed("stop-with-savepoint", "savepoint", job, "--stop");
        figures.put("savepoint size (stopped)", size(stopped));
        long bytes = SavepointBytes.of(stopped);
        figures.put(
                "savepoint bytes per user / per item",
                String.format(
                        "%,d / %,d (all state over %,d users and %,d items; includes de-duplication ids)",
                        bytes / users, bytes / items, users, items));
        List<String> restore = new ArrayList<>(List.of("submit", "-p", parallelism, "-s", stopped, "--"));
        restore.addAll(jobArgs);
        String restored = timed(
                "restore (run from the savepoint until every task runs and Flink reports it)",
                restore.toArray(String[]::new));
        desire("cancel", restored);

        System.out.println();
        System.out.println("Figures (one run; wall time of each bin/desire command, client JVM start included):");
        figures.forEach((k, v) -> System.out.printf("  %-75s %s%n", k, v));
    }

    private String timed(String label, String... args) throws Exception {
        long t = System.nanoTime();
        String answer = desire(args);
        figures.put(label, String.format("%.1f s", (System.nanoTime() - t) / 1e9));
        return answer;
    }

    /** Runs bin/desire; its stderr goes to ours, its last stdout line is the answer. */
    private String desire(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", desire.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bin/desire " + String.join(" ", args) + " failed:\n" + out);
        }
        String[] lines = out.split("\n");
        return lines[lines.length - 1].strip();
    }

    private static String size(String savepoint) throws IOException {
        return String.format("%,.1f MiB", SavepointBytes.of(savepoint) / (1024.0 * 1024.0));
    }
}
