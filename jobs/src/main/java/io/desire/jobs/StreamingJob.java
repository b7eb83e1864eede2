package io.desire.jobs;

import io.desire.features.event.DeadLetter;
import io.desire.features.event.RawRecord;
import io.desire.features.privacy.Erasure;
import io.desire.features.recs.Recommendation;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.config.PrivacySettings;
import io.desire.jobs.io.KafkaClientSettings;
import io.desire.jobs.io.KafkaConnectionCheck;
import io.desire.jobs.io.KafkaModelLoops;
import io.desire.jobs.io.KafkaRawRecords;
import io.desire.jobs.io.ModelLoops;
import io.desire.jobs.io.StartingOffsets;
import io.desire.jobs.io.Topics;
import io.desire.operators.Uids;
import io.desire.operators.privacy.ProtectDeadLetters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job: events from Kafka, recommendations to Elasticsearch, rejected records to the
 * dead-letter topic (or files). With {@code history.input} it first reads the history files and then
 * switches to Kafka at {@code history.cutover} (one job, Flink's HybridSource; see {@link HistoryInput}). Submit it with {@code flink run} or run it locally; see the README
 * for the configuration keys ({@code --key value}).
 */
public final class StreamingJob {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);

    private StreamingJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig cfg = JobConfig.fromArgs(args);
        LOG.info("Desire Engine streaming job, configuration {}", cfg.describe());
        StreamExecutionEnvironment env = JobEnvironment.create(cfg);
        wire(env, cfg);
        env.execute("desire-streaming");
    }

    /**
     * Wires the job with its real ends: Kafka in, Elasticsearch and dead-letter out, and — with
     * {@code learning.enabled} — the model loops through Kafka, whose topics it creates when missing.
     */
    public static void wire(StreamExecutionEnvironment env, JobConfig cfg) throws InterruptedException {
        // wrong credentials or an untrusted broker stop the submission here, with a message
        KafkaConnectionCheck.verify(cfg);
        ensureLoopTopics(cfg);
        Properties client = KafkaClientSettings.of(cfg);
        if (PrivacySettings.of(cfg).rawDeadLetters() == ProtectDeadLetters.Mode.TOPIC
                && cfg.getOptional(ConfigKeys.DEAD_LETTER_PATH) == null) {
            Topics.ensureRawDeadLetters(
                    cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP),
                    client,
                    cfg.getString(ConfigKeys.PRIVACY_RAW_DEAD_LETTER_TOPIC));
        }
        if (OutputSinks.erasureLogEnabled(cfg)) {
            Topics.ensureErasureLog(
                    cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP), client, cfg.getString(ConfigKeys.PRIVACY_ERASURE_TOPIC));
        }
        defineProductionWorkflow(env, cfg, System.currentTimeMillis());
    }

    /** With {@code learning.enabled}, creates the model loops' Kafka topics when missing. */
    public static void ensureLoopTopics(JobConfig cfg) throws InterruptedException {
        if (LearningPipeline.enabled(cfg)) {
            Topics.ensureLoops(
                    cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP),
                    KafkaClientSettings.of(cfg),
                    cfg.getString(ConfigKeys.TOPIC_ITEM_FACTORS),
                    cfg.getString(ConfigKeys.TOPIC_RANKER_WEIGHTS));
        }
    }

    /**
     * The model loops of a production job: through Kafka with {@code learning.enabled}, reading from
     * {@code loopStartMillis} unless restored; left open without learning.
     */
    public static ModelLoops modelLoops(JobConfig cfg, long loopStartMillis) {
        return LearningPipeline.enabled(cfg) ? new KafkaModelLoops(cfg, loopStartMillis) : ModelLoops.open();
    }

    /**
     * The graph {@link #wire} submits, without touching Kafka: loops (when learning is enabled) read
     * from {@code loopStartMillis} unless restored.
     */
    public static void defineProductionWorkflow(StreamExecutionEnvironment env, JobConfig cfg, long loopStartMillis) {
        ModelLoops loops = modelLoops(cfg, loopStartMillis);
        DataStream<RawRecord> raw;
        if (cfg.getOptional(ConfigKeys.HISTORY_INPUT) != null) {
            try {
                raw = HistoryInput.hybrid(env, cfg);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot list " + ConfigKeys.HISTORY_INPUT.name() + ": " + e.getMessage(), e);
            }
        } else {
            raw = env.fromSource(kafkaSource(cfg), WatermarkStrategy.noWatermarks(), "events")
                    .uid(Uids.EVENT_SOURCE);
        }
        defineWorkflow(raw, cfg, Sinks.production(cfg), loops);
    }

    /**
     * Where the workflow's outputs go. {@code erasures} may be null: the erasure requests are then
     * not kept (the backfill, whose history's {@code forget_user}s act on a new index generation).
     */
    public record Sinks(
            Consumer<DataStream<Recommendation>> recommendations,
            Consumer<DataStream<DeadLetter>> deadLetters,
            Consumer<DataStream<Erasure>> erasures) {
        public Sinks {
            if (recommendations == null || deadLetters == null) {
                throw new IllegalArgumentException("the recommendation and dead-letter sinks are required");
            }
        }

        /** The production sinks: recommendations to the alias {@code es.index}, dead letters, the erasure log. */
        public static Sinks production(JobConfig cfg) {
            return new Sinks(
                    recs -> recs.sinkTo(OutputSinks.recommendations(cfg))
                            .uid(Uids.RECOMMENDATION_SINK)
                            .name("elasticsearch: " + cfg.getString(ConfigKeys.ES_INDEX)),
                    dead -> OutputSinks.attachDeadLetters(dead, cfg),
                    erasures -> OutputSinks.attachErasureLog(erasures, cfg));
        }
    }

    /**
     * The job's one workflow: from a stream of raw records (Kafka, files, a HybridSource, or a test's
     * bounded source) through {@link RecommendationPipeline} into {@code sinks}, the model updates
     * round {@code loops}. Every entry point — the streaming job, the backfill, the benchmarks, the
     * tests — builds its graph here.
     */
    public static void defineWorkflow(DataStream<RawRecord> source, JobConfig cfg, Sinks sinks, ModelLoops loops) {
        RecommendationPipeline.Outputs out = RecommendationPipeline.build(source, cfg, loops);
        if (sinks.erasures() != null) {
            sinks.erasures().accept(out.erasures());
        }
        sinks.recommendations().accept(out.recommendations());
        sinks.deadLetters().accept(out.deadLetters());
        if (out.rawDeadLetters() != null) {
            // privacy.dead-letter-raw=topic: complete dead letters only on the protected topic
            OutputSinks.attachRawDeadLetters(out.rawDeadLetters(), cfg);
        }
    }

    /** The Kafka source of raw events; offsets live in checkpoints and are committed to the group. */
    public static KafkaSource<RawRecord> kafkaSource(JobConfig cfg) {
        return kafkaSource(cfg, StartingOffsets.parse(cfg.getString(ConfigKeys.KAFKA_START)));
    }

    /** The Kafka source of raw events, starting (without state) at {@code start}. */
    public static KafkaSource<RawRecord> kafkaSource(JobConfig cfg, OffsetsInitializer start) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP))
                .setTopics(cfg.getString(ConfigKeys.KAFKA_TOPIC))
                .setGroupId(cfg.getString(ConfigKeys.KAFKA_GROUP))
                .setStartingOffsets(start)
                .setDeserializer(new KafkaRawRecords())
                .setProperties(KafkaClientSettings.of(cfg))
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }
}
