package io.desire.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic of the suite's Kafka broker from its start, without a consumer group: what the job
 * committed (transactional writes that made it), or every record written so far. Reading blocks in
 * the consumer's own {@code poll}, so nothing here waits in a busy loop.
 */
public final class TopicRecords {
    private static final Duration POLL = Duration.ofMillis(500);

    private TopicRecords() {}

    /**
     * The committed values of {@code topic} as text, once at least {@code atLeast} are there or
     * {@code timeout} has passed (the caller asserts on what was read). Waits for the topic to exist.
     */
    public static List<String> committed(String topic, int atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer("read_committed")) {
            while (c.partitionsFor(topic).isEmpty() && System.nanoTime() < deadline) {
                c.poll(POLL);
            }
            List<TopicPartition> parts = fromTheStart(c, topic);
            while (values.size() < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    /**
     * Every record of {@code topic} up to its end offsets now, committed or not, as key, a space and
     * value (bytes read as ISO-8859-1, so any byte sequence can be searched for).
     */
    public static List<String> all(String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer("read_uncommitted")) {
            List<TopicPartition> parts = fromTheStart(c, topic);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    values.add((r.key() == null ? "" : new String(r.key(), StandardCharsets.ISO_8859_1)) + " "
                            + new String(r.value(), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return values;
    }

    private static List<TopicPartition> fromTheStart(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return parts;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
