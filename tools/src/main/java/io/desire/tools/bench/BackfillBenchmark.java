package io.desire.tools.bench;

import io.desire.features.event.RawRecord;
import io.desire.jobs.JobEnvironment;
import io.desire.jobs.StreamingJob;
import io.desire.jobs.backfill.BackfillJob;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.LocalFolders;
import io.desire.jobs.io.ModelLoops;
import io.desire.jobs.io.Topics;
import io.desire.operators.Uids;
import io.desire.tools.generator.EventGenerator;
import io.desire.tools.generator.World;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Backfill against live replay, side by side in one run: the same events (generated, or a JSONL
 * history with {@code --history FILE}) learned (1) by the backfill from a file, ending in its
 * bootstrap savepoint, and (2) by the streaming job replaying them from a Kafka topic, until it has
 * read them all and stopped with a savepoint. Both run the full job (learning loops through Kafka,
 * documents into Elasticsearch) at the same parallelism in a local Flink in this JVM; each time runs
 * from the job's submission until its savepoint completed, so every event has gone through every
 * operator. The backfill runs first, so JIT warm-up favours the live replay.
 *
 * <p>Prints events/s of each, their ratio, and the bootstrap savepoint's size per user and per item.
 * {@code bin/desire backfill-bench [--events N] [--users U] [--items I] [--parallelism P] [--history FILE]
 * [--keep true]} [--key value]: any job configuration key, for both runs. Its working folder (the
 * generated events, both savepoints, the live job's checkpoints) is deleted at the end unless {@code
 * --keep true}, which prints where it is.
 */
public final class BackfillBenchmark {
    private final Map<String, String> options;
    private final String run = "bfb-" + Long.toString(System.currentTimeMillis(), 36);

    private BackfillBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchmarkOptions.parse(args);
        if (o.get("kafka-bootstrap") == null || o.get("es-url") == null) {
            System.err.println("Run through bin/desire backfill-bench (it starts Kafka and Elasticsearch).");
            System.exit(2);
        }
        new BackfillBenchmark(o).run(System.out);
    }

    private void run(PrintStream out) throws Exception {
        Path work = Files.createTempDirectory("desire-backfill-bench");
        try {
            run(work, out);
        } finally {
            if (Boolean.parseBoolean(options.getOrDefault("keep", "false"))) {
                out.println("kept the working folder " + work);
            } else {
                LocalFolders.deleteTree(work);
            }
        }
    }

    private void run(Path work, PrintStream out) throws Exception {
        Path history = options.containsKey("history")
                ? Path.of(options.get("history"))
                : generate(work.resolve("events.jsonl"));
        List<String> lines = Files.readAllLines(history, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
        Set<String> users = new HashSet<>();
        Set<String> items = new HashSet<>();
        for (String l : lines) {
            collect(l, "\"user_id\":\"", users);
            collect(l, "\"item_id\":\"", items);
        }
        String parallelism = options.getOrDefault("parallelism", "2");
        out.printf(
                Locale.ROOT,
                "Backfill benchmark: %,d events (%s), %,d users, %,d items, parallelism %s%n",
                lines.size(),
                history,
                users.size(),
                items.size(),
                parallelism);

        JobConfig backfillCfg = config("bf", parallelism)
                .with(ConfigKeys.HISTORY_INPUT.name(), history.toUri().toString())
                .with(
                        ConfigKeys.BACKFILL_BOOTSTRAP_DIR.name(),
                        work.resolve("bootstrap").toUri().toString())
                .with(ConfigKeys.BACKFILL_PROGRESS_INTERVAL.name(), "10s");
        BackfillJob.Summary backfill = BackfillJob.run(backfillCfg, out);
        double backfillRate = lines.size() / backfill.seconds();

        JobConfig liveCfg = config("live", parallelism)
                .with(
                        ConfigKeys.CHECKPOINT_DIR.name(),
                        work.resolve("live-checkpoints").toUri().toString());
        out.printf(
                "live replay: writing the %,d events to topic %s%n",
                lines.size(), liveCfg.getString(ConfigKeys.KAFKA_TOPIC));
        produce(liveCfg, lines);
        double liveSeconds = replay(liveCfg, lines.size(), work.resolve("live-savepoint"), out);
        double liveRate = lines.size() / liveSeconds;

        long bootstrapBytes = SavepointBytes.of(backfill.bootstrapSavepoint());
        // Keyed by user: what grows with the users (the rest is per item, or one model whatever the users).
        long userKeyedBytes = SavepointBytes.ofOperators(
                backfill.bootstrapSavepoint(), Set.of(Uids.USER_RECOMMENDER, Uids.ALS_USER_FACTORS));
        out.println();
        out.println("Figures (one run, one JVM; the machine is shared, so compare the ratio, not the absolute times):");
        out.printf(
                Locale.ROOT,
                "  %-58s %,.0f events/s (%.1f s, until its bootstrap savepoint was written;"
                        + " reading the files took %.1f s: %,.0f events/s)%n",
                "backfill from a file (no checkpoints, 30 s coalescing)",
                backfillRate,
                backfill.seconds(),
                backfill.readSeconds(),
                lines.size() / backfill.readSeconds());
        out.printf(
                Locale.ROOT,
                "  %-58s %,.0f events/s (%.1f s, until its savepoint completed)%n",
                "live replay through Kafka (checkpoints every 10 s)",
                liveRate,
                liveSeconds);
        out.printf(Locale.ROOT, "  %-58s %.2f×%n", "backfill / live replay", backfillRate / liveRate);
        out.printf(
                Locale.ROOT,
                "  %-58s %,.1f MiB: %,d B per user, %,d B per item (all state over %,d users, %,d items)%n",
                "bootstrap savepoint",
                bootstrapBytes / 1048576.0,
                bootstrapBytes / Math.max(1, users.size()),
                bootstrapBytes / Math.max(1, items.size()),
                users.size(),
                items.size());
        out.printf(
                Locale.ROOT,
                "  %-58s %,d B per user (the user recommender's and the ALS user factors' state)%n",
                "  of which keyed by user",
                userKeyedBytes / Math.max(1, users.size()));
    }

    private Path generate(Path file) throws IOException {
        int events = Integer.parseInt(options.getOrDefault("events", "100000"));
        int users = Integer.parseInt(options.getOrDefault("users", "10000"));
        int items = Integer.parseInt(options.getOrDefault("items", "1000"));
        EventGenerator generator = new EventGenerator(new World(users, items, 7), 7, 0.0, 0.0);
        // A day of history ending an hour ago, evenly spaced.
        long end = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        long step = Math.max(1, Duration.ofDays(1).toMillis() / events);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < events; i++) {
                w.write(new String(generator.next(end - (long) (events - i) * step), StandardCharsets.UTF_8));
                w.newLine();
            }
        }
        return file;
    }

    private JobConfig config(String name, String parallelism) {
        String id = run + "-" + name;
        JobConfig cfg = JobConfig.of(Map.ofEntries(
                Map.entry(ConfigKeys.KAFKA_BOOTSTRAP.name(), options.get("kafka-bootstrap")),
                Map.entry(ConfigKeys.ES_HOSTS.name(), options.get("es-url")),
                Map.entry(ConfigKeys.KAFKA_TOPIC.name(), id + ".events"),
                Map.entry(ConfigKeys.KAFKA_GROUP.name(), id),
                Map.entry(ConfigKeys.KAFKA_START.name(), "earliest"),
                Map.entry(ConfigKeys.DEAD_LETTER_TOPIC.name(), id + ".deadletter"),
                Map.entry(ConfigKeys.TOPIC_ITEM_FACTORS.name(), id + ".item-factors"),
                Map.entry(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), id + ".ranker-weights"),
                Map.entry(ConfigKeys.ES_INDEX.name(), id),
                Map.entry(ConfigKeys.PARALLELISM.name(), parallelism)));
        // Any job configuration key may be given too (e.g. --es.bulk-concurrency 1), for both runs.
        for (Map.Entry<String, String> o : options.entrySet()) {
            if (ConfigKeys.byName(o.getKey()) != null) {
                cfg = cfg.with(o.getKey(), o.getValue());
            }
        }
        return cfg;
    }

    private void produce(JobConfig cfg, List<String> lines) throws Exception {
        String bootstrap = cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP);
        Topics.ensure(bootstrap, cfg.getString(ConfigKeys.KAFKA_TOPIC), cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (String line : lines) {
                String user = field(line, "\"user_id\":\"");
                producer.send(new ProducerRecord<>(
                        cfg.getString(ConfigKeys.KAFKA_TOPIC),
                        user == null ? null : user.getBytes(StandardCharsets.UTF_8),
                        line.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** The streaming job over the topic until it has read {@code events}, then stopped with a savepoint. */
    private double replay(JobConfig cfg, long events, Path savepoints, PrintStream out) throws Exception {
        Configuration conf = JobEnvironment.flinkConfiguration(new Configuration(), cfg);
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamingJob.ensureLoopTopics(cfg);
        ModelLoops loops = StreamingJob.modelLoops(cfg, System.currentTimeMillis());
        DataStream<RawRecord> raw = env.fromSource(
                        StreamingJob.kafkaSource(cfg), WatermarkStrategy.noWatermarks(), "events")
                .uid(Uids.EVENT_SOURCE)
                .map(new Counted())
                .name("count (benchmark)");
        StreamingJob.defineWorkflow(raw, cfg, StreamingJob.Sinks.production(cfg), loops);
        long t0 = System.nanoTime();
        JobClient job = env.executeAsync("desire live replay (benchmark)");
        long nextReport = System.nanoTime();
        while (true) {
            JobStatus status = job.getJobStatus().get();
            if (status.isGloballyTerminalState()) {
                job.getJobExecutionResult().get();
                throw new IllegalStateException("the live replay ended " + status);
            }
            long read =
                    status == JobStatus.RUNNING ? counted(job.getAccumulators().get()) : 0;
            if (System.nanoTime() >= nextReport) {
                out.printf(
                        Locale.ROOT,
                        "[live     %7.1fs] %,d of %,d events read%n",
                        (System.nanoTime() - t0) / 1e9,
                        read,
                        events);
                nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            }
            if (read >= events) {
                break;
            }
            Thread.sleep(500);
        }
        job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long counted(Map<String, Object> acc) {
        Object v = acc.get(Counted.ACCUMULATOR);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /** Counts the records the replay's source has read (an accumulator the driver polls). */
    private static final class Counted extends RichMapFunction<RawRecord, RawRecord> {
        static final String ACCUMULATOR = "benchmark-records";
        private transient LongCounter records;

        @Override
        public void open(OpenContext openContext) {
            records = getRuntimeContext().getLongCounter(ACCUMULATOR);
        }

        @Override
        public RawRecord map(RawRecord r) {
            records.add(1);
            return r;
        }
    }

    private static void collect(String line, String prefix, Set<String> into) {
        String v = field(line, prefix);
        if (v != null) {
            into.add(v);
        }
    }

    private static String field(String line, String prefix) {
        int i = line.indexOf(prefix);
        if (i < 0) {
            return null;
        }
        int start = i + prefix.length();
        int end = line.indexOf('"', start);
        return end < 0 ? null : line.substring(start, end);
    }
}
