package io.desire.jobs;

import io.desire.features.event.DeadLetter;
import io.desire.features.privacy.Erasure;
import io.desire.features.recs.Recommendation;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.config.Secrets;
import io.desire.jobs.io.KafkaClientSettings;
import io.desire.operators.Uids;
import io.desire.sinks.deadletter.DeadLetterSinks;
import io.desire.sinks.elasticsearch.ElasticsearchSink;
import io.desire.sinks.elasticsearch.ElasticsearchSinkBuilder;
import io.desire.sinks.elasticsearch.RecommendationDocuments;
import io.desire.sinks.privacy.ErasureLogSink;
import java.nio.file.Path;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Builds the job's real sinks from its configuration. */
public final class OutputSinks {
    private OutputSinks() {}

    /** The Elasticsearch sink of recommendation documents behind the configured alias. */
    public static ElasticsearchSink<Recommendation> recommendations(JobConfig cfg) {
        return configured(
                RecommendationDocuments.sinkBuilder(cfg.getString(ConfigKeys.ES_INDEX), 0, searchableItems(cfg)), cfg);
    }

    /**
     * The Elasticsearch sink of recommendation documents into one generation {@code index} of the
     * configured alias (a backfill's fresh index), which the alias does not point to yet.
     */
    public static ElasticsearchSink<Recommendation> recommendationsInto(JobConfig cfg, String index) {
        return configured(
                RecommendationDocuments.generationSinkBuilder(
                        cfg.getString(ConfigKeys.ES_INDEX), index, 0, searchableItems(cfg)),
                cfg);
    }

    /** {@code es.searchable-items}: whether the documents' items are indexed for search. */
    public static boolean searchableItems(JobConfig cfg) {
        return cfg.getBoolean(ConfigKeys.ES_SEARCHABLE_ITEMS);
    }

    /** {@code es.bulk-size} as a size ("5mb", "512kb", bytes). */
    static MemorySize bulkSize(JobConfig cfg) {
        String v = cfg.getString(ConfigKeys.ES_BULK_SIZE).trim();
        try {
            return MemorySize.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    ConfigKeys.ES_BULK_SIZE.name() + " is '" + v + "'; expected a size such as 5mb or 512kb", e);
        }
    }

    private static ElasticsearchSink<Recommendation> configured(
            ElasticsearchSinkBuilder<Recommendation> builder, JobConfig cfg) {
        ElasticsearchSinkBuilder<Recommendation> b = builder.setHosts(
                        cfg.getString(ConfigKeys.ES_HOSTS).split("\\s*,\\s*"))
                .setBulkFlushInterval(cfg.getDuration(ConfigKeys.ES_FLUSH_INTERVAL))
                .setBulkFlushMaxActions(cfg.getInt(ConfigKeys.ES_BULK_ACTIONS, 1, 100_000))
                .setBulkFlushMaxSize(bulkSize(cfg))
                .setBulkConcurrency(
                        cfg.getInt(ConfigKeys.ES_BULK_CONCURRENCY, 1, ElasticsearchSinkBuilder.MAX_BULK_CONCURRENCY));
        String user = cfg.getOptional(ConfigKeys.ES_USERNAME);
        String apiKey = Secrets.read(cfg, ConfigKeys.ES_API_KEY, ConfigKeys.ES_API_KEY_FILE);
        if (user != null) {
            b.setBasicAuth(user, Secrets.read(cfg, ConfigKeys.ES_PASSWORD, ConfigKeys.ES_PASSWORD_FILE));
        }
        if (apiKey != null) {
            b.setApiKey(apiKey);
        }
        String ca = cfg.getOptional(ConfigKeys.ES_CA_CERT);
        if (ca != null) {
            b.setCaCertificate(Path.of(ca));
        }
        String trustStore = cfg.getOptional(ConfigKeys.ES_TRUST_STORE);
        if (trustStore != null) {
            b.setTrustStore(Path.of(trustStore), cfg.getOptional(ConfigKeys.ES_TRUST_STORE_PASSWORD));
        }
        return b.build();
    }

    /** Sends dead letters to the Kafka topic (transactional) or, when configured, to files. */
    public static void attachDeadLetters(DataStream<DeadLetter> deadLetters, JobConfig cfg) {
        String path = cfg.getOptional(ConfigKeys.DEAD_LETTER_PATH);
        if (path != null) {
            deadLetters
                    .sinkTo(DeadLetterSinks.file(path))
                    .uid(Uids.DEAD_LETTER_SINK)
                    .name("dead letters: " + path);
        } else {
            String topic = cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC);
            deadLetters
                    .sinkTo(DeadLetterSinks.kafka(
                            cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP),
                            topic,
                            "desire-dead-letters-" + topic,
                            KafkaClientSettings.of(cfg)))
                    .uid(Uids.DEAD_LETTER_SINK)
                    .name("dead letters: " + topic);
        }
    }

    /** Whether {@code privacy.erasure-topic} names a topic (not {@code none}). */
    public static boolean erasureLogEnabled(JobConfig cfg) {
        String topic = cfg.getString(ConfigKeys.PRIVACY_ERASURE_TOPIC);
        return topic != null && !topic.isBlank() && !topic.trim().equalsIgnoreCase("none");
    }

    /** Writes the erasure requests to {@code privacy.erasure-topic} (transactional), unless it is {@code none}. */
    public static void attachErasureLog(DataStream<Erasure> erasures, JobConfig cfg) {
        if (!erasureLogEnabled(cfg)) {
            return;
        }
        String topic = cfg.getString(ConfigKeys.PRIVACY_ERASURE_TOPIC).trim();
        erasures.sinkTo(ErasureLogSink.kafka(
                        cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP),
                        topic,
                        "desire-erasures-" + topic,
                        KafkaClientSettings.of(cfg)))
                .uid(Uids.ERASURE_LOG_SINK)
                .name("erasure log: " + topic);
    }

    /**
     * Sends complete dead letters (with raw payloads, which hold raw user ids) to the separately
     * protected topic {@code privacy.raw-dead-letter-topic} (transactional), or — with {@code
     * deadletter.path} — to files under {@code <deadletter.path>.raw}.
     */
    public static void attachRawDeadLetters(DataStream<DeadLetter> raw, JobConfig cfg) {
        String path = cfg.getOptional(ConfigKeys.DEAD_LETTER_PATH);
        if (path != null) {
            String rawPath = path.replaceAll("/+$", "") + ".raw";
            raw.sinkTo(DeadLetterSinks.file(rawPath))
                    .uid(Uids.RAW_DEAD_LETTER_SINK)
                    .name("raw dead letters: " + rawPath);
        } else {
            String topic = cfg.getString(ConfigKeys.PRIVACY_RAW_DEAD_LETTER_TOPIC);
            raw.sinkTo(DeadLetterSinks.kafka(
                            cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP),
                            topic,
                            "desire-dead-letters-" + topic,
                            KafkaClientSettings.of(cfg)))
                    .uid(Uids.RAW_DEAD_LETTER_SINK)
                    .name("raw dead letters: " + topic);
        }
    }
}
