package io.desire.operators.serving;

import static io.desire.operators.TestEvents.CTX_X;
import static io.desire.operators.TestEvents.behaviour;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.event.EventType;
import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.ftrl.UserSummary;
import io.desire.features.ranking.Reasons;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import io.desire.operators.ranker.FmWeights;
import io.desire.operators.ranker.LearnedRanker;
import io.desire.operators.ranker.RankerCandidate;
import io.desire.operators.ranker.ServedFeatures;
import io.desire.operators.ranker.WeightDelta;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The recommender with {@code ranker.model=fm}: the learned arm (pinned with {@code recs.serve=learned})
 * scores with the factorisation machine's replica, and its documents carry {@code fm-<n>} and
 * {@code ranker_fm}; the replica of the model the job does not train never orders. Harness processing
 * time starts at 0.
 */
class FmRecommendationTest {
    private static final String U = "u1";
    private static final int BITS = 16;
    private static final int K = 2;
    private static final RankingFeatures FEATURES =
            new RankingFeatures(FeatureHasher.forParams(FtrlParams.defaults().withBits(BITS)));
    private static final LearnedRanker RANKER = new LearnedRanker(FEATURES, 5);

    private static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> harness(
            String model, OperatorSubtaskState restore) throws Exception {
        UserRecommenderBuilder b = UserRecommender.builder()
                .learned(RANKER)
                .rankerModel(model)
                .serve("learned")
                .logServed(true);
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(b.build(), List.of(UserRecommender.broadcastDescriptors())),
                UserRecommender.keySelector(),
                Types.STRING,
                128,
                1,
                0);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static void view(
            KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> h, long ts)
            throws Exception {
        h.processElement(UserSignal.of(behaviour(EventType.VIEW, U, "s5", "shoes", ts, CTX_X)), ts);
    }

    /** Trending in CTX_X: toys t1 10, shoes s1 9, books b1 8; global: t1 10, b1 5. */
    private static void trending(KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> h)
            throws Exception {
        h.processBroadcastElement(
                ModelUpdate.of(new TrendingItems(
                        CTX_X, 600_000L, new String[] {"t1", "s1", "b1"}, new double[] {10, 9, 8}, new String[] {
                            "toys", "shoes", "books"
                        })),
                1L);
        h.processBroadcastElement(
                ModelUpdate.of(new TrendingItems(
                        TrendingItems.GLOBAL, 600_000L, new String[] {"t1", "b1"}, new double[] {10, 5}, new String[] {
                            "toys", "books"
                        })),
                1L);
    }

    /** The buckets of b1's features in CTX_X that no other candidate has (its item and category buckets). */
    private static int[] ownBucketsOfB1() {
        HashedFeatures b1 = b1Features();
        HashedFeatures s1 = RANKER.featuresOf(
                UserSummary.anonymous(), "u4pruy", "weekday-evening", "mobile", RankerCandidate.of("s1", "shoes"));
        return Arrays.stream(b1.indices)
                .filter(i -> Arrays.binarySearch(s1.indices, i) < 0)
                .toArray();
    }

    private static HashedFeatures b1Features() {
        return RANKER.featuresOf(
                UserSummary.anonymous(), "u4pruy", "weekday-evening", "mobile", RankerCandidate.of("b1", "books"));
    }

    /**
     * A factorisation machine whose only signal is a pairwise one: zero bias and linear weights, and the
     * same factor vector (1, 0) for every bucket of b1 alone, so only b1's pairs of active features
     * score; every other bucket starts (and stays) at zero factors (initial scale 0).
     */
    private static WeightDelta fmFavouringB1(long version) {
        int[] own = ownBucketsOfB1();
        double[] vectors = new double[own.length * K];
        for (int j = 0; j < own.length; j++) {
            vectors[j * K] = 1.0;
        }
        return WeightDelta.factorised(version, 1 << BITS, false, K, 0.0, own, new double[own.length], vectors, 1L, 0.0);
    }

    /** FTRL weights of 2 on b1's own buckets. */
    private static WeightDelta ftrlFavouringB1(long version) {
        int[] own = ownBucketsOfB1();
        double[] w = new double[own.length];
        Arrays.fill(w, 2.0);
        return new WeightDelta(version, 1 << BITS, false, own, w);
    }

    private static Recommendation onlyDocument(KeyedBroadcastOperatorTestHarness<?, ?, ?, Recommendation> h) {
        List<Recommendation> docs = h.extractOutputValues();
        assertThat(docs).hasSize(1);
        return docs.get(0);
    }

    private static List<String> items(Recommendation r) {
        return Arrays.stream(r.items).map(i -> i.item).toList();
    }

    private static RankedItem find(Recommendation r, String item) {
        return Arrays.stream(r.items)
                .filter(i -> i.item.equals(item))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void thePinnedLearnedArmServesTheTrainedFactorisationMachineAsFmVersion() throws Exception {
        FmWeights expected = new FmWeights();
        expected.apply(fmFavouringB1(7));
        assertThat(ownBucketsOfB1()).as("b1 has a pair of its own buckets").hasSizeGreaterThan(1);
        assertThat(expected.score(b1Features()))
                .as("only the pairs of b1's buckets score")
                .isGreaterThan(0.5);

        OperatorSubtaskState snapshot;
        try (var h = harness("fm", null)) {
            trending(h);
            view(h, 1_000L);
            h.setProcessingTime(200L);
            Recommendation before = onlyDocument(h);
            assertThat(before.modelVersion)
                    .as("untrained: the sources' order, under the FM's name")
                    .isEqualTo("fm-0");
            assertThat(before.items)
                    .allSatisfy(i ->
                            assertThat(i.reasons).doesNotContain(LearnedRanker.REASON_FM, LearnedRanker.REASON_FTRL));

            h.processBroadcastElement(ModelUpdate.of(fmFavouringB1(7)), 2L);
            h.getOutput().clear();
            h.getSideOutput(UserRecommender.SERVED).clear();
            view(h, 2_000L);
            h.setProcessingTime(400L);
            Recommendation after = onlyDocument(h);
            assertThat(after.modelVersion)
                    .isEqualTo(UserRecommender.FM_MODEL_PREFIX + 7)
                    .isEqualTo("fm-7");
            assertThat(items(after).get(0))
                    .as("the FM's pair term puts b1 first")
                    .isEqualTo("b1");
            assertThat(after.items[0].score).isEqualTo(expected.score(b1Features()));
            assertThat(find(after, "b1").reasons)
                    .contains(Reasons.CONTEXT_TRENDING, LearnedRanker.REASON_FM)
                    .doesNotContain(LearnedRanker.REASON_FTRL);
            List<ServedFeatures> served = h.getSideOutput(UserRecommender.SERVED).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(served)
                    .extracting(s -> s.modelVersion)
                    .as("the serving log names the FM's version")
                    .isNotEmpty()
                    .containsOnly(7L);
            snapshot = h.snapshot(1L, 500L);
        }
        try (var restored = harness("fm", snapshot)) {
            restored.setProcessingTime(1_000L);
            view(restored, 3_000L);
            restored.setProcessingTime(1_200L);
            Recommendation doc = onlyDocument(restored);
            assertThat(doc.modelVersion).as("the FM replica is restored").isEqualTo("fm-7");
            assertThat(items(doc).get(0)).isEqualTo("b1");
        }
    }

    @Test
    void theReplicaOfTheModelTheJobDoesNotTrainNeverOrders() throws Exception {
        try (var h = harness("fm", null)) {
            trending(h);
            h.processBroadcastElement(ModelUpdate.of(ftrlFavouringB1(9)), 2L);
            view(h, 1_000L);
            h.setProcessingTime(200L);
            Recommendation doc = onlyDocument(h);
            assertThat(doc.modelVersion)
                    .as("FTRL weights left in state do not order an FM job")
                    .isEqualTo("fm-0");
            assertThat(doc.items).allSatisfy(i -> assertThat(i.reasons).doesNotContain(LearnedRanker.REASON_FTRL));
        }
        try (var h = harness("ftrl", null)) {
            trending(h);
            h.processBroadcastElement(ModelUpdate.of(fmFavouringB1(9)), 2L);
            view(h, 1_000L);
            h.setProcessingTime(200L);
            Recommendation doc = onlyDocument(h);
            assertThat(doc.modelVersion)
                    .as("an FM replica does not order an FTRL job")
                    .isEqualTo("ftrl-0");
            assertThat(doc.items).allSatisfy(i -> assertThat(i.reasons).doesNotContain(LearnedRanker.REASON_FM));

            h.processBroadcastElement(ModelUpdate.of(ftrlFavouringB1(3)), 3L);
            h.getOutput().clear();
            view(h, 2_000L);
            h.setProcessingTime(400L);
            Recommendation trained = onlyDocument(h);
            assertThat(trained.modelVersion).isEqualTo("ftrl-3");
            assertThat(find(trained, "b1").reasons).contains(LearnedRanker.REASON_FTRL);
        }
    }

    @Test
    void anUnknownRankerModelIsRefused() {
        assertThatThrownBy(() -> UserRecommender.builder().rankerModel("gbdt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ftrl")
                .hasMessageContaining("fm");
    }
}
