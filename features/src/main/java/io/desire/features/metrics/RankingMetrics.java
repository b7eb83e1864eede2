package io.desire.features.metrics;

/**
 * Top-K metrics of one ranked list against a set of relevant items, with binary relevance. Items
 * are int indices; {@code ranked} is best first and must not repeat an item; {@code relevant} must
 * be sorted ascending without duplicates (checked). Only the first {@code k} entries of {@code
 * ranked} count; a list shorter than k is treated as padded with misses. Definitions, with {@code
 * hits@k} the relevant items among the first k and R the relevant set:
 *
 * <ul>
 *   <li>Precision@K {@code = hits@k / k} (divides by k even for shorter lists, so a model cannot
 *       gain by recommending fewer items);
 *   <li>Recall@K {@code = hits@k / |R|};
 *   <li>F1@K: harmonic mean of the two (0 when both are 0);
 *   <li>HR@K (hit rate) {@code = 1 if hits@k > 0 else 0};
 *   <li>NDCG@K {@code = DCG / IDCG} with {@code DCG = Σ_{i≤k, item i relevant} 1 / log2(i + 1)} (i
 *       the 1-based rank) and IDCG the DCG of an ideal list, i.e. {@code Σ_{i ≤ min(|R|, k)} 1 /
 *       log2(i + 1)};
 *   <li>AP@K {@code = (1 / min(|R|, k)) · Σ_{i ≤ k, item i relevant} Precision@i} — the usual
 *       truncated average precision, so a list that places all of the first {@code min(|R|, k)}
 *       slots on relevant items scores 1; MAP@K is its mean over users ({@link RankingSummary}).
 * </ul>
 *
 * <p>All metrics are undefined when R is empty: these methods then return NaN, and {@link
 * RankingSummary} leaves such users out of the averages.
 */
public final class RankingMetrics {

    private static final double LN2 = Math.log(2);

    private RankingMetrics() {}

    public static double precisionAtK(int[] ranked, int[] relevant, int k) {
        checkArgs(relevant, k);
        if (relevant.length == 0) {
            return Double.NaN;
        }
        return hits(ranked, relevant, k) / (double) k;
    }

    public static double recallAtK(int[] ranked, int[] relevant, int k) {
        checkArgs(relevant, k);
        if (relevant.length == 0) {
            return Double.NaN;
        }
        return hits(ranked, relevant, k) / (double) relevant.length;
    }

    public static double f1AtK(int[] ranked, int[] relevant, int k) {
        double p = precisionAtK(ranked, relevant, k);
        double r = recallAtK(ranked, relevant, k);
        if (Double.isNaN(p)) {
            return Double.NaN;
        }
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public static double hitRateAtK(int[] ranked, int[] relevant, int k) {
        checkArgs(relevant, k);
        if (relevant.length == 0) {
            return Double.NaN;
        }
        return hits(ranked, relevant, k) > 0 ? 1 : 0;
    }

    public static double ndcgAtK(int[] ranked, int[] relevant, int k) {
        checkArgs(relevant, k);
        if (relevant.length == 0) {
            return Double.NaN;
        }
        int n = Math.min(k, ranked.length);
        double dcg = 0;
        for (int i = 0; i < n; i++) {
            if (isRelevant(relevant, ranked[i])) {
                dcg += discount(i);
            }
        }
        double ideal = 0;
        for (int i = 0, m = Math.min(k, relevant.length); i < m; i++) {
            ideal += discount(i);
        }
        return dcg / ideal;
    }

    public static double averagePrecisionAtK(int[] ranked, int[] relevant, int k) {
        checkArgs(relevant, k);
        if (relevant.length == 0) {
            return Double.NaN;
        }
        int n = Math.min(k, ranked.length);
        int hits = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (isRelevant(relevant, ranked[i])) {
                hits++;
                sum += hits / (double) (i + 1);
            }
        }
        return sum / Math.min(relevant.length, k);
    }

    /** Number of relevant items among the first k of {@code ranked}. */
    public static int hits(int[] ranked, int[] relevant, int k) {
        int n = Math.min(k, ranked.length);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (isRelevant(relevant, ranked[i])) {
                hits++;
            }
        }
        return hits;
    }

    /** 1 / log2(i + 2) for a 0-based rank i, i.e. 1 / log2(rank + 1) for the 1-based rank. */
    static double discount(int zeroBasedRank) {
        return LN2 / Math.log(zeroBasedRank + 2);
    }

    static boolean isRelevant(int[] relevantSorted, int item) {
        return java.util.Arrays.binarySearch(relevantSorted, item) >= 0;
    }

    private static void checkArgs(int[] relevant, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be ≥ 1, got " + k);
        }
        for (int i = 1; i < relevant.length; i++) {
            if (relevant[i] <= relevant[i - 1]) {
                throw new IllegalArgumentException("relevant items must be sorted ascending and distinct");
            }
        }
    }
}
