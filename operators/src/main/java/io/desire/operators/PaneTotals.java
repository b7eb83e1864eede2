package io.desire.operators;

/**
 * The weighted interaction totals of one context's items in one slide-sized pane: the keyed map value
 * of {@link ContextTrending} (map pane start → totals). A Flink POJO of parallel arrays; each item
 * appears once, in the order it first arrived in the pane.
 */
public class PaneTotals {
    /** Item ids. */
    public String[] items = new String[0];
    /** Weighted total of each item in the pane. */
    public double[] weights = new double[0];
    /** Latest known category of each item in the pane; {@code null} entries when none was seen. */
    public String[] categories = new String[0];

    public PaneTotals() {}

    /** Number of items in the pane. */
    public int size() {
        return items.length;
    }
}
