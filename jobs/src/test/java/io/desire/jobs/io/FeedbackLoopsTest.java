package io.desire.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.ranker.WeightDelta;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FeedbackLoopsTest {

    private static final JobConfig CFG = JobConfig.of(Map.of(
            ConfigKeys.KAFKA_BOOTSTRAP.name(), "broker-1:9092",
            ConfigKeys.KAFKA_GROUP.name(), "shop",
            ConfigKeys.TOPIC_ITEM_FACTORS.name(), "shop.vectors",
            ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), "shop.weights"));

    @Test
    void itemVectorsAreKeyedByItemIdAndStampedWhenSent() {
        FeedbackLoops.ItemFactorRecords schema = new FeedbackLoops.ItemFactorRecords("shop.vectors");
        ItemFactorUpdate u = new ItemFactorUpdate("sku-ü", new double[] {1, 2}, 3, 1_000L);
        ProducerRecord<byte[], byte[]> r = schema.serialize(u, null, 1_000L);
        assertThat(r.topic()).isEqualTo("shop.vectors");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("sku-ü");
        assertThat(r.timestamp())
                .as("wall clock at sending, not the event time")
                .isNull();
        assertThat(r.partition()).isNull();
        assertThat(ModelUpdateCodec.decodeItemFactorUpdate(r.value())).isEqualTo(u);

        ProducerRecord<byte[], byte[]> tombstone =
                schema.serialize(new ItemFactorUpdate("sku-ü", null, 4, 2_000L), null, null);
        assertThat(tombstone.value())
                .as("a tombstone keeps its version, so it is not a Kafka null value")
                .isNotNull();
        assertThat(ModelUpdateCodec.decodeItemFactorUpdate(tombstone.value()).version)
                .isEqualTo(4);
    }

    @Test
    void weightDeltasHaveNoKeyAndOversizedOnesNameRankerBits() {
        FeedbackLoops.WeightDeltaRecords schema = new FeedbackLoops.WeightDeltaRecords("shop.weights");
        WeightDelta d = new WeightDelta(5, 1 << 20, false, new int[] {3}, new double[] {0.5});
        ProducerRecord<byte[], byte[]> r = schema.serialize(d, null, 7L);
        assertThat(r.topic()).isEqualTo("shop.weights");
        assertThat(r.key()).isNull();
        assertThat(r.timestamp()).isNull();
        assertThat(ModelUpdateCodec.decodeWeightDelta(r.value())).isEqualTo(d);

        int n = FeedbackLoops.MAX_WEIGHT_RECORD_BYTES / 12 + 1;
        WeightDelta huge = new WeightDelta(6, 1 << 22, true, new int[n], new double[n]);
        assertThatThrownBy(() -> schema.serialize(huge, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(n + " buckets")
                .hasMessageContaining("shop.weights")
                .hasMessageContaining("ranker.bits");
    }

    @Test
    void readersDecodeSkipNullValuesAndNameTheOffsetOfABadRecord() throws Exception {
        List<ItemFactorUpdate> vectors = new ArrayList<>();
        FeedbackLoops.ItemFactorReader reader = new FeedbackLoops.ItemFactorReader();
        ItemFactorUpdate u = new ItemFactorUpdate("a", new double[] {1}, 1, 1);
        reader.deserialize(record("shop.vectors", 2, 17, ModelUpdateCodec.encode(u)), collector(vectors));
        reader.deserialize(record("shop.vectors", 2, 18, null), collector(vectors));
        assertThat(vectors).containsExactly(u);
        assertThatThrownBy(() ->
                        reader.deserialize(record("shop.vectors", 2, 19, new byte[] {1, 1, 0}), collector(vectors)))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("kafka:shop.vectors/2@19")
                .hasMessageContaining("truncated");
        assertThat(reader.getProducedType()).isInstanceOf(PojoTypeInfo.class);

        List<WeightDelta> deltas = new ArrayList<>();
        FeedbackLoops.WeightDeltaReader weights = new FeedbackLoops.WeightDeltaReader();
        WeightDelta d = new WeightDelta(2, 8, true, new int[] {1}, new double[] {2});
        weights.deserialize(record("shop.weights", 0, 0, ModelUpdateCodec.encode(d)), collector(deltas));
        assertThat(deltas).containsExactly(d);
        assertThatThrownBy(() -> weights.deserialize(
                        record("shop.weights", 0, 1, ModelUpdateCodec.encode(u)), collector(deltas)))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("kafka:shop.weights/0@1")
                .hasMessageContaining("record kind 1");
        assertThat(weights.getProducedType()).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void sinksAreAtLeastOnceLz4WithRoomForAFullDelta() throws Exception {
        KafkaSink<ItemFactorUpdate> vectors = FeedbackLoops.itemFactorSink(CFG);
        Properties vp = field(vectors, "kafkaProducerConfig");
        assertThat(this.<DeliveryGuarantee>field(vectors, "deliveryGuarantee"))
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(vp.getProperty("bootstrap.servers")).isEqualTo("broker-1:9092");
        assertThat(vp.getProperty("compression.type")).isEqualTo("lz4");
        assertThat(vp.getProperty("max.request.size")).isEqualTo(String.valueOf(Topics.ITEM_FACTOR_MAX_MESSAGE_BYTES));

        KafkaSink<WeightDelta> weights = FeedbackLoops.rankerWeightSink(CFG);
        Properties wp = field(weights, "kafkaProducerConfig");
        assertThat(this.<DeliveryGuarantee>field(weights, "deliveryGuarantee"))
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(wp.getProperty("compression.type")).isEqualTo("lz4");
        assertThat(wp.getProperty("max.request.size")).isEqualTo("33554432");
        assertThat(Long.parseLong(wp.getProperty("buffer.memory"))).isGreaterThan(33554432L);
    }

    @Test
    void sourcesHaveTheirOwnGroupsCommitOnCheckpointAndFetchWholeRecords() throws Exception {
        OffsetsInitializer start = FeedbackLoops.loopStart(1_000L);
        KafkaSource<ItemFactorUpdate> vectors = FeedbackLoops.itemFactorSource(CFG, start);
        KafkaSource<WeightDelta> weights = FeedbackLoops.rankerWeightSource(CFG, start);
        assertThat(vectors.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(vectors.getProducedType().getTypeClass()).isEqualTo(ItemFactorUpdate.class);
        assertThat(weights.getProducedType().getTypeClass()).isEqualTo(WeightDelta.class);

        Properties vp = field(vectors, "props");
        assertThat(vp.getProperty("group.id")).isEqualTo("shop.item-factors");
        assertThat(vp.getProperty("bootstrap.servers")).isEqualTo("broker-1:9092");
        assertThat(vp.getProperty("commit.offsets.on.checkpoint")).isEqualTo("true");
        assertThat(Integer.parseInt(vp.getProperty("max.partition.fetch.bytes")))
                .isGreaterThanOrEqualTo(Topics.ITEM_FACTOR_MAX_MESSAGE_BYTES);

        Properties wp = field(weights, "props");
        assertThat(wp.getProperty("group.id")).isEqualTo("shop.ranker-weights");
        assertThat(wp.getProperty("commit.offsets.on.checkpoint")).isEqualTo("true");
        assertThat(Integer.parseInt(wp.getProperty("max.partition.fetch.bytes")))
                .isGreaterThanOrEqualTo(33554432);
        assertThat(Long.parseLong(wp.getProperty("fetch.max.bytes"))).isGreaterThanOrEqualTo(33554432L);
        assertThat(this.<OffsetsInitializer>field(weights, "startingOffsetsInitializer"))
                .isSameAs(start);

        assertThatThrownBy(() -> FeedbackLoops.itemFactorSource(CFG, null)).hasMessageContaining("loopStart");
    }

    @Test
    @SuppressWarnings("deprecation") // the connector's API still returns kafka-clients' OffsetResetStrategy
    void aFreshJobReadsOnlyWhatWasWrittenSinceItStarted() {
        long jobStart = 1_767_254_400_000L;
        OffsetsInitializer start = FeedbackLoops.loopStart(jobStart);
        assertThat(start.getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.LATEST);

        TopicPartition written = new TopicPartition("shop.vectors", 0);
        TopicPartition quiet = new TopicPartition("shop.vectors", 1);
        Map<TopicPartition, Long> asked = new HashMap<>();
        OffsetsInitializer.PartitionOffsetsRetriever retriever = new OffsetsInitializer.PartitionOffsetsRetriever() {
            @Override
            public Map<TopicPartition, Long> committedOffsets(Collection<TopicPartition> partitions) {
                throw new AssertionError("committed offsets of an earlier run must not matter");
            }

            @Override
            public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
                return Map.of(written, 500L, quiet, 80L);
            }

            @Override
            public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
                throw new AssertionError("never from the beginning");
            }

            @Override
            public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
                asked.putAll(timestamps);
                // partition 0 has records written since the job started (from offset 420); partition 1 none
                return Map.of(written, new OffsetAndTimestamp(420L, jobStart + 5));
            }
        };
        Map<TopicPartition, Long> offsets = start.getPartitionOffsets(List.of(written, quiet), retriever);
        assertThat(asked).containsEntry(written, jobStart).containsEntry(quiet, jobStart);
        assertThat(offsets).containsEntry(written, 420L).containsEntry(quiet, 80L);

        assertThatThrownBy(() -> FeedbackLoops.loopStart(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modelUpdateWatermarksOnlyEverMarkTheLoopIdleAndAreSerializable() throws Exception {
        WatermarkStrategy<String> strategy = InstantiationUtil.clone(FeedbackLoops.<String>modelUpdateWatermarks());
        WatermarkGenerator<String> generator = strategy.createWatermarkGenerator(null);
        List<String> emitted = new ArrayList<>();
        WatermarkOutput output = new WatermarkOutput() {
            @Override
            public void emitWatermark(Watermark watermark) {
                emitted.add("watermark@" + watermark.getTimestamp());
            }

            @Override
            public void markIdle() {
                emitted.add("idle");
            }

            @Override
            public void markActive() {
                emitted.add("active");
            }
        };
        generator.onPeriodicEmit(output);
        generator.onEvent("update", 42L, output);
        generator.onPeriodicEmit(output);
        assertThat(emitted).containsExactly("idle", "idle", "idle");
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, byte[] value) {
        return new ConsumerRecord<>(topic, partition, offset, null, value);
    }

    private static <T> Collector<T> collector(List<T> into) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                into.add(record);
            }

            @Override
            public void close() {}
        };
    }

    @SuppressWarnings("unchecked")
    private <T> T field(Object target, String name) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return (T) f.get(target);
    }
}
