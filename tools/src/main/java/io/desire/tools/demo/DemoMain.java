package io.desire.tools.demo;

import io.desire.features.context.TimeBucketScheme;
import io.desire.jobs.JobEnvironment;
import io.desire.jobs.StreamingJob;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.Topics;
import io.desire.tools.demo.web.LivePage;
import io.desire.tools.demo.web.MetricsEndpoint;
import io.desire.tools.generator.EventGenerator;
import io.desire.tools.generator.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The demo: the streaming job on a local Flink, fed by the event generator through a real Kafka,
 * writing to a real Elasticsearch. Prints one progress line every few seconds and the curl commands
 * that read a user's recommendations; stops after {@code --duration} or on Ctrl-C. It also serves the
 * live page ({@link LivePage}) on 127.0.0.1 and prints its URL, and exposes the job's metrics on a
 * Prometheus endpoint that the page's status panel (and {@code bin/desire prometheus}) reads.
 *
 * <p>Options: {@code --kafka-bootstrap HOST:PORT}, {@code --es-url URL}, {@code --duration 2min}
 * (default: until Ctrl-C), {@code --rate 200} events/s, {@code --users 2000}, {@code --items 600},
 * {@code --seed 42}, {@code --home DIR} (checkpoints; default {@code $DESIRE_HOME}),
 * {@code --page-port 0} (0: a free port), {@code --metrics-port 0}, and any job configuration key as
 * {@code --key value}.
 */
public final class DemoMain {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, String> jobKeys = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                usage("Unexpected or incomplete argument: " + a);
            }
            String key = a.substring(2);
            String value = args[++i];
            if (ConfigKeys.byName(key) != null) {
                jobKeys.put(key, value);
            } else {
                opts.put(key, value);
            }
        }
        String bootstrap = require(opts, "kafka-bootstrap");
        String esUrl = require(opts, "es-url");
        Duration duration = opts.containsKey("duration") ? parseDuration(opts.remove("duration")) : null;
        double rate = Double.parseDouble(opts.getOrDefault("rate", "200"));
        int users = Integer.parseInt(opts.getOrDefault("users", "2000"));
        int items = Integer.parseInt(opts.getOrDefault("items", "600"));
        long seed = Long.parseLong(opts.getOrDefault("seed", "42"));
        Path home = Path.of(opts.getOrDefault("home", System.getenv().getOrDefault("DESIRE_HOME", ".desire/demo")))
                .toAbsolutePath();
        int pagePort = Integer.parseInt(opts.getOrDefault("page-port", "0"));
        int metricsPort = Integer.parseInt(opts.getOrDefault("metrics-port", "0"));
        opts.keySet()
                .removeAll(List.of(
                        "kafka-bootstrap",
                        "es-url",
                        "rate",
                        "users",
                        "items",
                        "seed",
                        "home",
                        "page-port",
                        "metrics-port"));
        if (!opts.isEmpty()) {
            usage("Unknown options " + opts.keySet() + ". Job keys: " + ConfigKeys.names());
        }

        Map<String, String> values = new LinkedHashMap<>();
        values.put(ConfigKeys.KAFKA_BOOTSTRAP.name(), bootstrap);
        values.put(ConfigKeys.ES_HOSTS.name(), esUrl);
        values.put(ConfigKeys.CHECKPOINT_INTERVAL.name(), "5s");
        // One subtask per operator unless asked: a local Flink would otherwise take one per core.
        values.put(ConfigKeys.PARALLELISM.name(), "1");
        values.put(
                ConfigKeys.CHECKPOINT_DIR.name(),
                home.resolve("checkpoints").toUri().toString());
        // A demo lasts minutes, not hours: short trending windows make context effects visible quickly.
        values.put(ConfigKeys.TRENDING_WINDOW.name(), "10min");
        values.put(ConfigKeys.TRENDING_SLIDE.name(), "30s");
        // The live page shows how fast a click changes the list: coalesce and flush sooner than a
        // production default (more, smaller writes at the demo's rate).
        values.put(ConfigKeys.COALESCE.name(), "100ms");
        values.put(ConfigKeys.ES_FLUSH_INTERVAL.name(), "100ms");
        values.putAll(jobKeys);
        JobConfig cfg = JobConfig.of(values);
        Files.createDirectories(home);

        String topic = cfg.getString(ConfigKeys.KAFKA_TOPIC);
        String deadLetterTopic = cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC);
        String alias = cfg.getString(ConfigKeys.ES_INDEX);
        Topics.ensure(bootstrap, topic, deadLetterTopic);

        System.out.println("Desire Engine demo: Kafka " + bootstrap + ", Elasticsearch " + esUrl + ", " + rate
                + " events/s" + (duration == null ? ", Ctrl-C to stop" : ", for " + duration));
        System.out.println(privacyNote(cfg));
        Configuration flink = new Configuration();
        MetricsEndpoint metrics = MetricsEndpoint.configure(flink, metricsPort, home);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(JobEnvironment.flinkConfiguration(flink, cfg));
        StreamingJob.wire(env, cfg);
        // the streaming job's name, so the PromQL and alert rules of docs/metrics.md apply as they are
        JobClient job = env.executeAsync("desire-streaming");
        System.out.println("Flink job " + job.getJobID() + " running on a local Flink");

        EventGenerator generator = new EventGenerator(new World(users, items, seed), seed, 0.005, 0.01);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                stopped.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "desire-demo-shutdown"));

        long started = System.nanoTime();
        try (metrics;
                TrafficProducer traffic = new TrafficProducer(bootstrap, topic, generator, rate).start();
                PipelineObserver observer = new PipelineObserver(
                        bootstrap, esUrl, alias, topic, deadLetterTopic, cfg.getString(ConfigKeys.KAFKA_GROUP));
                LivePage page = LivePage.start(new LivePage.Settings(
                        bootstrap,
                        topic,
                        esUrl,
                        alias,
                        metrics.url(),
                        TimeBucketScheme.valueOf(
                                cfg.getString(ConfigKeys.TIME_BUCKETS).trim().toUpperCase()),
                        pagePort,
                        rate))) {
            System.out.println();
            System.out.println("Live page: " + page.url() + "   (job metrics: " + metrics.url() + ")");
            System.out.println();
            boolean printedCurl = false;
            while (!stop.await(3, TimeUnit.SECONDS)) {
                long docs = observer.documents();
                long dead = observer.deadLetters();
                long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                long p50 = page.latency().quantile(0.5);
                System.out.printf(
                        "[%4ds] events in %,d | documents %,d | dead letters %,d | lag %,d | model %s%s%n",
                        elapsed,
                        traffic.sent(),
                        Math.max(docs, 0),
                        dead,
                        observer.lag(),
                        observer.latestModelVersion(),
                        p50 < 0
                                ? ""
                                : String.format(
                                        " | click->list p50 %d ms (%d clicks)",
                                        p50, page.latency().count()));
                if (!printedCurl && docs > 0) {
                    printedCurl = printCurl(observer, esUrl, alias);
                }
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    System.out.println("The job ended: " + job.getJobStatus().get() + " (see the log for the cause)");
                    break;
                }
                if (duration != null && System.nanoTime() - started >= duration.toNanos()) {
                    break;
                }
            }
            System.out.println("Stopping: " + traffic.sent() + " events sent, " + observer.documents()
                    + " documents, " + observer.deadLetters() + " dead letters"
                    + (observer.lastDeadLetter() == null ? "" : "; last dead letter: " + observer.lastDeadLetter()));
        } finally {
            cancel(job);
            stopped.countDown();
        }
        exitWithin(Duration.ofSeconds(30));
    }

    /**
     * Exits, or halts when the shutdown hooks take longer than {@code grace}: a task of the local
     * cluster that does not respond to cancellation would otherwise keep the demo (and the servers
     * the script waits to stop) alive indefinitely. The job is already cancelled and every client
     * closed when this runs.
     */
    private static void exitWithin(Duration grace) {
        Thread watchdog = new Thread(
                () -> {
                    long deadline = System.nanoTime() + grace.toNanos();
                    for (long left = grace.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(
                                left); // may return early: loop to the deadline
                    }
                    System.err.println("Shutdown did not finish within " + grace.toSeconds() + " s; halting.");
                    Runtime.getRuntime().halt(0);
                },
                "exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(0);
    }

    private static boolean printCurl(PipelineObserver observer, String esUrl, String alias) {
        String id = observer.sampleDocumentId();
        if (id == null) {
            return false;
        }
        String[] parts = id.split(":");
        String user = parts[0];
        String device = parts[parts.length - 1];
        String bucket = parts[parts.length - 2];
        System.out.println();
        System.out.println("Read recommendations as an app would:");
        System.out.println("  curl -s '" + esUrl + "/" + alias + "/_doc/" + id + "?pretty'");
        System.out.println("  curl -s '" + esUrl + "/" + alias + "/_search?pretty&q=user:" + user + "'");
        System.out.println("  curl -s -H 'Content-Type: application/json' '" + esUrl + "/" + alias
                + "/_search?pretty' -d '{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"context.time_bucket\":\""
                + bucket + "\"}},{\"term\":{\"context.device\":\"" + device + "\"}}]}},\"size\":3}'");
        System.out.println();
        return true;
    }

    private static void cancel(JobClient job) {
        try {
            if (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            System.err.println("Cancelling the job failed: " + e);
        }
    }

    private static Duration parseDuration(String s) {
        Duration d = JobConfig.parseDuration(s);
        if (d == null || d.isZero() || d.isNegative()) {
            usage("--duration is '" + s + "'; expected e.g. 90s, 5min, 1h");
        }
        return d;
    }

    private static String require(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null) {
            usage("Missing --" + key);
        }
        return v;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("Usage: DemoMain --kafka-bootstrap HOST:PORT --es-url URL [--duration 2min] [--rate 200]"
                + " [--users 2000] [--items 600] [--seed 42] [--home DIR] [--page-port 0] [--metrics-port 0]"
                + " [--<job key> value ...]");
        System.exit(2);
    }

    /** What the demo does with user ids and trending counts: the demo's defaults keep them plain, and says so. */
    static String privacyNote(JobConfig cfg) {
        boolean pseudonyms = cfg.getBoolean(ConfigKeys.PRIVACY_PSEUDONYMS);
        String eps = cfg.getString(ConfigKeys.DP_EPSILON);
        return "Privacy: "
                + (pseudonyms
                        ? "user ids pseudonymised (key " + cfg.getString(ConfigKeys.PRIVACY_KEY_ID) + ")"
                        : "user ids kept IN THE CLEAR (privacy.pseudonyms=false)")
                + ", "
                + ("off".equalsIgnoreCase(eps.trim())
                        ? "trending counts exact (privacy.dp.epsilon=off)"
                        : "trending counts differentially private (ε=" + eps + ")")
                + (pseudonyms && !"off".equalsIgnoreCase(eps.trim())
                        ? ""
                        : "; the deployment files turn both on, see docs/privacy.md");
    }
}
