package io.desire.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Compares the committed dead letters (read as a downstream consumer would, {@code read_committed})
 * with the bad records sent: each bad record must be there exactly once, and nothing else.
 */
final class DeadLetterCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterCheck() {}

    /** What the dead-letter topic holds next to what was sent. */
    record Result(int sent, int committed, int missing, int unexpected) {
        boolean exact() {
            return missing == 0 && unexpected == 0 && committed == sent;
        }

        @Override
        public String toString() {
            return String.format(
                    "%d bad records sent, %d dead letters committed: %d missing, %d unexpected or repeated",
                    sent, committed, missing, unexpected);
        }
    }

    static Result check(String bootstrap, String topic, List<byte[]> badRecords) {
        Map<ByteBuffer, Integer> expected = new HashMap<>();
        for (byte[] b : badRecords) {
            expected.merge(ByteBuffer.wrap(b), 1, Integer::sum);
        }
        List<byte[]> letters = readAll(bootstrap, topic);
        int unexpected = 0;
        for (byte[] raw : letters) {
            ByteBuffer key = ByteBuffer.wrap(raw);
            Integer left = expected.get(key);
            if (left == null || left == 0) {
                unexpected++;
            } else {
                expected.put(key, left - 1);
            }
        }
        int missing = expected.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(badRecords.size(), letters.size(), missing, unexpected);
    }

    /** The raw bytes of every committed dead letter of {@code topic}. */
    private static List<byte[]> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    out.add(raw(r.value()));
                }
            }
        }
        return out;
    }

    private static byte[] raw(byte[] letter) {
        try {
            JsonNode j = JSON.readTree(letter);
            return Base64.getDecoder().decode(j.path("raw_base64").asText());
        } catch (Exception e) {
            return ("unreadable dead letter: " + new String(letter, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
