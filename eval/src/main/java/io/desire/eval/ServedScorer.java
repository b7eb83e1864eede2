package io.desire.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Scores ranked lists against the units of {@link ServedProtocol}, one list per unit, and sums up:
 *
 * <ul>
 *   <li>NDCG@K — binary gains, discount {@code 1/log2(rank + 1)}, ideal over {@code min(|relevant|, K)};
 *   <li>Recall@K (hits / |relevant|), Precision@K (hits / K, also when the list is shorter), HR@K;
 *   <li>catalogue coverage: distinct items in all top-K lists / catalogue size;
 *   <li>intra-list category diversity: distinct categories / items with a category, per list with at
 *       least one categorised item;
 *   <li>items of the top K the user consumed in training (the product must serve none), lists
 *       shorter than K, and units without a list (no document), which score 0.
 * </ul>
 *
 * The list is taken as served: nothing is filtered before the cut at K. All means are over units.
 */
final class ServedScorer {

    private final int k;
    private final int catalogueSize;
    private final Function<String, String> category;
    private final Set<String> covered = new HashSet<>();
    private long units;
    private final Set<String> users = new HashSet<>();
    private double ndcg;
    private double recall;
    private double precision;
    private double hits;
    private double diversity;
    private long diversityLists;
    private long consumed;
    private long listsWithConsumed;
    private long shortLists;
    private long missing;

    /**
     * @param category an item's category, or null when it has none
     */
    ServedScorer(int k, int catalogueSize, Function<String, String> category) {
        if (k < 1 || catalogueSize < 1) {
            throw new IllegalArgumentException("k and catalogueSize must be ≥ 1");
        }
        this.k = k;
        this.catalogueSize = catalogueSize;
        this.category = category;
    }

    /** Adds one unit with the list shown for it (null: the user had no document) and the user's training items. */
    void add(ServedProtocol.Unit unit, List<String> list, Set<String> trainingItems) {
        units++;
        users.add(unit.user());
        if (list == null) {
            missing++;
            shortLists++;
            return;
        }
        List<String> top = list.subList(0, Math.min(k, list.size()));
        if (top.size() < k) {
            shortLists++;
        }
        int hit = 0;
        double dcg = 0;
        int mine = 0;
        Set<String> categories = new HashSet<>();
        int categorised = 0;
        for (int j = 0; j < top.size(); j++) {
            String item = top.get(j);
            covered.add(item);
            if (unit.relevant().contains(item)) {
                hit++;
                dcg += 1.0 / log2(j + 2);
            }
            if (trainingItems != null && trainingItems.contains(item)) {
                mine++;
            }
            String c = category.apply(item);
            if (c != null) {
                categorised++;
                categories.add(c);
            }
        }
        double idcg = 0;
        for (int j = 0; j < Math.min(k, unit.relevant().size()); j++) {
            idcg += 1.0 / log2(j + 2);
        }
        ndcg += idcg > 0 ? dcg / idcg : 0;
        recall += unit.relevant().isEmpty() ? 0 : (double) hit / unit.relevant().size();
        precision += (double) hit / k;
        hits += hit > 0 ? 1 : 0;
        consumed += mine;
        listsWithConsumed += mine > 0 ? 1 : 0;
        if (categorised > 0) {
            diversity += (double) categories.size() / categorised;
            diversityLists++;
        }
    }

    double ndcg() {
        return units == 0 ? Double.NaN : ndcg / units;
    }

    double recall() {
        return units == 0 ? Double.NaN : recall / units;
    }

    double precision() {
        return units == 0 ? Double.NaN : precision / units;
    }

    double hitRate() {
        return units == 0 ? Double.NaN : hits / units;
    }

    double coverage() {
        return (double) covered.size() / catalogueSize;
    }

    /** Mean share of distinct categories in a list; NaN when no list had a categorised item. */
    double diversity() {
        return diversityLists == 0 ? Double.NaN : diversity / diversityLists;
    }

    long consumedInTraining() {
        return consumed;
    }

    long shortLists() {
        return shortLists;
    }

    long units() {
        return units;
    }

    long missing() {
        return missing;
    }

    /** The figures as a report section. */
    ServedReport.Metrics metrics() {
        return new ServedReport.Metrics(
                Rounding.round(ndcg()),
                Rounding.round(recall()),
                Rounding.round(precision()),
                Rounding.round(hitRate()),
                Rounding.round(coverage()),
                Rounding.round(diversity()),
                consumed,
                listsWithConsumed,
                shortLists,
                units,
                users.size(),
                missing,
                null,
                null);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
