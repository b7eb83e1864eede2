package io.desire.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.desire.features.ranking.TrendingItems;
import org.junit.jupiter.api.Test;

/** Long-horizon popularity: window lists added into scores that halve every half-life. */
class LongHorizonPopularityTest {
    private static final long DAY = 86_400_000L;

    private static TrendingItems window(long end, String[] items, double[] scores) {
        return new TrendingItems(TrendingItems.GLOBAL, end, items, scores, new String[items.length]);
    }

    @Test
    void olderPopularityDecaysByItsHalfLifeAndTheBestComeFirst() {
        TrendingItems first =
                LongHorizonPopularity.merge(null, window(DAY, new String[] {"a", "b"}, new double[] {8, 2}), DAY, 10);
        assertThat(first.items).containsExactly("a", "b");
        assertThat(first.contextKey).isEqualTo(TrendingItems.POPULAR);

        // one half-life later, b is popular now: a's 8 is worth 4, b's 2 is worth 1 plus 5 new
        TrendingItems later =
                LongHorizonPopularity.merge(first, window(2 * DAY, new String[] {"b"}, new double[] {5}), DAY, 10);
        assertThat(later.items).containsExactly("b", "a");
        assertThat(later.scores[0]).isCloseTo(6.0, within(1e-9));
        assertThat(later.scores[1]).isCloseTo(4.0, within(1e-9));
        assertThat(later.windowEnd).isEqualTo(2 * DAY);

        assertThat(LongHorizonPopularity.merge(later, window(3 * DAY, new String[] {"c"}, new double[] {1}), DAY, 2)
                        .items)
                .as("bounded")
                .hasSize(2)
                .containsExactly("b", "a");
    }
}
