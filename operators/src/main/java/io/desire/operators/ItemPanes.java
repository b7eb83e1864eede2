package io.desire.operators;

import java.util.Arrays;

/**
 * Weighted interaction totals of one item in one context, per slide-sized pane. Keyed map value of
 * {@link ContextTrending}; a Flink POJO of parallel arrays sorted by pane start.
 *
 * <p>A window of {@code size} is the sum of its {@code size/slide} panes, so each event updates one
 * pane instead of every overlapping window.
 */
public class ItemPanes {
    /** Latest known category of the item, or {@code null}. */
    public String category;
    /** Pane start times (epoch ms, multiples of the slide), ascending. */
    public long[] paneStarts = new long[0];
    /** Weighted total of each pane. */
    public double[] weights = new double[0];

    public ItemPanes() {}

    /**
     * Adds {@code weight} to the pane starting at {@code paneStart}, first dropping panes that start
     * before {@code dropBefore} (they belong to no window still to be emitted).
     */
    public void add(long paneStart, double weight, long dropBefore) {
        int drop = 0;
        while (drop < paneStarts.length && paneStarts[drop] < dropBefore) {
            drop++;
        }
        if (drop > 0) {
            paneStarts = Arrays.copyOfRange(paneStarts, drop, paneStarts.length);
            weights = Arrays.copyOfRange(weights, drop, weights.length);
        }
        int i = Arrays.binarySearch(paneStarts, paneStart);
        if (i >= 0) {
            weights[i] += weight;
            return;
        }
        int at = -i - 1;
        int n = paneStarts.length;
        long[] s = new long[n + 1];
        double[] w = new double[n + 1];
        System.arraycopy(paneStarts, 0, s, 0, at);
        System.arraycopy(weights, 0, w, 0, at);
        s[at] = paneStart;
        w[at] = weight;
        System.arraycopy(paneStarts, at, s, at + 1, n - at);
        System.arraycopy(weights, at, w, at + 1, n - at);
        paneStarts = s;
        weights = w;
    }
}
