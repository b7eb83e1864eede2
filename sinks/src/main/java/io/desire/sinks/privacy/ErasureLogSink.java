package io.desire.sinks.privacy;

import io.desire.features.privacy.Erasure;
import io.desire.sinks.deadletter.DeadLetterSinks;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The erasure log: one JSON record per erasure request ({@link Erasure#toJson()}), keyed by the user,
 * written exactly once in Kafka transactions committed on checkpoints (read it with {@code
 * isolation.level=read_committed}).
 */
public final class ErasureLogSink {
    private ErasureLogSink() {}

    /** A transactional Kafka sink of erasure records to {@code topic}. */
    public static KafkaSink<Erasure> kafka(String bootstrapServers, String topic, String transactionalIdPrefix) {
        return kafka(bootstrapServers, topic, transactionalIdPrefix, null);
    }

    /** As {@link #kafka(String, String, String)}, with more producer properties (security); {@code extra} may be null. */
    public static KafkaSink<Erasure> kafka(
            String bootstrapServers, String topic, String transactionalIdPrefix, java.util.Properties extra) {
        if (bootstrapServers == null || bootstrapServers.isBlank() || topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("the erasure log needs Kafka bootstrap servers and a topic");
        }
        return KafkaSink.<Erasure>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(DeadLetterSinks.producerProperties(extra))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(KafkaRecordSerializationSchema.<Erasure>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(new UserKey())
                        .setValueSerializationSchema(new JsonValue())
                        .build())
                .build();
    }

    static final class UserKey implements SerializationSchema<Erasure> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(Erasure e) {
            return e.user == null ? null : e.user.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class JsonValue implements SerializationSchema<Erasure> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(Erasure e) {
            return e.toJsonBytes();
        }
    }
}
