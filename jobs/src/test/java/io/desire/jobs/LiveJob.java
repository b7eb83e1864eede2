package io.desire.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The streaming job running on the test's mini cluster against the local Kafka and Elasticsearch,
 * with a producer for its input topic and reads of the documents an app would read. Closing it
 * cancels the job and closes the producer.
 */
final class LiveJob implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobConfig cfg;
    private final KafkaProducer<byte[], byte[]> producer;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JobClient job;

    private LiveJob(JobConfig cfg, KafkaProducer<byte[], byte[]> producer, JobClient job) {
        this.cfg = cfg;
        this.producer = producer;
        this.job = job;
    }

    /** Creates the input and dead-letter topics, wires the job as {@code flink run} would, and starts it. */
    static LiveJob start(JobConfig cfg, String name) throws Exception {
        return start(cfg, name, null);
    }

    /** As {@link #start(JobConfig, String)}, restoring the savepoint at {@code restore} when not null. */
    static LiveJob start(JobConfig cfg, String name, String restore) throws Exception {
        String bootstrap = cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP);
        io.desire.jobs.io.Topics.ensure(
                bootstrap, cfg.getString(ConfigKeys.KAFKA_TOPIC), cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        Configuration conf = JobEnvironment.flinkConfiguration(new Configuration(), cfg);
        if (restore != null) {
            conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, restore);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamingJob.wire(env, cfg);
        return new LiveJob(cfg, producer, env.executeAsync(name));
    }

    /** Sends one raw event to the input topic, keyed by {@code key} (null: no key). */
    void send(String key, String json) {
        producer.send(new ProducerRecord<>(
                cfg.getString(ConfigKeys.KAFKA_TOPIC),
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8)));
    }

    void flush() {
        producer.flush();
    }

    /** The document with this id as an app reads it by id ({@code _source} and metadata), or null. */
    JsonNode document(String id) throws Exception {
        String url = cfg.getString(ConfigKeys.ES_HOSTS).split(",")[0] + "/" + cfg.getString(ConfigKeys.ES_INDEX)
                + "/_doc/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        HttpResponse<String> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    }

    /** Reads the document until {@code condition} holds; null if it does not within {@code within}. */
    JsonNode pollDocument(String id, java.util.function.Predicate<JsonNode> condition, java.time.Duration within)
            throws Exception {
        return Eventually.pollNonNull(within, () -> {
            JsonNode doc = document(id);
            return doc != null && condition.test(doc) ? doc : null;
        });
    }

    /** Triggers a canonical savepoint under {@code dir} while the job keeps running; returns its path. */
    String savepoint(java.nio.file.Path dir) throws Exception {
        return job.triggerSavepoint(
                        dir.toUri().toString(), org.apache.flink.core.execution.SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            job.cancel().get(60, TimeUnit.SECONDS);
        } finally {
            producer.close();
        }
    }
}
