package io.desire.features.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SourceOrder#order} against the plain definition: sort the lead's items, sort the rest, take topK. */
class SourceOrderTest {

    /** The definition, by full sorts. */
    private static List<String> byDefinition(CandidatePool pool, CandidateSource lead, int topK) {
        List<CandidatePool.Candidate> led = new ArrayList<>();
        List<CandidatePool.Candidate> rest = new ArrayList<>();
        for (CandidatePool.Candidate c : pool.candidates()) {
            (c.from(lead) ? led : rest).add(c);
        }
        led.sort(Comparator.comparingInt(c -> c.rank(lead)));
        rest.sort(Comparator.comparingInt(CandidatePool.Candidate::bestRank)
                .thenComparingInt(SourceOrderTest::firstSource)
                .thenComparing(CandidatePool.Candidate::item));
        led.addAll(rest);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < Math.min(topK, led.size()); i++) {
            items.add(led.get(i).item());
        }
        return items;
    }

    private static int firstSource(CandidatePool.Candidate c) {
        for (CandidateSource s : CandidateSource.values()) {
            if (c.from(s)) {
                return s.ordinal();
            }
        }
        return Integer.MAX_VALUE;
    }

    /** Lists of 0–30 items from 60 per source, some items excluded, random scores. */
    private static CandidatePool randomPool(Random r) {
        Map<CandidateSource, SourceList> lists = new EnumMap<>(CandidateSource.class);
        for (CandidateSource s : CandidateSource.values()) {
            int n = r.nextInt(31);
            String[] items = new String[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                items[i] = "i" + r.nextInt(60);
                scores[i] = r.nextDouble();
            }
            lists.put(s, SourceList.of(items, scores, null));
        }
        return CandidatePool.of(lists, EnumSet.allOf(CandidateSource.class), item -> item.endsWith("7"), 20);
    }

    @Test
    void ordersAsSortingEverythingWould() {
        Random r = new Random(11);
        for (int round = 0; round < 2_000; round++) {
            CandidatePool pool = randomPool(r);
            int topK = 1 + r.nextInt(25);
            for (CandidateSource lead : CandidateSource.values()) {
                List<String> actual = new ArrayList<>();
                SourceOrder.order(pool, lead, topK).forEach(c -> actual.add(c.item()));
                assertThat(actual)
                        .as("round %d, lead %s, top %d", round, lead, topK)
                        .isEqualTo(byDefinition(pool, lead, topK));
            }
        }
    }
}
