package io.desire.operators.serving;

import io.desire.features.recs.Recommendation;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** An opened single-subtask test harness of a {@link UserRecommender}, on the heap or on RocksDB. */
final class RecommenderHarness {
    private RecommenderHarness() {}

    static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> open(
            UserRecommender recommender, boolean rocksDb) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(recommender, List.of(UserRecommender.broadcastDescriptors())),
                UserRecommender.keySelector(),
                Types.STRING,
                128,
                1,
                0);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        h.open();
        return h;
    }
}
