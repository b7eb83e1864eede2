package io.desire.features.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopItemsTest {
    @Test
    void keepsTheKBestSortedByScoreThenItem() {
        TopItems top = new TopItems(3);
        top.offer("d", 1.0, null);
        top.offer("b", 4.0, "x");
        top.offer("c", 4.0, null);
        top.offer("a", 2.0, null);
        top.offer("e", 4.0, null);
        top.offer("z", 0.0, null);

        TrendingItems t = top.toTrending("ctx", 300_000L);

        assertThat(t.items).containsExactly("b", "c", "e");
        assertThat(t.scores).containsExactly(4.0, 4.0, 4.0);
        assertThat(t.categories).containsExactly("x", null, null);
        assertThat(t.windowEnd).isEqualTo(300_000L);
        assertThat(top.size()).isZero();
    }
}
