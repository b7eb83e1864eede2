package io.desire.eval;

import io.desire.features.als.AlsModel;
import io.desire.features.als.AlsParams;
import io.desire.features.als.FoldIn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prequential ("test-then-train", Dawid 1984; Gama et al. 2013) evaluation of online implicit ALS
 * over a time-ordered stream. For each event with positive evidence whose user already has history
 * and whose item is new to that user, the held item is ranked against the current model — among
 * items that have a factor, minus the user's earlier items — <em>before</em> the model learns from
 * the event. Then the model learns as the streaming operator does: the user's vector is re-solved by
 * exact fold-in ({@link FoldIn#solve}) from the user's whole history against the current item
 * factors, and the item's vector takes one {@link FoldIn#incremental} step towards the new evidence.
 * The Gram matrices both need are refreshed every {@code refreshEvery} learned events.
 *
 * <p>The same events are also ranked by the frozen starting model (static), so the series show
 * what online learning adds. Recall@K of a single held item is its hit rate; NDCG@K is {@code 1 /
 * log2(rank + 2)} for a 0-based rank below K. Ranks only need to be exact below K, so the scan
 * stops once K items rank ahead.
 */
final class Prequential {

    /** One window of scored events. */
    record Window(
            long endScored,
            long scored,
            double onlineRecall,
            double onlineNdcg,
            double staticRecall,
            double staticNdcg) {}

    /** Per-event outcome: the 0-based ranks (≥ K means a miss). */
    record Outcome(int row, int onlineRank, int staticRank) {}

    /** Everything a pass produced. */
    static final class Result {
        final List<Window> windows = new ArrayList<>();
        final List<Outcome> outcomes = new ArrayList<>();
        long events;
        long scored;
        long coldUsers;
        long repeats;
        long notRelevant;
        long learned;
        double onlineHits;
        double onlineNdcg;
        double staticHits;
        double staticNdcg;
        AlsModel model;

        double onlineRecall() {
            return scored == 0 ? Double.NaN : onlineHits / scored;
        }

        double onlineNdcgMean() {
            return scored == 0 ? Double.NaN : onlineNdcg / scored;
        }

        double staticRecall() {
            return scored == 0 ? Double.NaN : staticHits / scored;
        }

        double staticNdcgMean() {
            return scored == 0 ? Double.NaN : staticNdcg / scored;
        }
    }

    private final AlsParams params;
    private final FoldIn foldIn;
    private final int k;
    private final int window;
    private final int refreshEvery;
    private final double minRelevant;
    private final boolean keepOutcomes;

    Prequential(AlsParams params, int k, int window, int refreshEvery, double minRelevant, boolean keepOutcomes) {
        if (!params.implicit()) {
            throw new IllegalArgumentException("prequential ranking needs implicit ALS parameters");
        }
        if (k < 1 || window < 1 || refreshEvery < 1) {
            throw new IllegalArgumentException("k, window and refreshEvery must be ≥ 1");
        }
        this.params = params;
        this.foldIn = new FoldIn(params);
        this.k = k;
        this.window = window;
        this.refreshEvery = refreshEvery;
        this.minRelevant = minRelevant;
        this.keepOutcomes = keepOutcomes;
    }

    /**
     * Runs the stream. {@code start} was fitted on {@code preRows}, whose interactions form the
     * users' history at the start; {@code stream} is processed in the given order (time order).
     * {@code progress} may be null.
     */
    Result run(History h, AlsModel start, int[] preRows, int[] stream, Progress progress) {
        int rank = params.rank();
        double[][] users = copy(start.userFactors(), h.numUsers(), rank);
        double[][] items = copy(start.itemFactors(), h.numItems(), rank);
        double[][] staticUsers = start.userFactors();
        double[][] staticItems = copy(start.itemFactors(), h.numItems(), rank);
        boolean[] hasItem = new boolean[h.numItems()];
        boolean[] staticHasItem = new boolean[h.numItems()];
        for (int i = 0; i < items.length; i++) {
            hasItem[i] = !isZero(items[i]);
            staticHasItem[i] = hasItem[i];
        }
        List<Map<Integer, Float>> history = new ArrayList<>(h.numUsers());
        for (int u = 0; u < h.numUsers(); u++) {
            history.add(null);
        }
        for (int r : preRows) {
            historyOf(history, h.user(r)).merge(h.item(r), h.value(r), Float::sum);
        }
        boolean[] seenMark = new boolean[h.numItems()];

        double[] itemGram = FoldIn.gram(items, rank);
        double[] userFactor = foldIn.factorForIncremental(FoldIn.gram(users, rank));
        Result result = new Result();
        long windowScored = 0;
        double wOnlineHits = 0, wOnlineNdcg = 0, wStaticHits = 0, wStaticNdcg = 0;
        long sinceRefresh = 0;
        for (int r : stream) {
            result.events++;
            int u = h.user(r);
            int item = h.item(r);
            float v = h.value(r);
            Map<Integer, Float> mine = historyOf(history, u);

            // 1. test: rank the held item with the model as it was before this event
            if (!(v >= minRelevant) || v <= 0) {
                result.notRelevant++;
            } else if (mine.isEmpty()) {
                result.coldUsers++;
            } else if (mine.containsKey(item)) {
                result.repeats++;
            } else {
                for (int j : mine.keySet()) {
                    seenMark[j] = true;
                }
                double[] staticUser = u < staticUsers.length ? staticUsers[u] : new double[rank];
                int onlineRank = rankOf(users[u], items, hasItem, seenMark, item);
                int staticRank = rankOf(staticUser, staticItems, staticHasItem, seenMark, item);
                for (int j : mine.keySet()) {
                    seenMark[j] = false;
                }
                double on = gain(onlineRank);
                double st = gain(staticRank);
                result.scored++;
                result.onlineHits += onlineRank < k ? 1 : 0;
                result.onlineNdcg += on;
                result.staticHits += staticRank < k ? 1 : 0;
                result.staticNdcg += st;
                windowScored++;
                wOnlineHits += onlineRank < k ? 1 : 0;
                wOnlineNdcg += on;
                wStaticHits += staticRank < k ? 1 : 0;
                wStaticNdcg += st;
                if (keepOutcomes) {
                    result.outcomes.add(new Outcome(r, onlineRank, staticRank));
                }
                if (windowScored == window) {
                    result.windows.add(new Window(
                            result.scored,
                            windowScored,
                            wOnlineHits / windowScored,
                            wOnlineNdcg / windowScored,
                            wStaticHits / windowScored,
                            wStaticNdcg / windowScored));
                    windowScored = 0;
                    wOnlineHits = wOnlineNdcg = wStaticHits = wStaticNdcg = 0;
                    if (progress != null && result.windows.size() % 10 == 0) {
                        progress.stage(
                                "prequential: %d/%d events, %d scored, online NDCG@%d so far %.4f",
                                result.events, stream.length, result.scored, k, result.onlineNdcgMean());
                    }
                }
            }

            // 2. train: learn from the event
            if (v == 0) {
                continue;
            }
            mine.merge(item, v, Float::sum);
            double[][] others = new double[mine.size()][];
            double[] values = new double[mine.size()];
            int n = 0;
            for (Map.Entry<Integer, Float> e : mine.entrySet()) {
                others[n] = items[e.getKey()];
                values[n++] = e.getValue();
            }
            users[u] = foldIn.solve(others, values, itemGram);
            double[] updated = foldIn.incremental(items[item], users[u], v, userFactor);
            if (updated != null) {
                items[item] = updated;
                hasItem[item] = !isZero(updated);
            }
            result.learned++;
            if (++sinceRefresh == refreshEvery) {
                itemGram = FoldIn.gram(items, rank);
                userFactor = foldIn.factorForIncremental(FoldIn.gram(users, rank));
                sinceRefresh = 0;
            }
        }
        if (windowScored > 0) {
            result.windows.add(new Window(
                    result.scored,
                    windowScored,
                    wOnlineHits / windowScored,
                    wOnlineNdcg / windowScored,
                    wStaticHits / windowScored,
                    wStaticNdcg / windowScored));
        }
        result.model = new AlsModel(h.users, h.items, rank, true, users, items);
        return result;
    }

    private double gain(int rank) {
        return rank < k ? 1.0 / (Math.log(rank + 2) / Math.log(2)) : 0.0;
    }

    /**
     * 0-based rank of {@code target} among items with a factor and not marked seen (higher score
     * first, ties to the lower index, as {@link io.desire.features.als.TopN}); {@code k} when it is
     * not in the top k or has no factor.
     */
    int rankOf(double[] user, double[][] items, boolean[] hasFactor, boolean[] seen, int target) {
        if (!hasFactor[target]) {
            return k;
        }
        double s = dot(user, items[target]);
        int ahead = 0;
        for (int j = 0; j < items.length; j++) {
            if (j == target || !hasFactor[j] || seen[j]) {
                continue;
            }
            double sj = dot(user, items[j]);
            if (sj > s || (sj == s && j < target)) {
                if (++ahead >= k) {
                    return k;
                }
            }
        }
        return ahead;
    }

    private static Map<Integer, Float> historyOf(List<Map<Integer, Float>> history, int u) {
        Map<Integer, Float> m = history.get(u);
        if (m == null) {
            m = new HashMap<>();
            history.set(u, m);
        }
        return m;
    }

    private static double[][] copy(double[][] from, int rows, int rank) {
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = r < from.length ? from[r].clone() : new double[rank];
        }
        return out;
    }

    private static boolean isZero(double[] v) {
        for (double x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
