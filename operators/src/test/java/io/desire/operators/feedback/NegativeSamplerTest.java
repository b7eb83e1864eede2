package io.desire.operators.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.ranking.TrendingItems;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NegativeSamplerTest {
    private static final String[] POPULAR = {"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"};

    @Test
    void drawsNDistinctItemsExcludingThePositiveAndConsumed() {
        NegativeSampler s = new NegativeSampler(4, 42L);
        String[] neg = s.draw("u", "p3", 1000L, POPULAR, Set.of("p0", "p5"));
        assertThat(neg).hasSize(4).doesNotHaveDuplicates().doesNotContain("p3", "p0", "p5");
        assertThat(neg).allSatisfy(n -> assertThat(POPULAR).contains(n));
    }

    @Test
    void isDeterministicPerPositiveAndVariesAcrossPositives() {
        NegativeSampler a = new NegativeSampler(3, 7L);
        NegativeSampler b = new NegativeSampler(3, 7L);
        assertThat(a.draw("u", "p1", 5L, POPULAR, null)).containsExactly(b.draw("u", "p1", 5L, POPULAR, null));
        // other positives (or seeds) draw differently at least sometimes
        boolean differs = false;
        for (int t = 0; t < 20 && !differs; t++) {
            differs =
                    !List.of(a.draw("u", "p1", t, POPULAR, null)).equals(List.of(a.draw("u", "p1", 5L, POPULAR, null)));
        }
        assertThat(differs).isTrue();
        assertThat(new NegativeSampler(3, 8L).draw("u", "p1", 5L, POPULAR, null))
                .isNotEqualTo(a.draw("u", "p1", 5L, POPULAR, null));
    }

    @Test
    void drawsUniformlyOverEligibleItems() {
        NegativeSampler s = new NegativeSampler(2, 1L);
        Map<String, Integer> counts = new HashMap<>();
        for (int t = 0; t < 9000; t++) {
            for (String n : s.draw("u" + t, "p0", t, POPULAR, Set.of("p9"))) {
                counts.merge(n, 1, Integer::sum);
            }
        }
        // 18000 draws over 8 eligible items: 2250 each
        assertThat(counts).containsOnlyKeys("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8");
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(2050, 2450));
    }

    @Test
    void returnsAllEligibleWhenFewerThanN() {
        NegativeSampler s = new NegativeSampler(5, 1L);
        assertThat(s.draw("u", "a", 0L, new String[] {"a", "b", null, "b", "c"}, Set.of("c")))
                .containsExactly("b");
        assertThat(s.draw("u", "a", 0L, new String[0], null)).isEmpty();
        assertThatThrownBy(() -> new NegativeSampler(0, 1L)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativesCarryThePositivesUserContextAndTheirOwnCategory() {
        Event click = new Event();
        click.type = EventType.CLICK;
        click.userId = "u";
        click.itemId = "p0";
        click.category = "shoes";
        click.ts = 1234L;
        click.geoCell = "u4pruy";
        click.timeBucket = "weekday-evening";
        click.deviceClass = "mobile";
        LabeledExample positive = LabeledExample.of(click, 1);
        TrendingItems popular = new TrendingItems(
                "u4pruy:weekday-evening:mobile",
                0L,
                new String[] {"p0", "p1", "p2"},
                new double[] {3, 2, 1},
                new String[] {"shoes", "bags", null});

        List<LabeledExample> neg = new NegativeSampler(4, 9L).negatives(positive, popular, Set.of());
        assertThat(neg).hasSize(2).allSatisfy(x -> {
            assertThat(x.label).isZero();
            assertThat(x.userId).isEqualTo("u");
            assertThat(x.contextKey()).isEqualTo(positive.contextKey());
            assertThat(x.impressionTs).isEqualTo(1234L);
        });
        assertThat(neg).extracting(x -> x.itemId + "/" + x.category).containsExactlyInAnyOrder("p1/bags", "p2/null");
    }
}
