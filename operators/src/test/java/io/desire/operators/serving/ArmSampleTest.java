package io.desire.operators.serving;

import static io.desire.operators.TestEvents.CTX_X;
import static io.desire.operators.TestEvents.behaviour;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.event.EventType;
import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.Recommendation;
import io.desire.operators.ranker.LearnedRanker;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The arms' sample ({@code recs.arm-sample}): which users judge the arms, what that costs in state,
 * and that the documents served do not depend on it while an arm is pinned.
 */
class ArmSampleTest {
    private static final LearnedRanker RANKER = new LearnedRanker(
            new RankingFeatures(FeatureHasher.forParams(FtrlParams.defaults().withBits(16))), 5);
    private static final List<String> USERS =
            IntStream.range(0, 120).mapToObj(i -> "user-" + i).toList();
    private static final long HOUR = 3_600_000L;

    private static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> harness(
            UserRecommenderBuilder b, boolean rocksDb) throws Exception {
        return RecommenderHarness.open(b.build(), rocksDb);
    }

    /**
     * Every user views an item, gets a document, and clicks a trending item an hour later (a new
     * session, scored against the arms' lists of that document); the documents are flushed after each.
     */
    private static void twoSessionsPerUser(KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, ?> h)
            throws Exception {
        h.processBroadcastElement(
                ModelUpdate.of(new TrendingItems(
                        CTX_X,
                        600_000L,
                        new String[] {"t1", "s1", "b1", "b2"},
                        new double[] {10, 9, 8, 7},
                        new String[] {"toys", "shoes", "books", "books"})),
                1L);
        h.processBroadcastElement(
                ModelUpdate.of(new TrendingItems(
                        TrendingItems.GLOBAL,
                        600_000L,
                        new String[] {"t1", "b1", "c1"},
                        new double[] {10, 5, 4},
                        new String[] {"toys", "books", "cars"})),
                1L);
        for (String u : USERS) {
            h.processElement(UserSignal.of(behaviour(EventType.VIEW, u, "v-" + u, "toys", HOUR, CTX_X)), HOUR);
        }
        h.setProcessingTime(1_000L);
        for (String u : USERS) {
            h.processElement(UserSignal.of(behaviour(EventType.CLICK, u, "s1", "shoes", 2 * HOUR, CTX_X)), 2 * HOUR);
        }
        h.setProcessingTime(2_000L);
    }

    private static Set<String> usersWithSessionLists(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) throws Exception {
        try (var keys = h.getOperator()
                .getKeyedStateBackend()
                .getKeys(UserRecommender.SESSION_LISTS_STATE_NAME, VoidNamespace.INSTANCE)) {
            return keys.map(k -> (String) k).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> judged(UserRecommender r) {
        return USERS.stream().filter(r::judgesArms).collect(Collectors.toCollection(TreeSet::new));
    }

    /** What apps read: user, context, model version and items, in emission order. */
    private static List<String> documents(KeyedBroadcastOperatorTestHarness<?, ?, ?, Recommendation> h) {
        return h.extractOutputValues().stream()
                .map(r -> r.userId + " " + r.contextKey() + " " + r.modelVersion + " " + r.eventTime + " "
                        + Arrays.stream(r.items)
                                .map(i -> i.item + "/" + i.score + "/" + String.join(",", i.reasons))
                                .toList())
                .toList();
    }

    @Test
    void aPinnedArmIsJudgedByATenthOfUsersChosenByTheirIdAlone() {
        UserRecommender pinned =
                UserRecommender.builder().learned(RANKER).serve("als").build();
        long inSample = IntStream.range(0, 100_000)
                .filter(i -> pinned.judgesArms("user-" + i))
                .count();
        assertThat(inSample).isBetween(9_500L, 10_500L);

        UserRecommender another =
                UserRecommender.builder().learned(RANKER).serve("popular").build();
        assertThat(judged(another)).as("the same users, in every instance").isEqualTo(judged(pinned));
        assertThat(judged(UserRecommender.builder().learned(RANKER).build()))
                .as("the champion serves (auto): every user")
                .containsExactlyElementsOf(new TreeSet<>(USERS));
        assertThat(judged(UserRecommender.builder().learned(RANKER).armSample(0).build()))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void onlyUsersInTheSampleKeepSessionListsAndTheyStillScoreTheArms(boolean rocksDb) throws Exception {
        UserRecommenderBuilder b = UserRecommender.builder().learned(RANKER).serve("als");
        UserRecommender probe = b.build();
        Set<String> expected = judged(probe);
        assertThat(expected).as("a sample of some users, not all").isNotEmpty().hasSizeLessThan(USERS.size() / 2);
        try (var h = harness(b, rocksDb)) {
            twoSessionsPerUser(h);
            assertThat(usersWithSessionLists(h)).isEqualTo(expected);
            for (String u : expected) {
                h.getOperator().setCurrentKey(u);
                var lists = h.getOperator()
                        .getKeyedStateStore()
                        .getState(UserRecommender.createSessionListsDescriptor(UserRecommender.DEFAULT_STATE_TTL))
                        .value();
                assertThat(lists.hasLists())
                        .as("the arms' lists of %s's first document", u)
                        .isTrue();
            }
        }
    }

    @Test
    void withTheChampionServingEveryUserKeepsSessionLists() throws Exception {
        try (var h = harness(UserRecommender.builder().learned(RANKER), false)) {
            twoSessionsPerUser(h);
            assertThat(usersWithSessionLists(h)).containsExactlyElementsOf(new TreeSet<>(USERS));
        }
    }

    @Test
    void thePinnedArmServesTheSameDocumentsWhateverTheSample() throws Exception {
        List<String> all;
        try (var h =
                harness(UserRecommender.builder().learned(RANKER).serve("als").armSample(1), false)) {
            twoSessionsPerUser(h);
            all = documents(h);
        }
        List<String> sampled;
        try (var h = harness(UserRecommender.builder().learned(RANKER).serve("als"), false)) {
            twoSessionsPerUser(h);
            sampled = documents(h);
        }
        List<String> none;
        try (var h =
                harness(UserRecommender.builder().learned(RANKER).serve("als").armSample(0), false)) {
            twoSessionsPerUser(h);
            none = documents(h);
        }
        assertThat(all).hasSize(2 * USERS.size());
        assertThat(sampled).isEqualTo(all);
        assertThat(none).isEqualTo(all);
    }

    @Test
    void aShareOutsideZeroToOneIsRefused() {
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> UserRecommender.builder().armSample(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("arm sample");
        }
    }
}
