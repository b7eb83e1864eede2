package io.desire.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Popularity baselines: the same list for everyone (global), or the list of the user's most
 * frequent context topped up from the global one (context popularity). Popularity is the number of
 * interactions; ties go to the lower item index.
 */
final class PopularityRecommender implements Recommender {

    private final int[] global;
    private final Map<Integer, int[]> byContext;
    private final int[] userContext;

    private PopularityRecommender(int[] global, Map<Integer, int[]> byContext, int[] userContext) {
        this.global = global;
        this.byContext = byContext;
        this.userContext = userContext;
    }

    /** Global popularity over {@code rows}. */
    static PopularityRecommender global(History h, int[] rows) {
        return new PopularityRecommender(order(counts(h, rows)), Map.of(), null);
    }

    /**
     * Popularity within each user's most frequent context of {@code rows}. Without context (e.g.
     * MovieLens) it is global popularity; {@link #usesContext()} tells which.
     */
    static PopularityRecommender context(History h, int[] rows) {
        int[] global = order(counts(h, rows));
        if (!h.hasContext()) {
            return new PopularityRecommender(global, Map.of(), null);
        }
        Map<Long, Integer> userContextCounts = new HashMap<>();
        Map<Integer, long[]> contextItemCounts = new HashMap<>();
        for (int r : rows) {
            int c = h.context(r);
            if (c == History.NO_CONTEXT) {
                continue;
            }
            userContextCounts.merge(((long) h.user(r) << 32) | c, 1, Integer::sum);
            contextItemCounts.computeIfAbsent(c, x -> new long[h.numItems()])[h.item(r)]++;
        }
        int[] userContext = new int[h.numUsers()];
        int[] best = new int[h.numUsers()];
        Arrays.fill(userContext, History.NO_CONTEXT);
        for (Map.Entry<Long, Integer> e : userContextCounts.entrySet()) {
            int u = (int) (e.getKey() >>> 32);
            int c = (int) (long) e.getKey();
            int n = e.getValue();
            if (n > best[u] || (n == best[u] && c < userContext[u])) {
                best[u] = n;
                userContext[u] = c;
            }
        }
        Map<Integer, int[]> byContext = new HashMap<>();
        contextItemCounts.forEach((c, counts) -> byContext.put(c, order(counts)));
        return new PopularityRecommender(global, byContext, userContext);
    }

    boolean usesContext() {
        return userContext != null;
    }

    /** Items by descending count, zero counts left out. */
    static int[] order(long[] counts) {
        return java.util.stream.IntStream.range(0, counts.length)
                .filter(i -> counts[i] > 0)
                .boxed()
                .sorted((a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    static long[] counts(History h, int[] rows) {
        long[] counts = new long[h.numItems()];
        for (int r : rows) {
            counts[h.item(r)]++;
        }
        return counts;
    }

    @Override
    public int[] recommend(int user, int k, IntPredicate exclude) {
        int[] out = new int[k];
        int n = 0;
        int[] own = userContext == null || user >= userContext.length || userContext[user] == History.NO_CONTEXT
                ? null
                : byContext.get(userContext[user]);
        if (own != null) {
            for (int i = 0; i < own.length && n < k; i++) {
                if (!exclude.test(own[i])) {
                    out[n++] = own[i];
                }
            }
        }
        for (int i = 0; i < global.length && n < k; i++) {
            int item = global[i];
            if (!exclude.test(item) && (own == null || !contains(out, n, item))) {
                out[n++] = item;
            }
        }
        return n == k ? out : Arrays.copyOf(out, n);
    }

    private static boolean contains(int[] a, int n, int x) {
        for (int i = 0; i < n; i++) {
            if (a[i] == x) {
                return true;
            }
        }
        return false;
    }
}
