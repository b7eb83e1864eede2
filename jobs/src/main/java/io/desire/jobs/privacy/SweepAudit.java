package io.desire.jobs.privacy;

import io.desire.features.privacy.Erasure;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The erasure audit trail ({@code privacy.audit-topic}): one JSON record per completion, keyed by the
 * request id — {@code state+documents} (the request's committed erasure-log record, which the job
 * commits with the checkpoint that holds the cleared state and flushed the document deletes) and, per
 * snapshot, {@code snapshot} with {@code action} {@code removed} (rewritten without the user),
 * {@code absent} (taken after the request: nothing to remove) or {@code deleted} (retention). The topic
 * is created with {@code retention.ms=-1}, one partition (records stay in order) and the broker's
 * default replication; writes are acknowledged by all replicas before the sweep
 * deletes anything.
 */
final class SweepAudit implements AutoCloseable {
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    SweepAudit(String bootstrap, Properties client, String topic) throws Exception {
        this.topic = topic;
        Properties p = io.desire.jobs.io.KafkaClientSettings.merged(new Properties(), client);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Properties adminProps = io.desire.jobs.io.KafkaClientSettings.merged(new Properties(), client);
        adminProps.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(adminProps)) {
            // partitions and settings from topics.tsv (role erasure-audit); the broker's default replication
            io.desire.jobs.io.TopicSpecs.Spec spec = io.desire.jobs.io.TopicSpecs.of("erasure-audit");
            admin.createTopics(java.util.List.of(
                            new NewTopic(topic, java.util.Optional.of(spec.partitions()), java.util.Optional.empty())
                                    .configs(spec.settings())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        this.producer = new KafkaProducer<>(p);
    }

    /** Records that {@code e} is complete in {@code where} ({@code state+documents} or {@code snapshot}). */
    void record(Erasure e, String where, String snapshot, String action, long at) throws Exception {
        String json = "{\"request_id\":" + quote(e.requestId) + ",\"user\":" + quote(e.user) + ",\"logged_at\":"
                + e.loggedAt
                + ",\"completed\":\"" + where + "\""
                + (snapshot == null ? "" : ",\"snapshot\":" + quote(snapshot) + ",\"action\":\"" + action + "\"")
                + ",\"at\":" + at + "}";
        String key = e.requestId == null ? e.user : e.requestId;
        producer.send(new ProducerRecord<>(
                        topic, key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }

    private static String quote(String s) {
        return s == null ? "null" : '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public void close() {
        producer.close();
    }
}
