package io.desire.operators;

/**
 * The distinct items each user touched in one context's pane, for {@link ContextTrending}'s
 * differentially private mode: the keyed map value (map pane start → users). A Flink POJO: users in
 * first-arrival order; user {@code i}'s items, in arrival order, are {@code items[itemEnds[i − 1] ..
 * itemEnds[i])} (from 0 for the first). Each user keeps at most {@code 2k} items a pane, enough to find
 * a window's first {@code k} distinct items however the panes overlap.
 */
public class PaneUsers {
    /** Pseudonymous user ids. */
    public String[] users = new String[0];
    /** End (exclusive) of each user's items in {@link #items}. */
    public int[] itemEnds = new int[0];
    /** The users' items, user after user. */
    public String[] items = new String[0];

    public PaneUsers() {}
}
