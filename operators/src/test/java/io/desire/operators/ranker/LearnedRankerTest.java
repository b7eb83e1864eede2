package io.desire.operators.ranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.ftrl.UserSummary;
import io.desire.features.ranking.Reasons;
import io.desire.features.recs.RankedItem;
import io.desire.operators.feedback.LabeledExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Features over 2^12 buckets. */
class LearnedRankerTest {
    private static final FeatureHasher HASHER = new FeatureHasher(12, FeatureHasher.DEFAULT_SEED);
    private static final RankingFeatures FEATURES = new RankingFeatures(HASHER);
    private static final UserSummary SHOE_LOVER = new UserSummary("s1", new String[] {"shoes"}, new double[] {1.0});
    private static final UserSummary BOOK_LOVER = new UserSummary("s1", new String[] {"books"}, new double[] {1.0});
    private static final long T = 1_700_000_000_000L;

    /** Books are preferred by the sources (higher priors) and sort first by id. */
    private static List<RankerCandidate> candidates() {
        return List.of(
                RankerCandidate.of("b1", "books", Reasons.CONTEXT_TRENDING)
                        .withPrior(0.9)
                        .withContextPopularity(5),
                RankerCandidate.of("b2", "books", Reasons.POPULAR).withPrior(0.8),
                RankerCandidate.of("s1", "shoes", Reasons.POPULAR)
                        .withPrior(0.1)
                        .withAlsScore(0.2),
                RankerCandidate.of("s2", "shoes", Reasons.POPULAR)
                        .withPrior(0.1)
                        .withRecencyHours(3));
    }

    private static String[] ids(LearnedRanker.Ranking r) {
        return Arrays.stream(r.items).map(i -> i.item).toArray(String[]::new);
    }

    private static LearnedRanker.Ranking rank(LearnedRanker ranker, UserSummary user, RankerModel w) {
        return ranker.rank("u1", user, "u4pruy", "weekday-evening", "mobile", T, candidates(), null, w);
    }

    @Test
    void weightsFavouringAUserCategoryCrossRankThatCategoryFirst() {
        int cross = HASHER.cross("u", "shoes", "c", "shoes");
        RankerWeights w = new RankerWeights();
        w.apply(new WeightDelta(1, 4096, true, new int[] {cross}, new double[] {3.0}));
        LearnedRanker ranker = new LearnedRanker(FEATURES, 10);

        LearnedRanker.Ranking r = rank(ranker, SHOE_LOVER, w);

        assertThat(r.served[2].features.valueAt(cross))
                .as("the planted bucket is the shoes cross")
                .isZero();
        assertThat(r.served[0].features.valueAt(cross)).isEqualTo(1.0);
        assertThat(ids(r)).containsExactly("s1", "s2", "b1", "b2");
        assertThat(r.items[0].score).isEqualTo(w.score(r.served[0].features)).isGreaterThan(0.9);
        assertThat(r.items[0].reasons).containsExactly(Reasons.POPULAR, LearnedRanker.REASON_FTRL);
        assertThat(r.items[2].reasons).containsExactly(Reasons.CONTEXT_TRENDING, LearnedRanker.REASON_FTRL);
        assertThat(r.modelVersion).isEqualTo(1);
        assertThat(ids(rank(ranker, BOOK_LOVER, w)))
                .as("no cross for a book lover: the sources' order")
                .containsExactly("b1", "b2", "s1", "s2");
    }

    /** The shoes category bucket and the mobile device bucket get aligned factors: only their pair scores. */
    @Test
    void aFactorisationMachineReplicaOrdersThroughTheSameRanker() {
        int shoes = HASHER.bucket("c", "shoes");
        int mobile = HASHER.bucket("d", "mobile");
        int[] idx = shoes < mobile ? new int[] {shoes, mobile} : new int[] {mobile, shoes};
        FmWeights fm = new FmWeights();
        fm.apply(WeightDelta.factorised(
                5, 4096, true, 2, 0.0, idx, new double[] {0, 0}, new double[] {2, 0, 2, 0}, 1L, 0.0));
        LearnedRanker ranker = new LearnedRanker(FEATURES, 10);

        LearnedRanker.Ranking r = rank(ranker, BOOK_LOVER, fm);

        assertThat(r.served[0].features.valueAt(shoes))
                .as("the features hold the buckets of the pair")
                .isNotZero();
        assertThat(r.served[0].features.valueAt(mobile)).isNotZero();
        assertThat(ids(r)).containsExactly("s1", "s2", "b1", "b2");
        assertThat(r.items[0].score).isEqualTo(fm.score(r.served[0].features)).isGreaterThan(0.9);
        assertThat(r.items[2].score).isEqualTo(0.5);
        assertThat(r.modelVersion).isEqualTo(5);
        assertThat(r.items)
                .allSatisfy(i -> assertThat(i.reasons)
                        .contains(LearnedRanker.REASON_FM)
                        .doesNotContain(LearnedRanker.REASON_FTRL));
    }

    @Test
    void aModelBelowTheMinimumVersionDoesNotOrderYet() {
        int cross = HASHER.cross("u", "shoes", "c", "shoes");
        RankerWeights w = new RankerWeights();
        w.apply(new WeightDelta(999, 4096, true, new int[] {cross}, new double[] {3.0}));
        LearnedRanker patient = new LearnedRanker(FEATURES, 10, 1000);

        LearnedRanker.Ranking early = rank(patient, SHOE_LOVER, w);
        assertThat(ids(early)).as("the sources' order").containsExactly("b1", "b2", "s1", "s2");
        assertThat(early.modelVersion).isZero();
        assertThat(early.items).allSatisfy(i -> assertThat(i.reasons).doesNotContain(LearnedRanker.REASON_FTRL));

        w.apply(new WeightDelta(1000, 4096, false, new int[] {cross}, new double[] {3.0}));
        LearnedRanker.Ranking trained = rank(patient, SHOE_LOVER, w);
        assertThat(ids(trained)).containsExactly("s1", "s2", "b1", "b2");
        assertThat(trained.modelVersion).isEqualTo(1000);
        assertThatThrownBy(() -> new LearnedRanker(FEATURES, 10, 0)).hasMessageContaining("minVersion");
    }

    @Test
    void withoutATrainedModelOrdersByPriorThenItemIdAndClaimsNoModelReason() {
        LearnedRanker ranker = new LearnedRanker(FEATURES, 3);
        LearnedRanker.Ranking r = rank(ranker, SHOE_LOVER, null);
        assertThat(ids(r)).containsExactly("b1", "b2", "s1");
        assertThat(r.items).allSatisfy(i -> {
            assertThat(i.score).isEqualTo(0.5);
            assertThat(i.reasons).doesNotContain(LearnedRanker.REASON_FTRL);
        });
        assertThat(r.modelVersion).isZero();
    }

    /** 40 candidates, priors 1/(1 + rank) with pairs of equal priors, in no particular order. */
    private static List<RankerCandidate> manyCandidates() {
        List<RankerCandidate> out = new ArrayList<>();
        for (int i = 39; i >= 0; i--) {
            out.add(RankerCandidate.of("i" + (100 + i), i % 2 == 0 ? "shoes" : "books", Reasons.POPULAR)
                    .withPrior(1.0 / (1 + i / 2)));
        }
        return out;
    }

    @Test
    void aShortlistOfAtLeastTopKChangesNothingWithoutATrainedModel() {
        LearnedRanker all = new LearnedRanker(FEATURES, 5);
        LearnedRanker shortlisted = all.withShortlist(5);
        LearnedRanker.Ranking full = all.rank(
                "u1", SHOE_LOVER, "u4pruy", "weekday-evening", "mobile", T, manyCandidates(), Set.of("i100"), null);
        LearnedRanker.Ranking cut = shortlisted.rank(
                "u1", SHOE_LOVER, "u4pruy", "weekday-evening", "mobile", T, manyCandidates(), Set.of("i100"), null);
        assertThat(ids(cut)).containsExactly(ids(full)).containsExactly("i101", "i102", "i103", "i104", "i105");
        assertThat(cut.served)
                .extracting(f -> f.features)
                .containsExactly(Arrays.stream(full.served).map(f -> f.features).toArray(HashedFeatures[]::new));
    }

    @Test
    void aTrainedModelOrdersOnlyTheShortlistOfHighestPriors() {
        int cross = HASHER.cross("u", "shoes", "c", "shoes");
        RankerWeights w = new RankerWeights();
        w.apply(new WeightDelta(1, 4096, true, new int[] {cross}, new double[] {3.0}));
        LearnedRanker all = new LearnedRanker(FEATURES, 5);

        LearnedRanker.Ranking full =
                all.rank("u1", SHOE_LOVER, "u4pruy", "weekday-evening", "mobile", T, manyCandidates(), null, w);
        LearnedRanker.Ranking cut = all.withShortlist(6)
                .rank("u1", SHOE_LOVER, "u4pruy", "weekday-evening", "mobile", T, manyCandidates(), null, w);

        assertThat(ids(full))
                .as("without a shortlist the model reaches shoes the sources ranked lower")
                .contains("i100", "i102", "i104", "i106");
        assertThat(ids(cut))
                .as("the six best priors are i100..i105: their shoes first, then their books")
                .containsExactly("i100", "i102", "i104", "i101", "i103");
        assertThat(all.withShortlist(6).shortlist()).isEqualTo(6);
        assertThatThrownBy(() -> all.withShortlist(4)).hasMessageContaining("topK");
        assertThat(all.withShortlist(0)
                        .rank("u1", SHOE_LOVER, "u4pruy", "weekday-evening", "mobile", T, manyCandidates(), null, w)
                        .items)
                .as("0 scores every candidate")
                .extracting(i -> i.item)
                .containsExactly(ids(full));
    }

    @Test
    void mergesSourcesExcludesConsumedItemsAndLogsWhatItServed() throws Exception {
        LearnedRanker ranker = new LearnedRanker(FEATURES, 10);
        List<RankerCandidate> cs = new ArrayList<>(candidates());
        cs.add(RankerCandidate.of("s1", null, Reasons.AFFINITY_CATEGORY, Reasons.POPULAR)
                .withPrior(0.95)
                .withContextPopularity(2));
        LearnedRanker.Ranking r =
                ranker.rank("u1", SHOE_LOVER, "u4pruy", "weekday-evening", "mobile", T, cs, Set.of("b2"), null);

        assertThat(ids(r)).containsExactly("s1", "b1", "s2");
        RankedItem s1 = r.items[0];
        assertThat(s1.category).isEqualTo("shoes");
        assertThat(s1.reasons).containsExactly(Reasons.POPULAR, Reasons.AFFINITY_CATEGORY);
        assertThat(r.served[0].features)
                .isEqualTo(FEATURES.builder()
                        .user(SHOE_LOVER)
                        .context("u4pruy", "weekday-evening", "mobile")
                        .item("s1", "shoes")
                        .alsScore(0.2)
                        .contextPopularity(2)
                        .build());

        LabeledExample shown = new LabeledExample();
        shown.userId = "u1";
        shown.itemId = "s1";
        shown.geoCell = "u4pruy";
        shown.timeBucket = "weekday-evening";
        shown.deviceClass = "mobile";
        assertThat(r.served).hasSize(3).allSatisfy(s -> {
            assertThat(s.userId).isEqualTo("u1");
            assertThat(s.servedAt).isEqualTo(T);
            assertThat(s.contextKey).isEqualTo(shown.contextKey());
        });
        assertThat(r.served[0].joinKey())
                .as("joins the example of the impression")
                .isEqualTo(ExampleAssembler.exampleKeySelector().getKey(shown));
    }

    @Test
    void rejectsWeightsOfAnotherBucketSpace() {
        RankerWeights w = new RankerWeights();
        w.apply(new WeightDelta(1, 1024, false, new int[0], new double[0]));
        assertThatThrownBy(() -> rank(new LearnedRanker(FEATURES, 10), SHOE_LOVER, w))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same bits");
    }

    @Test
    void learnsFromServedFeaturesToRankEachUsersCategoryFirst() throws Exception {
        LearnedRanker ranker = new LearnedRanker(FEATURES, 10);
        FtrlLearner learner = FtrlLearner.builder()
                .params(FtrlParams.defaults().withBits(12))
                .emitEvery(100)
                .build();
        RankerWeights replica = new RankerWeights();
        try (var h = new OneInputStreamOperatorTestHarness<>(learner.operator())) {
            h.open();
            for (int round = 0; round < 300; round++) {
                UserSummary user = round % 2 == 0 ? SHOE_LOVER : BOOK_LOVER;
                LearnedRanker.Ranking r = rank(ranker, user, replica);
                for (int k = 0; k < r.items.length; k++) {
                    int label = r.items[k].category.equals(user.category(0)) ? 1 : 0;
                    h.processElement(new TrainingExample(r.served[k].features, label, 1.0, T + round), T + round);
                }
                for (WeightDelta d : h.extractOutputValues()) {
                    replica.apply(d);
                }
                h.getOutput().clear();
            }
        }
        assertThat(replica.version).isEqualTo(1200);
        assertThat(Arrays.asList(ids(rank(ranker, SHOE_LOVER, replica))).subList(0, 2))
                .containsExactlyInAnyOrder("s1", "s2");
        assertThat(Arrays.asList(ids(rank(ranker, BOOK_LOVER, replica))).subList(0, 2))
                .containsExactlyInAnyOrder("b1", "b2");
    }

    @Test
    void customContextAttributesReachTheRankingAndItsTrainingFeatures() {
        String[] keys = {"companion", "weather"};
        String[] values = {"kids", "rain"};
        LearnedRanker ranker = new LearnedRanker(FEATURES, 10);
        RankerCandidate shoe = candidates().get(2);
        HashedFeatures plain = ranker.featuresOf(BOOK_LOVER, "u4pruy", "weekday-evening", "mobile", shoe);
        HashedFeatures rainy = ranker.featuresOf(BOOK_LOVER, "u4pruy", "weekday-evening", "mobile", keys, values, shoe);
        int[] added =
                Arrays.stream(rainy.indices).filter(b -> plain.valueAt(b) == 0).toArray();
        assertThat(added)
                .as("attributes alone and crossed with item and category")
                .isNotEmpty();
        // a model that learned "shoes on rainy days with the kids": every bucket the attributes add to a shoe
        RankerWeights w = new RankerWeights();
        w.apply(new WeightDelta(
                1, 4096, true, added, Arrays.stream(added).mapToDouble(b -> 2.0).toArray()));

        LearnedRanker.Ranking withAttributes = ranker.rank(
                "u1", BOOK_LOVER, "u4pruy", "weekday-evening", "mobile", keys, values, T, candidates(), null, w);
        LearnedRanker.Ranking without =
                ranker.rank("u1", BOOK_LOVER, "u4pruy", "weekday-evening", "mobile", T, candidates(), null, w);

        assertThat(ids(withAttributes))
                .as("the context's attributes lift the shoes")
                .startsWith("s1");
        assertThat(ids(without)).as("no attributes: the sources' order").startsWith("b1", "b2");
        assertThat(withAttributes.served[0].features)
                .as("what serving logs is what training sees")
                .isEqualTo(rainy);
    }
}
