package io.desire.operators;

/**
 * Weighted interaction totals of one item in one context, per slide-sized pane: the keyed map value
 * of {@link ContextTrending} in earlier versions ({@value ContextTrending#LEGACY_STATE_NAME}), kept
 * so that their savepoints restore; {@link ContextTrending} moves it into {@link PaneTotals}. A Flink
 * POJO of parallel arrays sorted by pane start.
 */
public class ItemPanes {
    /** Latest known category of the item, or {@code null}. */
    public String category;
    /** Pane start times (epoch ms, multiples of the slide), ascending. */
    public long[] paneStarts = new long[0];
    /** Weighted total of each pane. */
    public double[] weights = new double[0];

    public ItemPanes() {}
}
