package io.desire.features.ranking;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Adds up scores per item (remembering the first category given for each) and returns the best
 * items in a stable order: score descending ({@link Double#compare}), then item id ascending. Plain
 * and not thread-safe; one per computation.
 *
 * <p>Items are numbered in order of arrival and their sums and categories kept in parallel arrays,
 * so an addition costs one hash lookup; {@link #top} keeps the best {@code n} by binary insertion
 * instead of sorting every item.
 */
public final class ScoreTally {
    private final Map<String, Integer> index = new HashMap<>();
    private String[] items = new String[16];
    private double[] sums = new double[16];
    private String[] categories = new String[16];
    private int size;

    /** Adds {@code score} to {@code item}; a non-null {@code category} is kept if none is known yet. */
    public void add(String item, double score, String category) {
        Integer known = index.putIfAbsent(item, size);
        int i;
        if (known == null) {
            if (size == items.length) {
                grow();
            }
            i = size++;
            items[i] = item;
        } else {
            i = known;
        }
        sums[i] += score;
        if (categories[i] == null) {
            categories[i] = category;
        }
    }

    private void grow() {
        int capacity = items.length * 2;
        items = Arrays.copyOf(items, capacity);
        sums = Arrays.copyOf(sums, capacity);
        categories = Arrays.copyOf(categories, capacity);
    }

    /** The best ones. */
    public record Top(String[] items, double[] scores, String[] categories) {}

    /** The best {@code n} items, best first. */
    public Top top(int n) {
        int m = Math.max(0, Math.min(n, size));
        int[] best = new int[m];
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (kept == m && (m == 0 || !before(i, best[m - 1]))) {
                continue;
            }
            // First position whose item ranks after i: i goes there, the rest move down by one.
            int lo = 0;
            int hi = kept;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (before(i, best[mid])) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            int moved = (kept < m ? kept : m - 1) - lo;
            System.arraycopy(best, lo, best, lo + 1, moved);
            best[lo] = i;
            if (kept < m) {
                kept++;
            }
        }
        String[] outItems = new String[m];
        double[] outScores = new double[m];
        String[] outCategories = new String[m];
        for (int r = 0; r < m; r++) {
            outItems[r] = items[best[r]];
            outScores[r] = sums[best[r]];
            outCategories[r] = categories[best[r]];
        }
        return new Top(outItems, outScores, outCategories);
    }

    /** Whether item {@code a} ranks before item {@code b}: higher sum, then smaller id. */
    private boolean before(int a, int b) {
        int c = Double.compare(sums[b], sums[a]);
        return c != 0 ? c < 0 : items[a].compareTo(items[b]) < 0;
    }
}
