package io.desire.features.als;

import java.util.function.IntPredicate;

/**
 * Exact top-N retrieval by dot product: scans every candidate factor row and keeps the best N in a
 * bounded binary heap of primitive arrays — O(items·k + items·log N) time, O(N) extra space, no
 * boxing. Brute force is exact and, at catalogue sizes up to ~10⁵–10⁶ items × rank 10–50, a few
 * milliseconds per user; an approximate index pays off only beyond that.
 *
 * <p>Order: higher score first, equal scores by ascending item index. Stateless, thread-safe.
 */
public final class TopN {

    private TopN() {}

    /**
     * The top {@code n} items for {@code user} of the model, excluding items the user already has
     * in {@code seen} and items with no factor (never seen in training).
     */
    public static ScoredItems forUser(AlsModel model, int user, int n, RatingMatrix seen) {
        int[] ptr = seen.userPtr();
        int[] cols = seen.userCols();
        int from = user < seen.numUsers() ? ptr[user] : 0;
        int to = user < seen.numUsers() ? ptr[user + 1] : 0;
        double[][] items = model.itemFactors();
        IntPredicate exclude = i -> java.util.Arrays.binarySearch(cols, from, to, i) >= 0 || AlsModel.isZero(items[i]);
        return select(model.userFactors()[user], items, n, exclude);
    }

    /**
     * The top {@code n} rows of {@code candidates} by dot product with {@code query}, skipping
     * indices for which {@code exclude} is true (may be null).
     */
    public static ScoredItems select(double[] query, double[][] candidates, int n, IntPredicate exclude) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be ≥ 0, got " + n);
        }
        int cap = Math.min(n, candidates.length);
        // Min-heap on (score, -index): the root is the entry that ranks last and is evicted first.
        int[] heapItems = new int[cap];
        double[] heapScores = new double[cap];
        int size = 0;
        if (cap > 0) {
            for (int i = 0; i < candidates.length; i++) {
                if (exclude != null && exclude.test(i)) {
                    continue;
                }
                double s = AlsModel.dot(query, candidates[i]);
                if (size < cap) {
                    heapItems[size] = i;
                    heapScores[size] = s;
                    siftUp(heapItems, heapScores, size++);
                } else if (ranksBefore(s, i, heapScores[0], heapItems[0])) {
                    heapItems[0] = i;
                    heapScores[0] = s;
                    siftDown(heapItems, heapScores, size);
                }
            }
        }
        // Pop worst-first into the tail of the result.
        int[] items = new int[size];
        double[] scores = new double[size];
        for (int out = size - 1; out >= 0; out--) {
            items[out] = heapItems[0];
            scores[out] = heapScores[0];
            int last = --size;
            heapItems[0] = heapItems[last];
            heapScores[0] = heapScores[last];
            siftDown(heapItems, heapScores, size);
        }
        return new ScoredItems(items, scores);
    }

    /** True if (s1, i1) ranks before (s2, i2): higher score, then lower index. */
    private static boolean ranksBefore(double s1, int i1, double s2, int i2) {
        return s1 > s2 || (s1 == s2 && i1 < i2);
    }

    private static void siftUp(int[] items, double[] scores, int pos) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!ranksBefore(scores[parent], items[parent], scores[pos], items[pos])) {
                break;
            }
            swap(items, scores, parent, pos);
            pos = parent;
        }
    }

    private static void siftDown(int[] items, double[] scores, int size) {
        int pos = 0;
        while (true) {
            int left = 2 * pos + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && ranksBefore(scores[worst], items[worst], scores[right], items[right])) {
                worst = right;
            }
            if (!ranksBefore(scores[pos], items[pos], scores[worst], items[worst])) {
                return;
            }
            swap(items, scores, pos, worst);
            pos = worst;
        }
    }

    private static void swap(int[] items, double[] scores, int a, int b) {
        int ti = items[a];
        items[a] = items[b];
        items[b] = ti;
        double ts = scores[a];
        scores[a] = scores[b];
        scores[b] = ts;
    }
}
