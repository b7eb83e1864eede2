package io.desire.operators.ranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.Blender;
import io.desire.features.ranking.Reasons;
import io.desire.features.ranking.TrendingItems;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.covisit.ItemFollowers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HybridCandidatesTest {
    private static final HybridCandidates SOURCES = new HybridCandidates(new Blender(), 30, 2);
    private static final TrendingItems CONTEXT = new TrendingItems("g:t:d", 1L, new String[] {"t1", "a1"},
            new double[] {10, 4}, new String[] {"toys", "art"});

    private static UserProfile recent(String... items) {
        UserProfile p = new UserProfile();
        p.recentItems = items;
        return p;
    }

    private static RankerCandidate bySource(List<RankerCandidate> cs, String item, String reason) {
        return cs.stream().filter(c -> c.itemId.equals(item) && List.of(c.reasons).contains(reason))
                .findFirst().orElseThrow();
    }

    @Test
    void signalsBelongToTheItemWhicheverSourceProposedIt() {
        AlsCandidates als = new AlsCandidates("u", new String[] {"a1", "z9"}, new double[] {2.0, 1.0}, 5L);
        List<RankerCandidate> cs = SOURCES.collect(null, CONTEXT, null, als, id -> null);

        RankerCandidate fromTrending = bySource(cs, "a1", Reasons.CONTEXT_TRENDING);
        RankerCandidate fromAls = bySource(cs, "a1", Reasons.ALS);
        for (RankerCandidate c : List.of(fromTrending, fromAls)) {
            assertThat(c.alsScore).isEqualTo(2.0);
            assertThat(c.contextPopularity).isEqualTo(4.0);
            assertThat(c.category).isEqualTo("art");
        }
        assertThat(bySource(cs, "z9", Reasons.ALS).contextPopularity).isNaN();
        assertThat(fromAls.prior).isEqualTo(HybridCandidates.ALS_PRIOR_WEIGHT);
        assertThat(bySource(cs, "z9", Reasons.ALS).prior).isEqualTo(HybridCandidates.ALS_PRIOR_WEIGHT / 2);

        RankerCandidate described = SOURCES.describe("a1", "art", CONTEXT, als);
        assertThat(described.alsScore).isEqualTo(2.0);
        assertThat(described.contextPopularity).isEqualTo(4.0);
    }

    @Test
    void sequenceScoresSumTheShareOfEachRecentItemsBestFollower() {
        Map<String, ItemFollowers> lists = Map.of(
                "r1", new ItemFollowers("r1", new String[] {"x", "y"}, new double[] {4, 2}, 1, 1),
                "r2", new ItemFollowers("r2", new String[] {"y"}, new double[] {10}, 1, 1),
                "r0", new ItemFollowers("r0", new String[] {"w"}, new double[] {10}, 1, 1));
        // the two most recent items are r1 and r2; r0 is older than recentForSequence = 2
        List<RankerCandidate> cs = SOURCES.collect(recent("r0", "r1", "r2"), null, null, null, lists::get);

        // y: 2/4 + 10/10 = 1.5 (best), x: 4/4 = 1.0
        assertThat(bySource(cs, "y", Reasons.SEQUENCE).prior).isEqualTo(HybridCandidates.SEQUENCE_PRIOR_WEIGHT);
        assertThat(bySource(cs, "x", Reasons.SEQUENCE).prior).isEqualTo(HybridCandidates.SEQUENCE_PRIOR_WEIGHT / 1.5);
        assertThat(cs).noneMatch(c -> c.itemId.equals("w"));
    }

    @Test
    void purchasesAreExcludedAndArgumentsChecked() {
        UserProfile p = new UserProfile();
        p.purchased = new String[] {"p1"};
        assertThat(SOURCES.excluded(p)).containsExactly("p1");
        assertThat(SOURCES.excluded(null)).isEmpty();
        assertThatThrownBy(() -> new HybridCandidates(new Blender(), 0, 1)).hasMessageContaining("perSource");
    }
}
