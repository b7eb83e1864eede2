package io.desire.features.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.desire.features.profile.DecayPolicy;
import io.desire.features.profile.UserProfile;
import io.desire.features.recs.RankedItem;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlenderTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final DecayPolicy POLICY = new DecayPolicy(Duration.ofDays(7), 100);

    /** Items x=4 (A), y=2 (B); categories A=3, B=1 (shares 0.75 and 0.25). */
    private static UserProfile profile() {
        UserProfile p = new UserProfile();
        p.items.add("x", 4.0, "A", T0, POLICY);
        p.items.add("y", 2.0, "B", T0, POLICY);
        p.categories.add("A", 3.0, null, T0, POLICY);
        p.categories.add("B", 1.0, null, T0, POLICY);
        return p;
    }

    private static TrendingItems context() {
        return new TrendingItems(
                "g:b:d", 1000L, new String[] {"p", "y"}, new double[] {10.0, 5.0}, new String[] {"A", "B"});
    }

    private static TrendingItems global() {
        return new TrendingItems(
                TrendingItems.GLOBAL, 1000L, new String[] {"q", "p"}, new double[] {8.0, 4.0}, new String[] {"C", "A"});
    }

    private static String[] ids(RankedItem[] r) {
        return Arrays.stream(r).map(i -> i.item).toArray(String[]::new);
    }

    @Test
    void blendsNormalisedSignalsWithDefaultWeights() {
        RankedItem[] r = new Blender().rank(profile(), context(), global());

        // x: 0.5·(1 + 0.75)                      = 0.875
        // p: 0.5·(0 + 0.75) + 0.3·1   + 0.2·0.5  = 0.775
        // y: 0.5·(0.5 + 0.25) + 0.3·0.5          = 0.525
        // q:                          0.2·1      = 0.2
        assertThat(ids(r)).containsExactly("x", "p", "y", "q");
        assertThat(r[0].score).isCloseTo(0.875, within(1e-12));
        assertThat(r[1].score).isCloseTo(0.775, within(1e-12));
        assertThat(r[2].score).isCloseTo(0.525, within(1e-12));
        assertThat(r[3].score).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void reasonsListPositiveContributionsLargestFirst() {
        RankedItem[] r = new Blender().rank(profile(), context(), global());

        assertThat(r[0].reasons).containsExactly(Reasons.AFFINITY_ITEM, Reasons.AFFINITY_CATEGORY);
        assertThat(r[1].reasons).containsExactly(Reasons.AFFINITY_CATEGORY, Reasons.CONTEXT_TRENDING, Reasons.POPULAR);
        assertThat(r[2].reasons)
                .containsExactly(Reasons.AFFINITY_ITEM, Reasons.CONTEXT_TRENDING, Reasons.AFFINITY_CATEGORY);
        assertThat(r[3].reasons).containsExactly(Reasons.POPULAR);
        assertThat(r[1].category).isEqualTo("A");
        assertThat(r[3].category).isEqualTo("C");
    }

    @Test
    void purchasedItemsAreExcluded() {
        UserProfile p = profile();
        p.purchased = new String[] {"x", "p"};

        RankedItem[] r = new Blender().rank(p, context(), global());

        assertThat(ids(r)).containsExactly("y", "q");
    }

    @Test
    void weightsChangeTheOrder() {
        RankedItem[] popularOnly = new Blender(0.0, 0.0, 1.0, 10).rank(profile(), context(), global());
        assertThat(ids(popularOnly)).containsExactly("q", "p");
        assertThat(popularOnly[1].score).isEqualTo(0.5);

        RankedItem[] contextOnly = new Blender(0.0, 1.0, 0.0, 10).rank(profile(), context(), global());
        assertThat(ids(contextOnly)).containsExactly("p", "y");
    }

    @Test
    void equalScoresAreOrderedByItemIdAndCutAtTopK() {
        TrendingItems ctx = new TrendingItems(
                "g:b:d", 1000L, new String[] {"c", "b", "a", "d"}, new double[] {5.0, 5.0, 5.0, 5.0}, new String[4]);

        RankedItem[] r = new Blender(0.5, 0.3, 0.2, 3).rank(null, ctx, null);

        assertThat(ids(r)).containsExactly("a", "b", "c");
        assertThat(new Blender(0.5, 0.3, 0.2, 3).rank(null, ctx, null)).isEqualTo(r);
    }

    @Test
    void coldUserGetsContextAndPopularItems() {
        RankedItem[] r = new Blender().rank(null, null, global());
        assertThat(ids(r)).containsExactly("q", "p");
        assertThat(new Blender().rank(null, null, null)).isEmpty();
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThatThrownBy(() -> new Blender(-1, 0, 0, 10)).hasMessageContaining("wAffinity");
        assertThatThrownBy(() -> new Blender(1, 0, 0, 0)).hasMessageContaining("topK");
    }
}
