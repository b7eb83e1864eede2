package io.desire.sinks.deadletter;

import io.desire.features.event.DeadLetter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Sinks for records the engine could not use ({@link DeadLetter}). Both keep every dead letter as one
 * JSON object ({@link DeadLetter#toJson()}: reason, detail, source, received_at, raw_base64), so a
 * record can be inspected, fixed and replayed.
 */
public final class DeadLetterSinks {

    /**
     * Kafka transaction timeout: 10 minutes, below the broker's default
     * {@code transaction.max.timeout.ms} (15 minutes) and far above a checkpoint interval.
     */
    public static final int TRANSACTION_TIMEOUT_MS = 10 * 60 * 1000;
    /** Part file prefix and suffix of the file sink. */
    public static final String FILE_PREFIX = "dead-letters";

    public static final String FILE_SUFFIX = ".jsonl";

    private DeadLetterSinks() {}

    /**
     * Exactly-once dead letters to a Kafka topic: written in Kafka transactions committed on
     * checkpoints (readers use {@code isolation.level=read_committed}); key = reason, value = the
     * JSON. Checkpointing must be enabled, or nothing is ever committed.
     *
     * @param transactionalIdPrefix unique per job and sink across the Kafka cluster; keep it stable
     *     across upgrades so lingering transactions of the previous run are aborted
     * @param extra more producer properties (security, {@code transaction.timeout.ms} override, ...);
     *     may be {@code null}
     */
    public static KafkaSink<DeadLetter> kafka(
            String bootstrapServers, String topic, String transactionalIdPrefix, Properties extra) {
        requireText(bootstrapServers, "Kafka bootstrap servers (host:port[,host:port])");
        requireText(topic, "Dead-letter topic");
        requireText(transactionalIdPrefix, "Transactional id prefix");
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producerProperties(extra))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(KafkaRecordSerializationSchema.<DeadLetter>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(new ReasonKey())
                        .setValueSerializationSchema(new JsonValue())
                        .build())
                .build();
    }

    /** Producer properties of the transactional sinks: the transaction timeout default, then {@code extra} on top. */
    public static Properties producerProperties(Properties extra) {
        Properties props = new Properties();
        props.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(TRANSACTION_TIMEOUT_MS));
        if (extra != null) {
            props.putAll(extra);
        }
        return props;
    }

    /**
     * Dead letters as JSON lines in part files under {@code path} ({@code dead-letters-*.jsonl},
     * hourly bucket directories). Files roll on every checkpoint and become visible (lose their
     * in-progress name) when it completes, and at end of input: exactly-once per line.
     */
    public static FileSink<DeadLetter> file(String path) {
        requireText(path, "Dead-letter directory");
        return FileSink.forRowFormat(new Path(path), new JsonLineEncoder())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(FILE_PREFIX)
                        .withPartSuffix(FILE_SUFFIX)
                        .build())
                .build();
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    /** One dead letter per line, UTF-8 JSON. */
    static final class JsonLineEncoder implements Encoder<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public void encode(DeadLetter element, OutputStream stream) throws IOException {
            stream.write(element.toJsonBytes());
            stream.write('\n');
        }
    }

    static final class ReasonKey implements SerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DeadLetter element) {
            return element.reason == null ? null : element.reason.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class JsonValue implements SerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DeadLetter element) {
            return element.toJsonBytes();
        }
    }
}
