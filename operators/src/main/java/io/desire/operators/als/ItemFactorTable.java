package io.desire.operators.als;

import io.desire.features.als.FoldIn;
import io.desire.features.als.ScoredItems;
import io.desire.features.als.TopN;
import io.desire.features.serving.ConsumedItems;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-memory index over one subtask's replicated item vectors: item ids and vectors in dense
 * arrays for scanning, a hash index for lookups, and the Gram matrix {@code YᵀY} of all vectors
 * kept current as vectors change.
 *
 * <p>It is derived data: {@link UserFactors} rebuilds it from its broadcast state after a restore
 * and applies every change to both, so it is never checkpointed itself. Vectors are shared with the
 * broadcast state, not copied, and must not be modified.
 *
 * <p><b>Cost.</b> Memory: catalogue × rank × 8 B for the vectors (shared with the broadcast state)
 * plus ids, records and the entries of two hash maps — about 300 B per item at rank 10 — on every
 * subtask, since each holds the whole catalogue: 1 M items ≈ 300 MB of heap per subtask. A
 * vector change costs O(k²) for the Gram; the Gram is recomputed from scratch, O(catalogue·k²),
 * after {@link #REFRESH_FACTOR} × catalogue changes (at least {@link #MIN_REFRESH}) so rounding
 * errors of the incremental updates cannot accumulate. {@link #topN} is an exact brute-force scan,
 * O(catalogue·k + catalogue·log n) per call with an n-entry heap.
 *
 * <p>Not thread-safe; one instance per function instance.
 */
public final class ItemFactorTable {
    static final int REFRESH_FACTOR = 8;
    static final int MIN_REFRESH = 4096;

    private final int rank;
    private final Map<String, Integer> index = new HashMap<>();
    private String[] ids = new String[16];
    private double[][] vectors = new double[16][];
    /** {@link ConsumedItems#hash} of each row's id, so exclusion costs no hashing per scan. */
    private long[] hashes = new long[16];

    private int size;
    private final double[] gram;
    private long changesSinceRefresh;

    public ItemFactorTable(int rank) {
        this.rank = rank;
        this.gram = new double[rank * rank];
    }

    /** A table holding the vectors of {@code updates} (tombstones and wrong ranks skipped). */
    public static ItemFactorTable of(int rank, Iterable<Map.Entry<String, ItemFactorUpdate>> updates) {
        ItemFactorTable t = new ItemFactorTable(rank);
        for (Map.Entry<String, ItemFactorUpdate> e : updates) {
            double[] v = e.getValue() == null ? null : e.getValue().factors;
            if (v != null && v.length == rank) {
                t.append(e.getKey(), v);
            }
        }
        t.refreshGram();
        return t;
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return size;
    }

    /** The item's vector, or null if the item is not in the table. Shared: do not modify. */
    public double[] get(String itemId) {
        Integer at = index.get(itemId);
        return at == null ? null : vectors[at];
    }

    /**
     * {@code YᵀY} of every vector in the table, row-major k×k, lower triangle (with the diagonal)
     * filled — what implicit {@link FoldIn#solve} needs. Live: changes with the table; do not modify.
     */
    public double[] gram() {
        return gram;
    }

    /** Sets or replaces an item's vector (of length {@link #rank()}, not copied). */
    public void put(String itemId, double[] vector) {
        if (vector.length != rank) {
            throw new IllegalArgumentException("vector of " + itemId + " has rank " + vector.length + ", not " + rank);
        }
        Integer at = index.get(itemId);
        if (at == null) {
            append(itemId, vector);
        } else {
            addOuter(gram, vectors[at], -1.0);
            vectors[at] = vector;
        }
        addOuter(gram, vector, 1.0);
        changed();
    }

    /** Removes an item; no-op if absent. */
    public void remove(String itemId) {
        Integer at = index.remove(itemId);
        if (at == null) {
            return;
        }
        addOuter(gram, vectors[at], -1.0);
        int last = --size;
        if (at != last) {
            ids[at] = ids[last];
            vectors[at] = vectors[last];
            hashes[at] = hashes[last];
            index.put(ids[at], at);
        }
        ids[last] = null;
        vectors[last] = null;
        changed();
    }

    /**
     * The {@code n} items with the largest {@code query · y_i}, best first (ties by table position),
     * skipping ids in {@code exclude} (may be null). Exact, the scores rounded to float precision
     * afterwards (the order is that of the exact scores); O(catalogue·k) per call. The result's
     * {@code userId} and {@code eventTime} are left for the caller to fill in.
     */
    public AlsCandidates topN(double[] query, int n, Collection<String> exclude) {
        return topN(query, n, exclude, null);
    }

    /**
     * As {@link #topN(double[], int, Collection)}, also skipping the items of {@code consumed} (may be
     * null): what the user must never be served, so the list holds {@code n} servable items.
     */
    public AlsCandidates topN(double[] query, int n, Collection<String> exclude, ConsumedItems consumed) {
        int[] skip = new int[exclude == null ? 0 : exclude.size()];
        int m = 0;
        if (exclude != null) {
            for (String id : exclude) {
                Integer at = index.get(id);
                if (at != null) {
                    skip[m++] = at;
                }
            }
        }
        int[] excluded = Arrays.copyOf(skip, m);
        Arrays.sort(excluded);
        int limit = size;
        // Rows at or beyond size are spare capacity (null): skipped before they are read.
        boolean anyConsumed = consumed != null && consumed.size() > 0;
        ScoredItems best = TopN.select(
                query,
                vectors,
                n,
                i -> i >= limit
                        || (excluded.length > 0 && Arrays.binarySearch(excluded, i) >= 0)
                        || (anyConsumed && consumed.containsHash(hashes[i])));
        String[] items = new String[best.size()];
        double[] scores = new double[items.length];
        for (int r = 0; r < items.length; r++) {
            items[r] = ids[best.items()[r]];
            // Float precision is ample for ranking, and the serving state then keeps 4 bytes a score.
            scores[r] = (float) best.scores()[r];
        }
        return new AlsCandidates(null, items, scores, Long.MIN_VALUE);
    }

    private void append(String itemId, double[] vector) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            vectors = Arrays.copyOf(vectors, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        ids[size] = itemId;
        hashes[size] = ConsumedItems.hash(itemId);
        vectors[size] = vector;
        index.put(itemId, size++);
    }

    private void changed() {
        if (++changesSinceRefresh >= Math.max(MIN_REFRESH, (long) REFRESH_FACTOR * size)) {
            refreshGram();
        }
    }

    private void refreshGram() {
        System.arraycopy(FoldIn.gram(Arrays.copyOf(vectors, size), rank), 0, gram, 0, gram.length);
        changesSinceRefresh = 0;
    }

    /** {@code g += w · y·yᵀ} on the lower triangle. */
    static void addOuter(double[] g, double[] y, double w) {
        int k = y.length;
        for (int i = 0; i < k; i++) {
            double wy = w * y[i];
            int row = i * k;
            for (int j = 0; j <= i; j++) {
                g[row + j] += wy * y[j];
            }
        }
    }
}
