package io.desire.features.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.recs.RankedItem;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plain stages of the serving path: exclusion, merge, single-source order with back-fill, arms. */
class ServingStagesTest {

    private static Event event(EventType type, String item) {
        Event e = new Event();
        e.type = type;
        e.userId = "u";
        e.itemId = item;
        return e;
    }

    @Test
    void consumedItemsRememberEachItemOnceUpToTheBound() {
        ConsumedItems c = new ConsumedItems();
        assertThat(c.add("a", 2)).isTrue();
        assertThat(c.add("a", 2)).as("known already").isFalse();
        assertThat(c.add("b", 2)).isTrue();
        assertThat(c.add("c", 2)).as("bound reached").isFalse();
        assertThat(c.contains("a")).isTrue();
        assertThat(c.contains("b")).isTrue();
        assertThat(c.contains("c")).isFalse();
        assertThat(c.contains(null)).isFalse();
        assertThat(c.hashes).isSorted();
    }

    @Test
    void exclusionRuleDefaultsToRatedAndPurchasedAndRefusesWhatIsNotConsumption() {
        ExclusionRule rule = ExclusionRule.defaults();
        assertThat(rule.consumes(event(EventType.RATE, "m"))).isTrue();
        assertThat(rule.consumes(event(EventType.PURCHASE, "m"))).isTrue();
        assertThat(rule.consumes(event(EventType.VIEW, "m"))).isFalse();
        assertThat(ExclusionRule.parse("view, click").consumes(event(EventType.CLICK, "m")))
                .isTrue();
        assertThat(ExclusionRule.parse("none").isEmpty()).isTrue();
        assertThatThrownBy(() -> ExclusionRule.parse("impression"))
                .hasMessageContaining("recs.exclude lists 'impression'");
        assertThatThrownBy(() -> ExclusionRule.parse("rate,bogus")).hasMessageContaining("'bogus'");
    }

    @Test
    void sourceNamesParseAndBadNamesSayWhatIsAllowed() {
        assertThat(CandidateSource.parseList("popular, als"))
                .containsExactly(CandidateSource.ALS, CandidateSource.POPULAR);
        assertThatThrownBy(() -> CandidateSource.parseList("als,knn"))
                .hasMessageContaining("'knn'")
                .hasMessageContaining(CandidateSource.ALL);
        assertThatThrownBy(() -> CandidateSource.parseList(" ")).hasMessageContaining("at least one");
    }

    private static Map<CandidateSource, SourceList> lists() {
        Map<CandidateSource, SourceList> m = new EnumMap<>(CandidateSource.class);
        m.put(CandidateSource.ALS, SourceList.of(new String[] {"a", "seen", "b"}, new double[] {2, 1.5, 1}, null));
        m.put(
                CandidateSource.POPULAR,
                SourceList.of(
                        new String[] {"p", "a", "q", "r"}, new double[] {10, 8, 6, 4}, new String[] {"x", "y", "z", "w"
                        }));
        return m;
    }

    @Test
    void poolMergesSourcesWithoutExcludedItemsAndRanksAfterExclusion() {
        CandidatePool pool = CandidatePool.of(lists(), EnumSet.allOf(CandidateSource.class), "seen"::equals, 50);
        assertThat(pool.get("seen")).isNull();
        CandidatePool.Candidate b = pool.get("b");
        assertThat(b.rank(CandidateSource.ALS)).as("rank among servable items").isEqualTo(1);
        assertThat(b.score(CandidateSource.ALS)).isEqualTo(0.5);
        CandidatePool.Candidate a = pool.get("a");
        assertThat(a.from(CandidateSource.POPULAR)).isTrue();
        assertThat(a.score(CandidateSource.POPULAR)).isEqualTo(0.8);
        assertThat(a.category()).as("first known category").isEqualTo("y");
        assertThat(a.reasons()).containsExactly("als", "popular");
        assertThat(pool.size()).isEqualTo(5);
    }

    @Test
    void disabledSourcesAndDepthLimitTheirContribution() {
        CandidatePool pool = CandidatePool.of(lists(), Set.of(CandidateSource.POPULAR), x -> false, 2);
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.get("b")).isNull();
    }

    @Test
    void singleSourceOrderLeadsWithItsItemsThenBackFillsToAFullList() {
        CandidatePool pool = CandidatePool.of(lists(), EnumSet.allOf(CandidateSource.class), "seen"::equals, 50);
        RankedItem[] ranked = SourceOrder.rank(pool, CandidateSource.ALS, 4);
        assertThat(Arrays.stream(ranked).map(r -> r.item)).containsExactly("a", "b", "p", "q");
        assertThat(Arrays.stream(ranked).mapToDouble(r -> r.score).toArray())
                .isSortedAccordingTo((x, y) -> Double.compare(y, x));
        List<CandidatePool.Candidate> popular = SourceOrder.order(pool, CandidateSource.POPULAR, 10);
        assertThat(popular).extracting(CandidatePool.Candidate::item).containsExactly("p", "a", "q", "r", "b");
    }

    @Test
    void championFollowsTheBestArmAndLearnedServesOnlyWhileStrictlyBetter() {
        ArmScores arms = new ArmScores();
        Set<CandidateSource> all = EnumSet.allOf(CandidateSource.class);
        assertThat(arms.champion(all, true, 1, CandidateSource.ALS))
                .as("no evidence: fallback")
                .isEqualTo(CandidateSource.ALS.ordinal());
        int[] ranks = new int[ArmScores.ARMS];
        Arrays.fill(ranks, -1);
        ranks[CandidateSource.POPULAR.ordinal()] = 0;
        ranks[ArmScores.LEARNED] = 0;
        arms.record(ranks, 10, 0.9);
        assertThat(arms.champion(all, true, 1, CandidateSource.ALS))
                .as("learned ties popular: the source serves")
                .isEqualTo(CandidateSource.POPULAR.ordinal());
        ranks[CandidateSource.POPULAR.ordinal()] = 5;
        for (int i = 0; i < 20; i++) {
            arms.record(ranks, 10, 0.9);
        }
        assertThat(arms.champion(all, true, 1, CandidateSource.ALS)).isEqualTo(ArmScores.LEARNED);
        assertThat(arms.champion(all, false, 1, CandidateSource.ALS))
                .as("an untrained ranker never serves")
                .isEqualTo(CandidateSource.POPULAR.ordinal());
        // the learned ranker falls behind: the champion goes back to the source
        ranks[ArmScores.LEARNED] = -1;
        ranks[CandidateSource.POPULAR.ordinal()] = 0;
        for (int i = 0; i < 40; i++) {
            arms.record(ranks, 10, 0.9);
        }
        assertThat(arms.champion(all, true, 1, CandidateSource.ALS)).isEqualTo(CandidateSource.POPULAR.ordinal());
        assertThat(ArmScores.gain(0, 10)).isEqualTo(1.0);
        assertThat(ArmScores.gain(10, 10)).isZero();
    }

    @Test
    void sessionListsScoreEveryArmByTheDocumentTheReturningUserReads() {
        SessionLists lists = new SessionLists();
        assertThat(lists.startsSession(1_000L, 60_000L)).as("the first event").isTrue();
        lists.resetNext(3);
        lists.setNext(CandidateSource.ALS.ordinal(), List.of("a", "b", "c", "d"));
        lists.setNext(CandidateSource.POPULAR.ordinal(), List.of("c"));
        assertThat(lists.hasLists())
                .as("a document's lists count from the next session on")
                .isFalse();
        lists.lastEventTime = 1_000L;
        assertThat(lists.startsSession(61_000L, 60_000L)).as("within the gap").isFalse();
        assertThat(lists.startsSession(61_001L, 60_000L)).isTrue();
        lists.promote();
        lists.resetNext(3); // a later document of the new session does not change what it is scored on

        int[] ranks = lists.ranksOf("c");
        assertThat(ranks[CandidateSource.ALS.ordinal()]).isEqualTo(2);
        assertThat(ranks[CandidateSource.POPULAR.ordinal()]).isZero();
        assertThat(ranks[CandidateSource.SEQUENCE.ordinal()])
                .as("no list: not scored")
                .isEqualTo(Integer.MIN_VALUE);
        assertThat(ranks[ArmScores.LEARNED]).isEqualTo(Integer.MIN_VALUE);
        assertThat(lists.ranksOf("d")[CandidateSource.ALS.ordinal()])
                .as("beyond k")
                .isEqualTo(-1);
    }
}
