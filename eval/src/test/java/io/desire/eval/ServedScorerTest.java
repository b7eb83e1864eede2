package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The served scorer's figures, computed by hand on tiny lists. */
class ServedScorerTest {

    private static final Map<String, String> CATEGORY = Map.of("a", "x", "b", "x", "c", "y", "d", "z", "e", "y");

    private static ServedScorer scorer(int k) {
        return new ServedScorer(k, 10, CATEGORY::get);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void ndcgRecallPrecisionAndHitRateOfOneList() {
        ServedScorer s = scorer(3);
        // relevant {b, d}; list a, b, c, d: hit at rank 2 only within K=3
        s.add(new ServedProtocol.Unit("u", null, Set.of("b", "d")), List.of("a", "b", "c", "d"), Set.of());
        double dcg = 1 / log2(3);
        double idcg = 1 / log2(2) + 1 / log2(3);
        assertThat(s.ndcg()).isCloseTo(dcg / idcg, within(1e-12));
        assertThat(s.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(s.precision()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(s.hitRate()).isEqualTo(1.0);
        // a, b, c: categories x, x, y → 2 distinct of 3
        assertThat(s.diversity()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(s.coverage()).isCloseTo(0.3, within(1e-12));
    }

    @Test
    void idealIsOverAtMostKRelevantItemsAndMeansAreOverUnits() {
        ServedScorer s = scorer(2);
        // 3 relevant, K=2: perfect top 2 gives NDCG 1
        s.add(new ServedProtocol.Unit("u1", "c1", Set.of("a", "b", "c")), List.of("a", "b"), Set.of());
        // a miss
        s.add(new ServedProtocol.Unit("u1", "c2", Set.of("e")), List.of("c", "d"), Set.of());
        assertThat(s.ndcg()).isCloseTo(0.5, within(1e-12));
        assertThat(s.recall()).isCloseTo((2.0 / 3 + 0) / 2, within(1e-12));
        assertThat(s.hitRate()).isEqualTo(0.5);
        assertThat(s.units()).isEqualTo(2);
        // a,b: one category of two items (0.5); c,d: two of two (1)
        assertThat(s.diversity()).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void countsConsumedItemsShortListsAndMissingDocuments() {
        ServedScorer s = scorer(3);
        s.add(new ServedProtocol.Unit("u1", null, Set.of("c")), List.of("a", "c"), Set.of("a", "b"));
        s.add(new ServedProtocol.Unit("u2", null, Set.of("c")), null, Set.of());
        assertThat(s.consumedInTraining()).isEqualTo(1);
        assertThat(s.shortLists()).isEqualTo(2);
        assertThat(s.missing()).isEqualTo(1);
        // precision divides by K even for a short list; the unit without a document scores 0
        assertThat(s.precision()).isCloseTo((1.0 / 3) / 2, within(1e-12));
        assertThat(s.metrics().consumedInTraining()).isEqualTo(1L);
        assertThat(s.metrics().unitsWithoutDocument()).isEqualTo(1L);
        assertThat(s.metrics().users()).isEqualTo(2);
    }

    @Test
    void listsWithoutCategoriesLeaveDiversityUndefined() {
        ServedScorer s = new ServedScorer(2, 5, item -> null);
        s.add(new ServedProtocol.Unit("u", null, Set.of("a")), List.of("a", "b"), Set.of());
        assertThat(s.diversity()).isNaN();
        assertThat(s.metrics().diversity()).isNull();
    }
}
