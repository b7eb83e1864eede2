package io.desire.operators.serving;

import io.desire.features.recs.Recommendation;
import io.desire.operators.Harnesses;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** An opened single-subtask test harness of a {@link UserRecommender}, on the heap or on RocksDB. */
final class RecommenderHarness {
    private RecommenderHarness() {}

    static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> open(
            UserRecommender recommender, boolean rocksDb) throws Exception {
        return open(recommender, rocksDb, null);
    }

    /** The same, restored from {@code restoreFrom} when not null. */
    static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> open(
            UserRecommender recommender, boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(recommender, List.of(UserRecommender.broadcastDescriptors())),
                UserRecommender.keySelector(),
                Types.STRING,
                128,
                1,
                0);
        return Harnesses.opened(h, rocksDb, restoreFrom);
    }
}
