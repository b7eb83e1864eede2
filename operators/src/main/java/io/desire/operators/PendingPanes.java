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
    private final Map<String, NavigableMap<Long, PaneSums>> byContext = new HashMap<>();

    /**
     * Buffers {@code weight} for {@code item} in the context's pane; returns whether that (context,
     * pane) had nothing buffered before.
     */
    boolean add(String context, long paneStart, String item, double weight, String category) {
        NavigableMap<Long, PaneSums> panes = byContext.computeIfAbsent(context, k -> new TreeMap<>());
        PaneSums sums = panes.get(paneStart);
        boolean fresh = sums == null;
        if (fresh) {
            sums = new PaneSums();
            panes.put(paneStart, sums);
        }
        sums.add(item, weight, category);
        return fresh;
    }

    /** Removes and returns the context's buffered panes by start, or {@code null} when none. */
    NavigableMap<Long, PaneSums> take(String context) {
        return byContext.remove(context);
    }

    /** Every buffered pane, for a checkpoint. */
    List<PendingPane> snapshot() {
        List<PendingPane> all = new ArrayList<>();
        byContext.forEach((context, panes) ->
                panes.forEach((start, sums) -> all.add(new PendingPane(context, start, sums.toTotals()))));
        return all;
    }

    /** Buffers a pane restored from a checkpoint, merging with what is buffered already. */
    void restore(PendingPane p) {
        PaneSums sums = byContext
                .computeIfAbsent(p.contextKey, k -> new TreeMap<>())
                .computeIfAbsent(p.paneStart, k -> new PaneSums());
        sums.addAll(p.totals);
    }

    /** Number of buffered (context, pane) pairs. */
    int panes() {
        int n = 0;
        for (NavigableMap<Long, PaneSums> panes : byContext.values()) {
            n += panes.size();
        }
        return n;
    }
}
