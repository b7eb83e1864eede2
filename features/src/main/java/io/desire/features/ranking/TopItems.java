package io.desire.features.ranking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Bounded top-K selection of (item, score, category) by score descending then item id ascending, in
 * O(n log K) without sorting all n offers. Not thread-safe; reusable after {@link #toTrending}.
 */
public final class TopItems {

    private static final class Entry {
        final String item;
        final double score;
        final String category;

        Entry(String item, double score, String category) {
            this.item = item;
            this.score = score;
            this.category = category;
        }
    }

    /** Ranking order: higher score first, then smaller item id. */
    private static final Comparator<Entry> RANK =
            Comparator.<Entry>comparingDouble(e -> -e.score).thenComparing(e -> e.item);

    private final int k;
    /** Heap whose head is the entry ranking last, i.e. the first to be pushed out. */
    private final PriorityQueue<Entry> heap;

    public TopItems(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be ≥ 1, got " + k);
        }
        this.k = k;
        this.heap = new PriorityQueue<>(Math.min(k, 1024) + 1, RANK.reversed());
    }

    /** Offers an item; scores ≤ 0 or NaN are ignored. Each item must be offered at most once. */
    public void offer(String item, double score, String category) {
        if (!(score > 0)) {
            return;
        }
        if (heap.size() < k) {
            heap.add(new Entry(item, score, category));
            return;
        }
        Entry last = heap.peek();
        Entry candidate = new Entry(item, score, category);
        if (RANK.compare(candidate, last) < 0) {
            heap.poll();
            heap.add(candidate);
        }
    }

    public int size() {
        return heap.size();
    }

    /** Drains the selection into a sorted {@link TrendingItems}. */
    public TrendingItems toTrending(String contextKey, long windowEnd) {
        List<Entry> sorted = new ArrayList<>(heap);
        heap.clear();
        sorted.sort(RANK);
        int n = sorted.size();
        String[] items = new String[n];
        double[] scores = new double[n];
        String[] categories = new String[n];
        for (int i = 0; i < n; i++) {
            Entry e = sorted.get(i);
            items[i] = e.item;
            scores[i] = e.score;
            categories[i] = e.category;
        }
        return new TrendingItems(contextKey, windowEnd, items, scores, categories);
    }
}
