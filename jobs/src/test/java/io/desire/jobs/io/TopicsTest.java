package io.desire.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void theItemFactorsTopicIsCompactedWithRoomForAVector() {
        NewTopic t = Topics.itemFactorsTopic("shop.vectors");
        assertThat(t.name()).isEqualTo("shop.vectors");
        assertThat(t.numPartitions()).isEqualTo(Topics.ITEM_FACTOR_PARTITIONS);
        assertThat(t.configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("max.message.bytes", "1048576")
                .containsEntry("message.timestamp.type", "LogAppendTime");
    }

    @Test
    void theRankerWeightsTopicIsOnePartitionKeptAWeekWithRoomForAFullDelta() {
        NewTopic t = Topics.rankerWeightsTopic("shop.weights");
        assertThat(t.numPartitions()).isEqualTo(1);
        assertThat(t.configs())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "604800000")
                .containsEntry("max.message.bytes", "33554432")
                .containsEntry("message.timestamp.type", "LogAppendTime");
        assertThat(ModelUpdateCodec.encodedWeightDeltaSize(1 << 20)).isLessThan(33554432L);
    }

    @Test
    void existingTopicsAreJudgedOnlyOnWhatTheLoopReliesOn() {
        Map<String, String> vectors = Topics.itemFactorsTopic("v").configs();
        assertThat(Topics.mismatches(
                        vectors,
                        Map.of(
                                "cleanup.policy",
                                "compact,delete",
                                "max.message.bytes",
                                "8388608",
                                "message.timestamp.type",
                                "CreateTime")))
                .isEmpty();
        assertThat(Topics.mismatches(vectors, Map.of("cleanup.policy", "delete", "max.message.bytes", "1048588")))
                .containsExactly("cleanup.policy=delete (expected: compact)");

        Map<String, String> weights = Topics.rankerWeightsTopic("w").configs();
        assertThat(Topics.mismatches(
                        weights,
                        Map.of("cleanup.policy", "delete", "retention.ms", "-1", "max.message.bytes", "33554432")))
                .isEmpty();
        assertThat(Topics.mismatches(weights, Map.of("cleanup.policy", "compact", "max.message.bytes", "1048588")))
                .containsExactlyInAnyOrder(
                        "cleanup.policy=compact (expected: delete)", "max.message.bytes=1048588 (expected: 33554432)");
        assertThat(Topics.mismatches(weights, Map.of("cleanup.policy", "delete")))
                .containsExactly("max.message.bytes=null (expected: 33554432)");
    }
}
