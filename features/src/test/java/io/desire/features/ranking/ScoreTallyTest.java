package io.desire.features.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ScoreTally}: sums per item, the first category given, and the best n in a stable order. */
class ScoreTallyTest {

    @Test
    void sumsPerItemKeepTheFirstKnownCategoryAndRankByScoreThenId() {
        ScoreTally t = new ScoreTally();
        t.add("b", 0.5, null);
        t.add("a", 1.0, "toys");
        t.add("b", 0.5, "books");
        t.add("c", 1.0, "cars");
        t.add("b", 0.0, "shoes");
        ScoreTally.Top top = t.top(10);
        assertThat(top.items()).containsExactly("a", "b", "c");
        assertThat(top.scores()).containsExactly(1.0, 1.0, 1.0);
        assertThat(top.categories()).containsExactly("toys", "books", "cars");
        assertThat(t.top(2).items()).containsExactly("a", "b");
        assertThat(t.top(0).items()).isEmpty();
        assertThat(new ScoreTally().top(5).items()).isEmpty();
    }

    /** The same lists as summing into a map and sorting every entry, on random inputs full of ties. */
    @Test
    void agreesWithAFullSortOnRandomInputs() {
        Random r = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            ScoreTally t = new ScoreTally();
            Map<String, double[]> sums = new LinkedHashMap<>();
            Map<String, String> categories = new LinkedHashMap<>();
            int adds = r.nextInt(200);
            int distinct = 1 + r.nextInt(160);
            for (int i = 0; i < adds; i++) {
                String item = "i" + r.nextInt(distinct);
                double score = r.nextInt(4) == 0 ? r.nextInt(3) / 2.0 : r.nextDouble();
                String category = r.nextInt(3) == 0 ? null : "c" + r.nextInt(5);
                t.add(item, score, category);
                sums.computeIfAbsent(item, k -> new double[1])[0] += score;
                if (category != null) {
                    categories.putIfAbsent(item, category);
                }
            }
            List<Map.Entry<String, double[]>> ranked = new ArrayList<>(sums.entrySet());
            ranked.sort((a, b) -> {
                int c = Double.compare(b.getValue()[0], a.getValue()[0]);
                return c != 0 ? c : a.getKey().compareTo(b.getKey());
            });
            int n = r.nextInt(80);
            ScoreTally.Top top = t.top(n);
            int m = Math.min(n, ranked.size());
            assertThat(top.items()).hasSize(m);
            for (int i = 0; i < m; i++) {
                String item = ranked.get(i).getKey();
                assertThat(top.items()[i]).as("round %d, rank %d", round, i).isEqualTo(item);
                assertThat(top.scores()[i]).isEqualTo(ranked.get(i).getValue()[0]);
                assertThat(top.categories()[i]).isEqualTo(categories.get(item));
            }
        }
    }
}
