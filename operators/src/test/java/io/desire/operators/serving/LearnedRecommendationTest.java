package io.desire.operators.serving;

import static io.desire.operators.TestEvents.CTX_X;
import static io.desire.operators.TestEvents.behaviour;
import static io.desire.operators.TestEvents.forget;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.desire.operators.Harnesses;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.covisit.ItemFollowers;
import io.desire.operators.feedback.NegativeSampler;
import io.desire.operators.ranker.LearnedRanker;
import io.desire.operators.ranker.RankerCandidate;
import io.desire.operators.ranker.SampledExamples;
import io.desire.operators.ranker.ServedFeatures;
import io.desire.operators.ranker.TrainingExample;
import io.desire.operators.ranker.WeightDelta;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The recommender with the learned ranker over hybrid candidates; harness processing time starts at 0. */
class LearnedRecommendationTest {
    private static final String U = "u1";
    private static final int BITS = 16;
    private static final RankingFeatures FEATURES =
            new RankingFeatures(FeatureHasher.forParams(FtrlParams.defaults().withBits(BITS)));
    private static final LearnedRanker RANKER = new LearnedRanker(FEATURES, 5);

    private static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> harness(
            boolean sampled, boolean logServed) throws Exception {
        return harness(sampled, logServed, null, false);
    }

    private static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> harness(
            boolean sampled, boolean logServed, OperatorSubtaskState restore, boolean rocksDb) throws Exception {
        UserRecommenderBuilder b =
                UserRecommender.builder().learned(RANKER).serve("learned").logServed(logServed);
        if (sampled) {
            b.sampledExamples(new SampledExamples(new NegativeSampler(4, 7L)));
        }
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(b.build(), List.of(UserRecommender.broadcastDescriptors())),
                UserRecommender.keySelector(),
                Types.STRING,
                128,
                1,
                0);
        return Harnesses.opened(h, rocksDb, restore);
    }

    private static void send(
            KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> h,
            EventType type,
            String item,
            String category,
            long ts)
            throws Exception {
        h.processElement(UserSignal.of(behaviour(type, U, item, category, ts, CTX_X)), ts);
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
    void untrainedModelServesTheSourcesOrderThenTrainedWeightsReorder() throws Exception {
        try (var h = harness(false, false)) {
            trending(h);
            send(h, EventType.VIEW, "s5", "shoes", 1_000L);
            h.setProcessingTime(200L);
            Recommendation before = onlyDocument(h);
            assertThat(before.modelVersion).isEqualTo("ftrl-0");
            assertThat(items(before).get(0))
                    .as("blend order: the user's own shoes first")
                    .isIn("s5", "s1");
            assertThat(before.items).allSatisfy(i -> assertThat(i.reasons).doesNotContain(LearnedRanker.REASON_FTRL));

            // weights that favour books in this context: the item and category buckets of b1
            HashedFeatures b1 = RANKER.featuresOf(
                    UserSummary.anonymous(), "u4pruy", "weekday-evening", "mobile", RankerCandidate.of("b1", "books"));
            HashedFeatures s1 = RANKER.featuresOf(
                    UserSummary.anonymous(), "u4pruy", "weekday-evening", "mobile", RankerCandidate.of("s1", "shoes"));
            int[] own = Arrays.stream(b1.indices)
                    .filter(i -> Arrays.binarySearch(s1.indices, i) < 0)
                    .toArray();
            double[] w = new double[own.length];
            Arrays.fill(w, 2.0);
            h.processBroadcastElement(ModelUpdate.of(new WeightDelta(7, 1 << BITS, false, own, w)), 2L);

            h.getOutput().clear();
            send(h, EventType.VIEW, "s5", "shoes", 2_000L);
            h.setProcessingTime(400L);
            Recommendation after = onlyDocument(h);
            assertThat(after.modelVersion).isEqualTo("ftrl-7");
            assertThat(items(after).get(0)).isEqualTo("b1");
            assertThat(after.items[0].score).isGreaterThan(0.5);
            assertThat(find(after, "b1").reasons).contains(Reasons.CONTEXT_TRENDING, LearnedRanker.REASON_FTRL);
        }
    }

    @Test
    void alsAndSequenceCandidatesJoinTheDocumentWithTheirReasonsAndPurchasesStayOut() throws Exception {
        try (var h = harness(false, false)) {
            trending(h);
            h.processElement(
                    UserSignal.of(new AlsCandidates(U, new String[] {"a1", "p1"}, new double[] {2.0, 1.5}, 900L)),
                    900L);
            ItemFollowers followers = new ItemFollowers("s5", new String[] {"f1"}, new double[] {3.0}, 1L, 900L);
            followers.categories = new String[] {"shoes"};
            h.processBroadcastElement(ModelUpdate.of(followers), 3L);
            send(h, EventType.PURCHASE, "p1", "toys", 1_000L);
            send(h, EventType.VIEW, "s5", "shoes", 1_001L);
            h.setProcessingTime(200L);

            Recommendation doc = onlyDocument(h);
            assertThat(items(doc)).contains("a1", "f1").doesNotContain("p1");
            assertThat(find(doc, "a1").reasons).containsExactly(Reasons.ALS);
            assertThat(find(doc, "f1").reasons).containsExactly(Reasons.SEQUENCE);
            assertThat(find(doc, "f1").category).isEqualTo("shoes");
        }
    }

    @Test
    void olderAlsCandidatesDoNotReplaceNewerOnesAndForgetClearsThem() throws Exception {
        try (var h = harness(false, false)) {
            h.processElement(
                    UserSignal.of(new AlsCandidates(U, new String[] {"new"}, new double[] {1.0}, 2_000L)), 2_000L);
            h.processElement(
                    UserSignal.of(new AlsCandidates(U, new String[] {"old"}, new double[] {1.0}, 1_000L)), 1_000L);
            send(h, EventType.VIEW, "s5", "shoes", 2_001L);
            h.setProcessingTime(200L);
            assertThat(items(onlyDocument(h))).contains("new").doesNotContain("old");

            h.getOutput().clear();
            h.processElement(UserSignal.of(forget(U, 3_000L)), 3_000L);
            // candidates of an event the erasure covered, still in flight: dropped
            h.processElement(
                    UserSignal.of(new AlsCandidates(U, new String[] {"inflight"}, new double[] {1.0}, 2_500L)), 2_500L);
            h.setStateTtlProcessingTime(UserRecommender.DEFAULT_FORGET_GUARD.toMillis() + 1);
            h.processElement(UserSignal.of(behaviour(EventType.VIEW, U, "s5", "shoes", 4_000L, CTX_X)), 4_000L);
            h.setProcessingTime(400L);
            List<Recommendation> docs = h.extractOutputValues();
            Recommendation upsert = docs.stream()
                    .filter(r -> r.op == Recommendation.Op.UPSERT)
                    .findFirst()
                    .orElseThrow();
            assertThat(items(upsert)).doesNotContain("new", "inflight");
        }
    }

    @Test
    void positiveEventsYieldExamplesFromTheCandidatePoolBeforeTheEvent() throws Exception {
        try (var h = harness(true, false)) {
            trending(h);
            send(h, EventType.VIEW, "s5", "shoes", 1_000L);
            assertThat(h.getSideOutput(UserRecommender.EXAMPLES))
                    .as("a view is not a label")
                    .isNull();

            send(h, EventType.CLICK, "zz", "shoes", 1_050L);
            assertThat(h.getSideOutput(UserRecommender.EXAMPLES))
                    .as("a positive no source proposed teaches the ranker nothing about ordering the pool")
                    .isNull();

            send(h, EventType.CLICK, "t1", "toys", 1_100L);
            List<TrainingExample> examples = h.getSideOutput(UserRecommender.EXAMPLES).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            // one positive; negatives drawn from the other candidates of the pool: s5, zz (affinity), s1, b1
            assertThat(examples).hasSize(5);
            assertThat(examples).extracting(x -> x.label).containsExactly(1, 0, 0, 0, 0);
            assertThat(examples).extracting(x -> x.eventTime).containsOnly(1_100L);

            // the positive carries the features serving computes for t1, from the state before the click
            io.desire.features.profile.UserProfile before = new io.desire.features.profile.UserProfile();
            io.desire.features.profile.ProfilePolicy policy = new io.desire.features.profile.ProfilePolicy();
            before.apply(behaviour(EventType.VIEW, U, "s5", "shoes", 1_000L, CTX_X), policy);
            before.apply(behaviour(EventType.CLICK, U, "zz", "shoes", 1_050L, CTX_X), policy);
            TrendingItems context = new TrendingItems(
                    CTX_X, 600_000L, new String[] {"t1", "s1", "b1"}, new double[] {10, 9, 8}, new String[] {
                        "toys", "shoes", "books"
                    });
            TrendingItems global = new TrendingItems(
                    TrendingItems.GLOBAL, 600_000L, new String[] {"t1", "b1"}, new double[] {10, 5}, new String[] {
                        "toys", "books"
                    });
            io.desire.features.serving.CandidatePool pool = io.desire.features.serving.CandidatePool.of(
                    new io.desire.operators.serving.ServingSources(UserRecommender.DEFAULT_PER_SOURCE, 3)
                            .lists(before, context, null, global, null, null),
                    java.util.EnumSet.allOf(io.desire.features.serving.CandidateSource.class),
                    x -> false,
                    UserRecommender.DEFAULT_PER_SOURCE);
            HashedFeatures expected = RANKER.featuresOf(
                    UserSummary.of(before), "u4pruy", "weekday-evening", "mobile", RankerCandidate.of(pool.get("t1")));
            assertThat(examples.get(0).features).isEqualTo(expected);
            assertThat(examples.subList(1, 5))
                    .allSatisfy(x -> assertThat(x.features).isNotEqualTo(expected));
        }
    }

    @Test
    void servedFeaturesAreLoggedForEveryReturnedItem() throws Exception {
        try (var h = harness(false, true)) {
            trending(h);
            send(h, EventType.VIEW, "s5", "shoes", 1_000L);
            h.setProcessingTime(200L);
            Recommendation doc = onlyDocument(h);
            List<ServedFeatures> served = h.getSideOutput(UserRecommender.SERVED).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(served).extracting(s -> s.itemId).containsExactlyElementsOf(items(doc));
            assertThat(served).allSatisfy(s -> {
                assertThat(s.userId).isEqualTo(U);
                assertThat(s.contextKey).isEqualTo(CTX_X);
                assertThat(s.servedAt).isEqualTo(1_000L);
                assertThat(s.features).isNotNull();
            });
            assertThat(served.stream()
                            .map(s -> s.features)
                            .filter(Objects::nonNull)
                            .distinct())
                    .hasSize(served.size());
        }
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void weightsFollowersAndAlsCandidatesSurviveASnapshotAndRestore(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(false, false, null, rocksDb)) {
            trending(h);
            h.processElement(UserSignal.of(new AlsCandidates(U, new String[] {"a1"}, new double[] {2.0}, 900L)), 900L);
            ItemFollowers followers = new ItemFollowers("s5", new String[] {"f1"}, new double[] {3.0}, 1L, 900L);
            h.processBroadcastElement(ModelUpdate.of(followers), 3L);
            HashedFeatures f1 = RANKER.featuresOf(
                    UserSummary.anonymous(), "u4pruy", "weekday-evening", "mobile", RankerCandidate.of("f1", null));
            HashedFeatures other = RANKER.featuresOf(
                    UserSummary.anonymous(), "u4pruy", "weekday-evening", "mobile", RankerCandidate.of("other", null));
            int[] own = Arrays.stream(f1.indices)
                    .filter(i -> Arrays.binarySearch(other.indices, i) < 0)
                    .toArray();
            double[] w = new double[own.length];
            Arrays.fill(w, 2.0);
            h.processBroadcastElement(ModelUpdate.of(new WeightDelta(9, 1 << BITS, false, own, w)), 4L);
            send(h, EventType.VIEW, "s5", "shoes", 1_000L);
            h.setProcessingTime(200L);
            assertThat(items(onlyDocument(h)).get(0)).isEqualTo("f1");
            snapshot = h.snapshot(1L, 300L);
        }
        try (var restored = harness(false, false, snapshot, rocksDb)) {
            restored.setProcessingTime(1_000L);
            send(restored, EventType.VIEW, "s5", "shoes", 2_000L);
            restored.setProcessingTime(1_200L);
            Recommendation doc = onlyDocument(restored);
            assertThat(doc.modelVersion).as("weights restored").isEqualTo("ftrl-9");
            assertThat(items(doc).get(0))
                    .as("co-visitation list and weights restored")
                    .isEqualTo("f1");
            assertThat(items(doc)).as("ALS candidates restored").contains("a1");
        }
    }

    @Test
    void sampledExamplesOrServingLogWithoutALearnedRankerAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> UserRecommender.builder().logServed(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("learned");
    }
}
