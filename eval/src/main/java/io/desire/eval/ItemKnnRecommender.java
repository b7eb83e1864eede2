package io.desire.eval;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Item-kNN on co-occurrence: the similarity of items i and j is the cosine of their binary user
 * vectors, {@code |U(i) ∩ U(j)| / sqrt(|U(i)|·|U(j)|)}; each item keeps its {@code neighbours} most
 * similar items, and a user's score for an item is the sum of its similarities to the user's items
 * (Sarwar et al. 2001; Deshpande and Karypis 2004). Lists shorter than K are topped up by
 * popularity, so every model fills its K slots.
 */
final class ItemKnnRecommender implements Recommender {

    private final UserItems history;
    private final int[][] neighbours;
    private final float[][] similarities;
    private final int[] popular;
    private final int numItems;

    private ItemKnnRecommender(UserItems history, int[][] neighbours, float[][] similarities, int[] popular) {
        this.history = history;
        this.neighbours = neighbours;
        this.similarities = similarities;
        this.popular = popular;
        this.numItems = neighbours.length;
    }

    /** Builds the neighbourhoods from the distinct (user, item) pairs of {@code rows}. */
    static ItemKnnRecommender fit(History h, int[] rows, int neighbours) {
        int numItems = h.numItems();
        UserItems byUser = UserItems.of(h, rows, null);
        int[] itemCount = new int[numItems];
        for (int u = 0; u < byUser.numUsers(); u++) {
            for (int i : byUser.of(u)) {
                itemCount[i]++;
            }
        }
        int[][] itemUsers = new int[numItems][];
        for (int i = 0; i < numItems; i++) {
            itemUsers[i] = new int[itemCount[i]];
        }
        int[] fill = new int[numItems];
        for (int u = 0; u < byUser.numUsers(); u++) {
            for (int i : byUser.of(u)) {
                itemUsers[i][fill[i]++] = u;
            }
        }
        int[][] nbr = new int[numItems][];
        float[][] sim = new float[numItems][];
        int[] co = new int[numItems];
        int[] touched = new int[numItems];
        for (int i = 0; i < numItems; i++) {
            int t = 0;
            for (int u : itemUsers[i]) {
                for (int j : byUser.of(u)) {
                    if (j != i) {
                        if (co[j]++ == 0) {
                            touched[t++] = j;
                        }
                    }
                }
            }
            double[] s = new double[t];
            for (int x = 0; x < t; x++) {
                int j = touched[x];
                s[x] = co[j] / Math.sqrt((double) itemCount[i] * itemCount[j]);
            }
            int keep = Math.min(neighbours, t);
            int[] order = topIndices(touched, s, t, keep);
            nbr[i] = new int[keep];
            sim[i] = new float[keep];
            for (int x = 0; x < keep; x++) {
                nbr[i][x] = touched[order[x]];
                sim[i][x] = (float) s[order[x]];
            }
            for (int x = 0; x < t; x++) {
                co[touched[x]] = 0;
            }
        }
        return new ItemKnnRecommender(byUser, nbr, sim, PopularityRecommender.order(toLong(itemCount)));
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /** Positions (into the first n entries) of the best {@code keep} scores; ties by lower item. */
    private static int[] topIndices(int[] items, double[] scores, int n, int keep) {
        Integer[] order = new Integer[n];
        for (int x = 0; x < n; x++) {
            order[x] = x;
        }
        Arrays.sort(
                order,
                (a, b) -> scores[a] != scores[b]
                        ? Double.compare(scores[b], scores[a])
                        : Integer.compare(items[a], items[b]));
        int[] out = new int[keep];
        for (int x = 0; x < keep; x++) {
            out[x] = order[x];
        }
        return out;
    }

    @Override
    public int[] recommend(int user, int k, IntPredicate exclude) {
        double[] score = new double[numItems];
        int[] touched = new int[numItems];
        int t = 0;
        for (int j : history.of(user)) {
            int[] nj = neighbours[j];
            float[] sj = similarities[j];
            for (int x = 0; x < nj.length; x++) {
                int i = nj[x];
                if (score[i] == 0) {
                    touched[t++] = i;
                }
                score[i] += sj[x];
            }
        }
        int m = 0;
        for (int x = 0; x < t; x++) {
            if (!exclude.test(touched[x])) {
                touched[m++] = touched[x];
            }
        }
        int[] top = topIndices(touched, scoresOf(touched, m, score), m, Math.min(k, m));
        int[] out = new int[k];
        int n = 0;
        for (int x : top) {
            out[n++] = touched[x];
        }
        for (int x = 0; x < popular.length && n < k; x++) {
            int item = popular[x];
            if (score[item] == 0 && !exclude.test(item)) {
                out[n++] = item;
            }
        }
        return n == k ? out : Arrays.copyOf(out, n);
    }

    private static double[] scoresOf(int[] items, int n, double[] score) {
        double[] s = new double[n];
        for (int x = 0; x < n; x++) {
            s[x] = score[items[x]];
        }
        return s;
    }
}
