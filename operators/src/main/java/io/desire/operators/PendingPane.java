package io.desire.operators;

/**
 * Increments of one context's pane that {@link ContextTrending} has buffered in memory and not yet
 * written to its keyed state: the element of its union list operator state at a checkpoint. A Flink
 * POJO.
 */
public class PendingPane {
    /** The context key the increments belong to. */
    public String contextKey;
    /** Start of the pane (epoch ms, a multiple of the slide). */
    public long paneStart;
    /** The buffered totals per item. */
    public PaneTotals totals;
    /** The users' items buffered in the private mode; null when it is off. */
    public PaneUsers users;

    public PendingPane() {}

    public PendingPane(String contextKey, long paneStart, PaneTotals totals, PaneUsers users) {
        this.contextKey = contextKey;
        this.paneStart = paneStart;
        this.totals = totals;
        this.users = users;
    }
}
