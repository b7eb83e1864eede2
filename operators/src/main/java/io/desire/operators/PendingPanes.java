package io.desire.operators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The increments {@link ContextTrending} has received but not yet written to keyed state, per context
 * and pane, on the heap. An event costs a hash-map update here instead of a state read and write; a
 * context's increments are written once, when its next window fires. Not thread-safe: the task
 * thread owns it.
 */
final class PendingPanes {
    /** What one (context, pane) has buffered: item totals, and the users' items in the private mode. */
    static final class Pane {
        final PaneSums sums = new PaneSums();
        /** Null unless users are tracked. */
        final PaneUserItems users;

        Pane(int maxItemsPerUser) {
            this.users = maxItemsPerUser > 0 ? new PaneUserItems(maxItemsPerUser) : null;
        }
    }

    private final int maxItemsPerUser;
    private final Map<String, NavigableMap<Long, Pane>> byContext = new HashMap<>();
    /** Distinct (context, pane, item) entries buffered. */
    private int entries;

    /** @param maxItemsPerUser items kept per user and pane; 0: users are not tracked */
    PendingPanes(int maxItemsPerUser) {
        this.maxItemsPerUser = maxItemsPerUser;
    }

    /**
     * Buffers {@code weight} for {@code item} in the context's pane, and the item for {@code user}
     * when users are tracked and it is not null; returns whether that (context, pane) had nothing
     * buffered before.
     */
    boolean add(String context, long paneStart, String item, double weight, String category, String user) {
        NavigableMap<Long, Pane> panes = byContext.computeIfAbsent(context, k -> new TreeMap<>());
        Pane pane = panes.get(paneStart);
        boolean fresh = pane == null;
        if (fresh) {
            pane = new Pane(maxItemsPerUser);
            panes.put(paneStart, pane);
        }
        if (pane.sums.add(item, weight, category)) {
            entries++;
        }
        if (pane.users != null && user != null) {
            pane.users.add(user, item);
        }
        return fresh;
    }

    /** Removes and returns the context's buffered panes by start, or {@code null} when none. */
    NavigableMap<Long, Pane> take(String context) {
        NavigableMap<Long, Pane> taken = byContext.remove(context);
        if (taken != null) {
            for (Pane pane : taken.values()) {
                entries -= pane.sums.items().size();
            }
        }
        return taken;
    }

    /** Distinct (context, pane, item) entries buffered: what the buffer's memory grows with. */
    int entries() {
        return entries;
    }

    /** An empty pane of this buffer's kind, to merge into. */
    Pane newPane() {
        return new Pane(maxItemsPerUser);
    }

    /** Every buffered pane, for a checkpoint. */
    List<PendingPane> snapshot() {
        List<PendingPane> all = new ArrayList<>();
        byContext.forEach((context, panes) -> panes.forEach((start, pane) -> all.add(new PendingPane(
                context, start, pane.sums.toTotals(), pane.users == null ? null : pane.users.toPaneUsers()))));
        return all;
    }

    /** Buffers a pane restored from a checkpoint, merging with what is buffered already. */
    void restore(PendingPane p) {
        Pane pane = byContext
                .computeIfAbsent(p.contextKey, k -> new TreeMap<>())
                .computeIfAbsent(p.paneStart, k -> newPane());
        entries -= pane.sums.items().size();
        pane.sums.addAll(p.totals);
        entries += pane.sums.items().size();
        if (pane.users != null && p.users != null) {
            pane.users.addAll(p.users);
        }
    }

    /** Number of buffered (context, pane) pairs. */
    int panes() {
        int n = 0;
        for (NavigableMap<Long, Pane> panes : byContext.values()) {
            n += panes.size();
        }
        return n;
    }
}
