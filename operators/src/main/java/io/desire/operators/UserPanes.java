package io.desire.operators;

import java.util.Arrays;

/**
 * The items one user interacted with in one context, per slide-sized pane: the keyed map value of
 * {@link ContextTrending}'s differentially private mode, from which each window counts every user at
 * most {@code k} times. A Flink POJO of parallel arrays sorted by pane start, then arrival; each
 * (pane, item) appears once, and a pane keeps at most {@code 2k} distinct items (enough to find a
 * window's first {@code k} distinct items however earlier panes overlap).
 */
public class UserPanes {
    /** Pane start times (epoch ms, multiples of the slide), ascending. */
    public long[] paneStarts = new long[0];
    /** The item of each entry. */
    public String[] items = new String[0];

    public UserPanes() {}

    /**
     * Records that the user touched {@code item} in the pane starting at {@code paneStart}, first
     * dropping panes that start before {@code dropBefore}; a pane that already holds {@code maxPerPane}
     * items takes no more.
     */
    public void add(long paneStart, String item, long dropBefore, int maxPerPane) {
        int drop = 0;
        while (drop < paneStarts.length && paneStarts[drop] < dropBefore) {
            drop++;
        }
        if (drop > 0) {
            paneStarts = Arrays.copyOfRange(paneStarts, drop, paneStarts.length);
            items = Arrays.copyOfRange(items, drop, items.length);
        }
        int inPane = 0;
        int at = paneStarts.length; // after the last entry of its pane
        for (int i = 0; i < paneStarts.length; i++) {
            if (paneStarts[i] == paneStart) {
                if (items[i].equals(item)) {
                    return;
                }
                inPane++;
            } else if (paneStarts[i] > paneStart) {
                at = i;
                break;
            }
        }
        if (inPane >= maxPerPane) {
            return;
        }
        int n = paneStarts.length;
        long[] s = new long[n + 1];
        String[] it = new String[n + 1];
        System.arraycopy(paneStarts, 0, s, 0, at);
        System.arraycopy(items, 0, it, 0, at);
        s[at] = paneStart;
        it[at] = item;
        System.arraycopy(paneStarts, at, s, at + 1, n - at);
        System.arraycopy(items, at, it, at + 1, n - at);
        paneStarts = s;
        items = it;
    }

    /** Drops the entries of panes before {@code keepFrom}; returns whether any entry is left. */
    public boolean retainFrom(long keepFrom) {
        int drop = 0;
        while (drop < paneStarts.length && paneStarts[drop] < keepFrom) {
            drop++;
        }
        if (drop > 0) {
            paneStarts = Arrays.copyOfRange(paneStarts, drop, paneStarts.length);
            items = Arrays.copyOfRange(items, drop, items.length);
        }
        return paneStarts.length > 0;
    }
}
