package io.desire.tools.bench;

import io.desire.features.event.Event;
import io.desire.features.event.EventParser;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.jobs.JobEnvironment;
import io.desire.jobs.LearningPipeline;
import io.desire.jobs.OutputSinks;
import io.desire.jobs.RecommendationPipeline;
import io.desire.jobs.StreamingJob;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.LocalFolders;
import io.desire.operators.ParseEvents;
import io.desire.tools.demo.TrafficProducer;
import io.desire.tools.generator.EventGenerator;
import io.desire.tools.generator.World;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code bin/desire bench}: measures, in one run and side by side, the events/s of a bare pipeline
 * (generator → parse → keyBy(user) → count) and of the full recommendation pipeline with a
 * discarding sink — blend only, then with learning (ALS, co-visitation, FTRL; the model loops left
 * open, as in any bounded run) — and with the real Elasticsearch sink, then the freshness (ingestion into Kafka →
 * document readable by id in Elasticsearch) at a steady live rate. All runs use the same settings:
 * RocksDB (or the configured backend), checkpoints every 10 s, parallelism 2. Any job configuration key
 * may be passed as {@code --key value}.
 *
 * <p>Options: {@code --kafka-bootstrap}, {@code --es-url}, {@code --events 2000000},
 * {@code --parallelism 2}, {@code --rate 1000} (freshness), {@code --freshness-seconds 30},
 * {@code --only full|full-es} (the full pipeline alone, into a discarding sink or the local
 * Elasticsearch), {@code --profile cpu|itimer|wall|alloc|lock} (an
 * async-profiler flame graph of each measured run, see {@link BenchProfiler}) and {@code
 * --profile-dir DIR} (where they go; default {@code profile/} in the run's folder).
 */
public final class PipelineBenchmark {
    private static final Pattern EVENT_TIME = Pattern.compile("\"event_time\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String bootstrap = o.get("kafka-bootstrap");
        String esUrl = o.get("es-url");
        long events = Long.parseLong(o.getOrDefault("events", "2000000"));
        int parallelism = Integer.parseInt(o.getOrDefault("parallelism", "2"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "1000"));
        int freshnessSeconds = Integer.parseInt(o.getOrDefault("freshness-seconds", "30"));
        Path home = Files.createTempDirectory("desire-bench");
        String runId = Long.toString(System.currentTimeMillis(), 36);
        BenchProfiler profiler = BenchProfiler.create(
                o.get("profile"),
                Path.of(o.getOrDefault("profile-dir", home.resolve("profile").toString())));
        // Every run ends in System.exit: the checkpoints go then, and the folder unless it holds flame graphs.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> removeWorkFolder(home), "remove-bench-folder"));

        Map<String, String> base = new LinkedHashMap<>();
        base.put(ConfigKeys.PARALLELISM.name(), Integer.toString(parallelism));
        base.put(ConfigKeys.CHECKPOINT_INTERVAL.name(), "10s");
        base.put(
                ConfigKeys.CHECKPOINT_DIR.name(),
                home.resolve("checkpoints").toUri().toString());
        if (esUrl != null) {
            base.put(ConfigKeys.ES_HOSTS.name(), esUrl);
        }
        if (bootstrap != null) {
            base.put(ConfigKeys.KAFKA_BOOTSTRAP.name(), bootstrap);
        }
        // Any job configuration key may be given too, e.g. --state.backend hashmap.
        o.forEach((k, v) -> {
            if (ConfigKeys.byName(k) != null) {
                base.put(k, v);
            }
        });
        JobConfig cfg = JobConfig.of(base);

        System.out.printf(
                "Pipeline benchmark: %,d generated events per run, parallelism %d, %s state backend,"
                        + " checkpoints %s, %d cores%n",
                events,
                parallelism,
                cfg.getString(ConfigKeys.STATE_BACKEND),
                cfg.getString(ConfigKeys.CHECKPOINT_INTERVAL),
                Runtime.getRuntime().availableProcessors());
        String only = o.getOrDefault("only", "");
        if (only.equals("full")) {
            // For profiling the full pipeline alone.
            double full = profiled(profiler, "full", () -> runFull(cfg, events, null));
            System.out.printf("full pipeline, discarding sink                %,10.0f events/s%n", full);
            exit(home);
        }
        if (only.equals("full-es")) {
            // The full pipeline into the local Elasticsearch alone, e.g. to compare sink settings.
            if (esUrl == null) {
                throw new IllegalArgumentException(
                        "--only full-es needs --es-url (bin/desire bench passes the local one)");
            }
            JobConfig esCfg = cfg.with(ConfigKeys.ES_INDEX.name(), "bench-" + runId);
            double withEs = profiled(profiler, "full-es", () -> runFull(esCfg, events, esCfg));
            System.out.printf("full pipeline, Elasticsearch sink             %,10.0f events/s%n", withEs);
            exit(home);
        }
        if (!only.isEmpty()) {
            throw new IllegalArgumentException("--only is '" + only + "'; expected full or full-es");
        }
        System.out.println("warm-up ...");
        runBare(cfg, Math.min(events, 200_000));
        runFull(cfg, Math.min(events, 200_000), null);

        double bare = profiled(profiler, "bare", () -> runBare(cfg, events));
        System.out.printf("bare pipeline (parse, keyBy user, count)      %,10.0f events/s%n", bare);
        double blend = profiled(
                profiler, "blend", () -> runFull(cfg.with(ConfigKeys.LEARNING_ENABLED.name(), "false"), events, null));
        System.out.printf(
                "full pipeline, blend only, discarding sink    %,10.0f events/s  (%.2fx bare)%n", blend, blend / bare);
        double full = profiled(profiler, "full", () -> runFull(cfg, events, null));
        System.out.printf(
                "full pipeline%s, discarding sink %,10.0f events/s  (%.2fx bare)%n",
                LearningPipeline.enabled(cfg) ? " with learning" : ", blend only ", full, full / bare);
        if (esUrl != null) {
            JobConfig esCfg = cfg.with(ConfigKeys.ES_INDEX.name(), "bench-" + runId);
            double withEs = profiled(profiler, "full-es", () -> runFull(esCfg, events, esCfg));
            System.out.printf(
                    "full pipeline, Elasticsearch sink             %,10.0f events/s  (%.2fx bare)%n",
                    withEs, withEs / bare);
        }
        if (esUrl != null && bootstrap != null) {
            if (LearningPipeline.enabled(cfg)) {
                freshness(cfg.with(ConfigKeys.LEARNING_ENABLED.name(), "false"), runId + "b", rate, freshnessSeconds);
            }
            freshness(cfg, runId, rate, freshnessSeconds);
        } else {
            System.out.println("freshness: skipped (needs --kafka-bootstrap and --es-url)");
        }
        System.out.println(
                "Targets: full ≥ 0.5x bare and ≥ 50,000 events/s with the discarding sink; freshness p99 ≤ 1 s."
                        + " Figures vary with the machine's load: compare ratios from one run.");
        exit(home);
    }

    /**
     * Exits with status 0, within a minute. After the freshness runs cancel their live jobs, the JVM
     * was seen not to exit at all once every figure was printed (its jobs' tasks still cancelling,
     * {@link System#exit} not returning), which left the command waiting and Kafka and Elasticsearch
     * running. The watchdog removes the work folder and halts the JVM if the exit has not completed
     * by then.
     */
    private static void exit(Path home) {
        Thread watchdog = new Thread(
                () -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                        LockSupport.parkNanos(left);
                    }
                    System.err.println("the benchmark did not exit within 60 s (a cancelled job's task still"
                            + " cancelling); halting");
                    removeWorkFolder(home);
                    Runtime.getRuntime().halt(0);
                },
                "bench-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(0);
    }

    /** Deletes the run's checkpoints, and its folder when no flame graph was written into it. */
    private static void removeWorkFolder(Path home) {
        try {
            LocalFolders.deleteTree(home.resolve("checkpoints"));
            if (!Files.exists(home.resolve("profile"))) {
                LocalFolders.deleteTree(home);
            }
        } catch (java.io.IOException e) {
            System.err.println("could not remove the benchmark's folder " + home + ": " + e);
        }
    }

    /** A measured run, under the profiler when one is given; prints where its flame graph went. */
    private static double profiled(BenchProfiler profiler, String run, Callable<Double> measure) throws Exception {
        if (profiler == null) {
            return measure.call();
        }
        profiler.start();
        try {
            return measure.call();
        } finally {
            System.out.println("flame graph of the " + run + " run: " + profiler.stop(run));
        }
    }

    private static StreamExecutionEnvironment env(JobConfig cfg) {
        return StreamExecutionEnvironment.getExecutionEnvironment(
                JobEnvironment.flinkConfiguration(new Configuration(), cfg));
    }

    private static double runBare(JobConfig cfg, long events) throws Exception {
        StreamExecutionEnvironment env = env(cfg);
        DataStream<RawRecord> raw = env.fromSource(
                        GeneratedRawRecords.source(events, 20_000, 2_000, 7),
                        WatermarkStrategy.noWatermarks(),
                        "generator")
                .uid("bench-generator");
        raw.process(new ParseEvents(ParserConfig.defaults()))
                .uid("bench-parse")
                .filter(e -> e.userId != null)
                .keyBy(e -> e.userId)
                .process(new CountPerKey())
                .uid("bench-count")
                .sinkTo(new DiscardingSink<>());
        return rate(env.execute("bench-bare"), events);
    }

    private static double runFull(JobConfig cfg, long events, JobConfig esCfg) throws Exception {
        StreamExecutionEnvironment env = env(cfg);
        DataStream<RawRecord> raw = env.fromSource(
                        GeneratedRawRecords.source(events, 20_000, 2_000, 7),
                        WatermarkStrategy.noWatermarks(),
                        "generator")
                .uid("bench-generator");
        RecommendationPipeline.Outputs out = RecommendationPipeline.build(raw, cfg);
        if (esCfg == null) {
            out.recommendations().sinkTo(new DiscardingSink<>()).name("discard");
        } else {
            out.recommendations().sinkTo(OutputSinks.recommendations(esCfg)).name("elasticsearch");
        }
        out.deadLetters().sinkTo(new DiscardingSink<>()).name("discard dead letters");
        return rate(env.execute(esCfg == null ? "bench-full" : "bench-full-es"), events);
    }

    private static double rate(JobExecutionResult result, long events) {
        return events / (result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0);
    }

    /** Live freshness: the streaming job on Kafka at {@code rate} events/s, probes timed to Elasticsearch. */
    private static void freshness(JobConfig cfg, String runId, double rate, int seconds) throws Exception {
        String topic = "bench-events-" + runId;
        JobConfig live = cfg.with(ConfigKeys.KAFKA_TOPIC.name(), topic)
                .with(ConfigKeys.KAFKA_GROUP.name(), "bench-" + runId)
                .with(ConfigKeys.DEAD_LETTER_TOPIC.name(), "bench-deadletter-" + runId)
                .with(ConfigKeys.TOPIC_ITEM_FACTORS.name(), "bench-factors-" + runId)
                .with(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), "bench-weights-" + runId)
                .with(ConfigKeys.ES_INDEX.name(), "bench-live-" + runId)
                .with(ConfigKeys.PARALLELISM.name(), "1");
        String bootstrap = live.getString(ConfigKeys.KAFKA_BOOTSTRAP);
        String esUrl = live.getString(ConfigKeys.ES_HOSTS).split(",")[0];
        io.desire.jobs.io.Topics.ensure(bootstrap, topic, live.getString(ConfigKeys.DEAD_LETTER_TOPIC));
        StreamExecutionEnvironment env = env(live);
        StreamingJob.wire(env, live);
        JobClient job = env.executeAsync("bench-freshness");
        World world = new World(2000, 600, 11);
        EventParser parser = new EventParser(ParserConfig.defaults());
        HttpClient http = HttpClient.newHttpClient();
        List<Long> latencies = new ArrayList<>();
        Random random = new Random(5);
        EventGenerator probes = new EventGenerator(world, 99, 0, 0);
        try (TrafficProducer traffic = new TrafficProducer(
                                bootstrap, topic, new EventGenerator(world, 11, 0.005, 0.01), rate)
                        .start();
                KafkaProducer<byte[], byte[]> probeProducer = ProbeProducer.create(bootstrap)) {
            // Let the job start and the catalog pass before timing.
            waitForDocuments(http, esUrl, live.getString(ConfigKeys.ES_INDEX), 60);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end) {
                long ts = System.currentTimeMillis();
                byte[] probe = probes.behaviourEvent(random.nextInt(world.users()), ts);
                ParseOutcome parsed = parser.parse(new RawRecord(probe, "probe", ts));
                Event e = parsed.event();
                String id = e.userId + ":" + e.contextKey();
                long sentAt = System.nanoTime();
                probeProducer
                        .send(new ProducerRecord<>(topic, e.userId.getBytes(), probe))
                        .get();
                long seen = pollUntilReflected(
                        http, esUrl + "/" + live.getString(ConfigKeys.ES_INDEX) + "/_doc/" + id, ts, sentAt);
                if (seen > 0) {
                    latencies.add(seen);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // pacing of probes
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        Collections.sort(latencies);
        if (latencies.isEmpty()) {
            System.out.println("freshness: no probe became visible");
            return;
        }
        System.out.printf(
                "freshness%s at %.0f events/s (Kafka → Elasticsearch GET by id): p50 %d ms, p99 %d ms,"
                        + " max %d ms, %d probes%n",
                LearningPipeline.enabled(cfg) ? " with learning" : ", blend only",
                rate,
                pct(latencies, 0.50),
                pct(latencies, 0.99),
                latencies.get(latencies.size() - 1),
                latencies.size());
    }

    private static long pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /** Milliseconds from sending until the document reflects event time {@code ts}; -1 after 10 s. */
    private static long pollUntilReflected(HttpClient http, String docUrl, long ts, long sentAtNanos) throws Exception {
        long deadline = sentAtNanos + TimeUnit.SECONDS.toNanos(10);
        HttpRequest get = HttpRequest.newBuilder(URI.create(docUrl)).GET().build();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                Matcher m = EVENT_TIME.matcher(r.body());
                if (m.find() && Instant.parse(m.group(1)).toEpochMilli() >= ts) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAtNanos);
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling interval of the probe
        }
        return -1;
    }

    private static void waitForDocuments(HttpClient http, String esUrl, String alias, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        HttpRequest count = HttpRequest.newBuilder(URI.create(esUrl + "/" + alias + "/_count"))
                .GET()
                .build();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(count, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && !r.body().contains("\"count\":0")) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IllegalStateException("No document appeared in " + alias + " within " + seconds + " s");
    }

    /** Counts events per key: the stateful step of the bare pipeline. */
    static final class CountPerKey extends KeyedProcessFunction<String, Event, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
        }

        @Override
        public void processElement(Event e, Context ctx, Collector<Long> out) throws Exception {
            Long c = count.value();
            long n = c == null ? 1 : c + 1;
            count.update(n);
            out.collect(n);
        }
    }

    /** A plain producer for probe events. */
    static final class ProbeProducer {
        static KafkaProducer<byte[], byte[]> create(String bootstrap) {
            java.util.Properties p = new java.util.Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
            p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
            p.put("linger.ms", "0");
            return new KafkaProducer<>(p);
        }
    }
}
