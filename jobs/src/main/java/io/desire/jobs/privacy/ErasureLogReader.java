package io.desire.jobs.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.features.privacy.Erasure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole erasure log ({@code privacy.erasure-topic}) as committed: every partition from its
 * start to its end at the time of the call, {@code read_committed}, no consumer group. Fails with a
 * message naming the topic — and the offset of the first record it cannot parse — rather than return
 * a partial log, so a sweep never runs on a list it has not fully read.
 */
final class ErasureLogReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErasureLogReader() {}

    static List<Erasure> readAll(String bootstrap, Properties client, String topic, Duration within) {
        Properties p = io.desire.jobs.io.KafkaClientSettings.merged(new Properties(), client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(within.toMillis()));
        List<Erasure> log = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            Map<String, List<PartitionInfo>> topics = c.listTopics(within);
            List<PartitionInfo> infos = topics.get(topic);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("erasure log topic '" + topic + "' does not exist at " + bootstrap);
            }
            List<TopicPartition> parts = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, within);
            long deadline = System.nanoTime() + within.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "erasure log topic '" + topic + "' not read to its end within " + within);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        log.add(parse(r));
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException(
                    "erasure log topic '" + topic + "' at " + bootstrap + " unreadable: " + e.getMessage(), e);
        }
        return log;
    }

    private static Erasure parse(ConsumerRecord<byte[], byte[]> r) {
        try {
            JsonNode n = JSON.readTree(new String(r.value(), StandardCharsets.UTF_8));
            if (!n.path("user").isTextual() || !n.path("logged_at").canConvertToLong()) {
                throw new IllegalArgumentException("no user or logged_at");
            }
            return new Erasure(
                    n.get("user").asText(),
                    n.path("forget_ts").asLong(),
                    n.path("request_id").asText(null),
                    n.get("logged_at").asLong());
        } catch (Exception e) {
            throw new IllegalStateException("erasure log record " + r.topic() + "-" + r.partition() + "@" + r.offset()
                    + " is not an erasure (" + e.getMessage() + "); nothing was swept");
        }
    }
}
