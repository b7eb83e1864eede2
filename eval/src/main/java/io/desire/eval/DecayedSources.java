package io.desire.eval;

import io.desire.features.profile.DecayPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Offline mirrors of the three serving sources whose scores decay with time, so that their
 * half-lives can be chosen on validation: each is fitted on some rows "as of" the last of them, with
 * the decay of {@link DecayPolicy} ({@code 2^(−age / half-life)}) and the event weights of the rows.
 *
 * <ul>
 *   <li>{@link #popularity}: the long-horizon popular list ({@code popularity.half-life}) — every
 *       interaction's weight, decayed to the end of the rows, summed per item.
 *   <li>{@link #sequence}: co-visitation ({@code covisit.half-life}) — per item, the decayed weights
 *       of the items users touched next; a user's list adds up, over their {@value
 *       #RECENT_FOR_SEQUENCE} most recent distinct items, each one's followers scaled by its best,
 *       as {@code ServingSources} does.
 *   <li>{@link #affinity}: the profile's category affinity ({@code profile.half-life}) — the
 *       {@value #POPULAR_CANDIDATES} most popular items ranked by the share the user's decayed
 *       category weights give the item's category, as {@code Blender} scores the affinity source
 *       (the user's own items, the rest of its candidates, are consumed and never served).
 * </ul>
 *
 * <p>They are mirrors, not the operators: the stream's popular list is built from hourly trending
 * windows and co-visitation keeps bounded follower lists, so figures differ somewhat; what they
 * compare well is one half-life against another.
 */
final class DecayedSources {
    static final int RECENT_FOR_SEQUENCE = 3;
    static final int POPULAR_CANDIDATES = 200;
    static final int FOLLOWERS_PER_ITEM = 50;

    private DecayedSources() {}

    /** Decayed popularity over {@code rows}: the same list for every user. */
    static Recommender popularity(History h, int[] rows, Duration halfLife) {
        int[] order = order(decayedCounts(h, rows, halfLife));
        return (user, k, exclude) -> head(order, k, exclude);
    }

    /** Co-visitation over the time-ordered {@code rows}, decayed to their end. */
    static Recommender sequence(History h, int[] rows, Duration halfLife) {
        DecayPolicy decay = new DecayPolicy(halfLife, Integer.MAX_VALUE);
        int[] byTime = h.byTime(rows);
        long end = byTime.length == 0 ? 0 : h.ts(byTime[byTime.length - 1]);
        Map<Integer, Map<Integer, Double>> followers = new HashMap<>();
        int[][] recent = new int[h.numUsers()][];
        int[] last = new int[h.numUsers()];
        Arrays.fill(last, -1);
        for (int r : byTime) {
            if (!(h.value(r) > 0)) {
                continue;
            }
            int u = h.user(r);
            int item = h.item(r);
            if (last[u] >= 0 && last[u] != item) {
                followers
                        .computeIfAbsent(last[u], x -> new HashMap<>())
                        .merge(item, h.value(r) * decay.factor(end - h.ts(r)), Double::sum);
            }
            last[u] = item;
            recent[u] = pushRecent(recent[u], item);
        }
        Map<Integer, int[]> topFollowers = new HashMap<>();
        Map<Integer, double[]> topScores = new HashMap<>();
        followers.forEach((item, f) -> {
            int[] top = f.entrySet().stream()
                    .sorted((a, b) -> !a.getValue().equals(b.getValue())
                            ? Double.compare(b.getValue(), a.getValue())
                            : Integer.compare(a.getKey(), b.getKey()))
                    .limit(FOLLOWERS_PER_ITEM)
                    .mapToInt(Map.Entry::getKey)
                    .toArray();
            double[] s = new double[top.length];
            for (int i = 0; i < top.length; i++) {
                s[i] = f.get(top[i]) / f.get(top[0]);
            }
            topFollowers.put(item, top);
            topScores.put(item, s);
        });
        return (user, k, exclude) -> {
            double[] tally = new double[h.numItems()];
            int[] mine = user < recent.length && recent[user] != null ? recent[user] : new int[0];
            for (int seed : mine) {
                int[] top = topFollowers.get(seed);
                if (top != null) {
                    double[] s = topScores.get(seed);
                    for (int i = 0; i < top.length; i++) {
                        tally[top[i]] += s[i];
                    }
                }
            }
            return head(order(tally), k, exclude);
        };
    }

    /**
     * Category affinity over {@code rows}: the {@value #POPULAR_CANDIDATES} items of {@code popular}
     * (best first), ordered by the user's decayed share of the item's category, popularity breaking
     * ties.
     */
    static Recommender affinity(History h, int[] rows, Duration halfLife, int[] popular) {
        DecayPolicy decay = new DecayPolicy(halfLife, Integer.MAX_VALUE);
        long end = Arrays.stream(rows).mapToLong(h::ts).max().orElse(0);
        Map<Integer, Map<String, Double>> categories = new HashMap<>();
        for (int r : rows) {
            String category = h.categoryOf(h.item(r));
            if (category != null && h.value(r) > 0) {
                categories
                        .computeIfAbsent(h.user(r), x -> new HashMap<>())
                        .merge(category, h.value(r) * decay.factor(end - h.ts(r)), Double::sum);
            }
        }
        int[] candidates = Arrays.copyOf(popular, Math.min(POPULAR_CANDIDATES, popular.length));
        return (user, k, exclude) -> {
            Map<String, Double> mine = categories.getOrDefault(user, Map.of());
            double sum = mine.values().stream().mapToDouble(Double::doubleValue).sum();
            double[] score = new double[h.numItems()];
            for (int rank = 0; rank < candidates.length; rank++) {
                int item = candidates[rank];
                double share = sum > 0 ? mine.getOrDefault(h.categoryOf(item), 0.0) / sum : 0.0;
                // the share first; among equal shares the more popular item (a tiny rank term)
                score[item] = share + 1e-9 * (candidates.length - rank);
            }
            return head(order(score), k, exclude);
        };
    }

    /** Every row's weight decayed to the last row's time, summed per item. */
    static double[] decayedCounts(History h, int[] rows, Duration halfLife) {
        DecayPolicy decay = new DecayPolicy(halfLife, Integer.MAX_VALUE);
        long end = Arrays.stream(rows).mapToLong(h::ts).max().orElse(0);
        double[] counts = new double[h.numItems()];
        for (int r : rows) {
            if (h.value(r) > 0) {
                counts[h.item(r)] += h.value(r) * decay.factor(end - h.ts(r));
            }
        }
        return counts;
    }

    /** Items with a positive score, best first; ties to the lower index. */
    static int[] order(double[] scores) {
        return java.util.stream.IntStream.range(0, scores.length)
                .filter(i -> scores[i] > 0)
                .boxed()
                .sorted((a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static int[] head(int[] order, int k, IntPredicate exclude) {
        int[] out = new int[k];
        int n = 0;
        for (int i = 0; i < order.length && n < k; i++) {
            if (!exclude.test(order[i])) {
                out[n++] = order[i];
            }
        }
        return n == k ? out : Arrays.copyOf(out, n);
    }

    /** The user's {@value #RECENT_FOR_SEQUENCE} most recent distinct items, oldest first, after touching {@code item}. */
    static int[] pushRecent(int[] recent, int item) {
        int[] r = recent == null ? new int[0] : recent;
        int[] all = new int[r.length + 1];
        int n = 0;
        for (int x : r) {
            if (x != item) {
                all[n++] = x;
            }
        }
        all[n++] = item;
        return Arrays.copyOfRange(all, Math.max(0, n - RECENT_FOR_SEQUENCE), n);
    }
}
