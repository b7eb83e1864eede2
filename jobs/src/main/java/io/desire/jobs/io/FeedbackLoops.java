package io.desire.jobs.io;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.ranker.WeightDelta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka ends of the job's two feedback loops — Oryx 2's "update topic" pattern, since a Flink 2
 * DataStream job has no iterations: a model operator writes its updates to a topic, a source reads
 * them back and broadcasts them to the operators that serve or learn from them.
 *
 * <ul>
 *   <li><b>ALS item vectors</b> ({@link ConfigKeys#TOPIC_ITEM_FACTORS}, compacted, key = item id):
 *       {@link #itemFactorSink} after {@code ItemFactors}, {@link #itemFactorSource} into the user
 *       side.
 *   <li><b>FTRL weights</b> ({@link ConfigKeys#TOPIC_RANKER_WEIGHTS}, one partition, no key): {@link
 *       #rankerWeightSink} after the learner, {@link #rankerWeightSource} into the ranker replicas.
 * </ul>
 *
 * <p><b>Delivery is at-least-once</b>: the sinks flush on every checkpoint and do not use
 * transactions, so after a failure some updates are written twice. That is harmless because every
 * reader keeps, per item (per model), the update with the largest version and ignores older ones;
 * transactions would instead delay every update until the next checkpoint completes. Records are
 * encoded with {@link ModelUpdateCodec}, lz4-compressed, and stamped with the wall clock at sending
 * (not their event time), which {@link #loopStart} relies on. A record the codec cannot read fails
 * the source with an {@link IOException} naming {@code topic/partition@offset}: the topics are
 * written only by this job, so such a record means a format change or corruption, not bad input.
 *
 * <p>The readers get their own consumer groups ({@code kafka.group} + {@value #ITEM_FACTORS_GROUP_SUFFIX}
 * or {@value #RANKER_WEIGHTS_GROUP_SUFFIX}); offsets live in Flink's checkpoints and are committed to
 * the group on checkpoint for monitoring only. Give them {@link #loopStart} as starting offsets and
 * {@link #modelUpdateWatermarks} as watermark strategy.
 */
public final class FeedbackLoops {
    /** Suffix of {@code kafka.group} for the item-vector reader. */
    public static final String ITEM_FACTORS_GROUP_SUFFIX = ".item-factors";
    /** Suffix of {@code kafka.group} for the weight reader. */
    public static final String RANKER_WEIGHTS_GROUP_SUFFIX = ".ranker-weights";
    /** Largest weight-delta record the sink sends and the reader fetches: the topic's limit. */
    public static final int MAX_WEIGHT_RECORD_BYTES = Topics.RANKER_WEIGHT_MAX_MESSAGE_BYTES;

    private FeedbackLoops() {}

    /** Writes item vectors (and tombstones) to {@code topic.item-factors}, keyed by item id. */
    public static KafkaSink<ItemFactorUpdate> itemFactorSink(JobConfig cfg) {
        return KafkaSink.<ItemFactorUpdate>builder()
                // the producer config first: older builders replace the whole config
                .setKafkaProducerConfig(KafkaClientSettings.merged(
                        producerProperties(Topics.ITEM_FACTOR_MAX_MESSAGE_BYTES), KafkaClientSettings.of(cfg)))
                .setBootstrapServers(cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP))
                .setRecordSerializer(new ItemFactorRecords(cfg.getString(ConfigKeys.TOPIC_ITEM_FACTORS)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** Reads item vectors back from {@code topic.item-factors}, from {@code start} when the job has no state. */
    public static KafkaSource<ItemFactorUpdate> itemFactorSource(JobConfig cfg, OffsetsInitializer start) {
        return source(
                cfg,
                cfg.getString(ConfigKeys.TOPIC_ITEM_FACTORS),
                ITEM_FACTORS_GROUP_SUFFIX,
                start,
                Topics.ITEM_FACTOR_MAX_MESSAGE_BYTES,
                new ItemFactorReader());
    }

    /**
     * Writes weight deltas to {@code topic.ranker-weights}, without key (one partition keeps them in
     * order). A delta that would exceed {@value #MAX_WEIGHT_RECORD_BYTES} bytes fails the sink with a
     * message naming its size and {@code ranker.bits}, rather than with the producer's
     * RecordTooLargeException.
     */
    public static KafkaSink<WeightDelta> rankerWeightSink(JobConfig cfg) {
        Properties p = producerProperties(MAX_WEIGHT_RECORD_BYTES);
        // The producer refuses a record larger than its whole buffer: leave room for two full deltas.
        p.setProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(2L * MAX_WEIGHT_RECORD_BYTES));
        return KafkaSink.<WeightDelta>builder()
                .setKafkaProducerConfig(KafkaClientSettings.merged(p, KafkaClientSettings.of(cfg))) // first, as above
                .setBootstrapServers(cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP))
                .setRecordSerializer(new WeightDeltaRecords(cfg.getString(ConfigKeys.TOPIC_RANKER_WEIGHTS)))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /** Reads weight deltas back from {@code topic.ranker-weights}, from {@code start} when the job has no state. */
    public static KafkaSource<WeightDelta> rankerWeightSource(JobConfig cfg, OffsetsInitializer start) {
        return source(
                cfg,
                cfg.getString(ConfigKeys.TOPIC_RANKER_WEIGHTS),
                RANKER_WEIGHTS_GROUP_SUFFIX,
                start,
                MAX_WEIGHT_RECORD_BYTES,
                new WeightDeltaReader());
    }

    /**
     * Where a loop reader starts when the job has no state: at the first record written at or after
     * {@code jobStartMillis} (epoch ms, taken when the job is built), or at the end of a partition
     * without such a record — {@link OffsetsInitializer#timestamp}, whose reset strategy is latest.
     *
     * <p>Why not earlier: records left in the topic by an earlier deployment carry versions of
     * another model — a fresh job's item vectors and learner start again from version 0, so readers
     * that had seen the old, higher versions would ignore the new model's updates for a long time
     * (or mix two models' vectors). Why not {@code latest}: the reader resolves its offsets a few
     * seconds after the job starts, and updates the job itself wrote in between would be skipped;
     * seeking by time keeps them. A job restored from a checkpoint or savepoint does not use this at
     * all: it resumes from the offsets in its state, which match the model in that same state.
     *
     * <p>Assumptions: the earlier deployment has stopped writing before {@code jobStartMillis} (run
     * two deployments side by side on separate topics), and the clocks of the client that builds the
     * job and of the brokers ({@code LogAppendTime} topics) or task managers ({@code CreateTime}) agree
     * to better than the time from job start to the first published update (seconds).
     */
    public static OffsetsInitializer loopStart(long jobStartMillis) {
        if (jobStartMillis < 0) {
            throw new IllegalArgumentException("jobStartMillis must be an epoch-ms time ≥ 0, got " + jobStartMillis);
        }
        return OffsetsInitializer.timestamp(jobStartMillis);
    }

    /**
     * The watermark strategy of a loop source: idle from the start and for ever, never a watermark.
     *
     * <p>Model updates carry no event time that matters to the job, but a source without watermarks
     * is not neutral: a two-input operator (a keyed broadcast function, say) forwards the minimum of
     * its inputs' watermarks, so a broadcast input that never emits one holds the operator's watermark
     * at {@link Long#MIN_VALUE} forever and stalls every event-time timer and window downstream. An
     * idle input is left out of that minimum, so the event side's watermark alone drives time; and
     * when the event side goes idle too ({@code watermark.idleness}), the operator is idle and its
     * event time simply waits for the next event. (Emitting the largest watermark instead would also
     * leave the loop out of the minimum, but while the events are idle it would be the only watermark
     * left: it would fire every pending event-time timer and hold the operator at the end of time for
     * good.) Records flow through an idle input as usual, and only a watermark would make it active
     * again. They keep the timestamp their source gives them (for Kafka, the record's time), which
     * nothing downstream uses.
     */
    public static <T> WatermarkStrategy<T> modelUpdateWatermarks() {
        return WatermarkStrategy.forGenerator(new AlwaysIdle<>());
    }

    private static <T> KafkaSource<T> source(
            JobConfig cfg,
            String topic,
            String groupSuffix,
            OffsetsInitializer start,
            int maxRecordBytes,
            KafkaRecordDeserializationSchema<T> deserializer) {
        if (start == null) {
            throw new IllegalArgumentException(
                    "start offsets must not be null; use FeedbackLoops.loopStart(jobStartMillis)");
        }
        String group = cfg.getString(ConfigKeys.KAFKA_GROUP) + groupSuffix;
        return KafkaSource.<T>builder()
                .setBootstrapServers(cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP))
                .setTopics(topic)
                .setGroupId(group)
                .setClientIdPrefix(group)
                .setStartingOffsets(start)
                .setDeserializer(deserializer)
                .setProperties(
                        KafkaClientSettings.merged(consumerProperties(maxRecordBytes), KafkaClientSettings.of(cfg)))
                .build();
    }

    /** Producer settings of a loop sink whose records are at most {@code maxRecordBytes} bytes. */
    static Properties producerProperties(int maxRecordBytes) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // The producer checks the uncompressed size; the broker checks the compressed batch against
        // the topic's max.message.bytes, which is at least this.
        p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(maxRecordBytes));
        return p;
    }

    /** Consumer settings of a loop source whose records are at most {@code maxRecordBytes} bytes. */
    static Properties consumerProperties(int maxRecordBytes) {
        Properties p = new Properties();
        // Fetch whole records of the largest size in one go (Kafka would return a larger first batch
        // anyway, but one per fetch); fetch.max.bytes leaves room for one more.
        p.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(maxRecordBytes));
        p.setProperty(
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                String.valueOf(Math.max(2L * maxRecordBytes, ConsumerConfig.DEFAULT_FETCH_MAX_BYTES)));
        p.setProperty("commit.offsets.on.checkpoint", "true");
        p.setProperty("partition.discovery.interval.ms", "60000");
        return p;
    }

    /** {@code kafka:topic/partition@offset}, as in dead letters. */
    static String origin(ConsumerRecord<?, ?> record) {
        return "kafka:" + record.topic() + '/' + record.partition() + '@' + record.offset();
    }

    /** Item vector → record keyed by item id (UTF-8), value {@link ModelUpdateCodec}, wall-clock time. */
    static final class ItemFactorRecords implements KafkaRecordSerializationSchema<ItemFactorUpdate> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        ItemFactorRecords(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(ItemFactorUpdate u, KafkaSinkContext context, Long timestamp) {
            // Tombstones stay encoded records (not Kafka null values) so that they carry their version.
            byte[] value = ModelUpdateCodec.encode(u); // refuses a missing item id
            return new ProducerRecord<>(topic, null, null, u.itemId.getBytes(StandardCharsets.UTF_8), value);
        }
    }

    /** Weight delta → key-less record, value {@link ModelUpdateCodec}, wall-clock time. */
    static final class WeightDeltaRecords implements KafkaRecordSerializationSchema<WeightDelta> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        WeightDeltaRecords(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(WeightDelta d, KafkaSinkContext context, Long timestamp) {
            long size = ModelUpdateCodec.encodedSize(d);
            // The producer adds up to ~100 bytes of record and batch overhead to the value.
            if (size > MAX_WEIGHT_RECORD_BYTES - 1024) {
                throw new IllegalStateException(
                        "Weight delta v" + d.version + " of " + d.size() + " buckets encodes to "
                                + size + " bytes, more than the " + MAX_WEIGHT_RECORD_BYTES
                                + " bytes a record of topic " + topic
                                + " may have; lower " + ConfigKeys.RANKER_BITS.name() + " (2^bits buckets)"
                                + (d.factorised() ? " or " + ConfigKeys.RANKER_FM_FACTORS.name() : ""));
            }
            return new ProducerRecord<>(topic, null, null, null, ModelUpdateCodec.encode(d));
        }
    }

    /** Record → item vector; Kafka null values (a key purged by hand) are skipped. */
    static final class ItemFactorReader implements KafkaRecordDeserializationSchema<ItemFactorUpdate> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ItemFactorUpdate> out)
                throws IOException {
            if (record.value() == null) {
                return;
            }
            try {
                out.collect(ModelUpdateCodec.decodeItemFactorUpdate(record.value()));
            } catch (IllegalArgumentException e) {
                throw new IOException("Cannot read the item vector at " + origin(record) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public TypeInformation<ItemFactorUpdate> getProducedType() {
            return TypeInformation.of(ItemFactorUpdate.class);
        }
    }

    /** Record → weight delta; Kafka null values are skipped. */
    static final class WeightDeltaReader implements KafkaRecordDeserializationSchema<WeightDelta> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<WeightDelta> out) throws IOException {
            if (record.value() == null) {
                return;
            }
            try {
                out.collect(ModelUpdateCodec.decodeWeightDelta(record.value()));
            } catch (IllegalArgumentException e) {
                throw new IOException("Cannot read the weight delta at " + origin(record) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public TypeInformation<WeightDelta> getProducedType() {
            return TypeInformation.of(WeightDelta.class);
        }
    }

    /** Marks its output idle periodically and on every record, and emits no watermark; see {@link #modelUpdateWatermarks}. */
    static final class AlwaysIdle<T> implements WatermarkGeneratorSupplier<T>, WatermarkGenerator<T> {
        private static final long serialVersionUID = 1L;

        @Override
        public WatermarkGenerator<T> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
            return new AlwaysIdle<>();
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            output.markIdle();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.markIdle();
        }
    }
}
