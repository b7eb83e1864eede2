package io.desire.features.ranking;

import io.desire.features.profile.DecayedScores;
import io.desire.features.profile.UserProfile;
import io.desire.features.recs.RankedItem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks items for one user in one context by blending three signals, each normalised to [0, 1]:
 *
 * <ul>
 *   <li><b>affinity</b> = item affinity / the user's largest item affinity, plus the item's category
 *       affinity / the sum of the user's category affinities (its share);
 *   <li><b>context</b> = trending score in the context / the context's top score;
 *   <li><b>popular</b> = global popularity score / the global top score.
 * </ul>
 *
 * <p>{@code score = wAffinity·(item affinity + category share) + wContext·context + wPopular·popular},
 * with defaults {@value #DEFAULT_W_AFFINITY}, {@value #DEFAULT_W_CONTEXT}, {@value #DEFAULT_W_POPULAR}.
 * Because every signal is divided by its own maximum (or sum), the common decay factor of a profile
 * cancels: the ranking is the same whichever instant the affinities are expressed at.
 *
 * <p>Candidates are the union of the user's affine items, the context's trending items and the
 * globally popular items; items the user purchased are excluded, as are candidates scoring 0. The
 * result holds at most {@code topK} (default {@value #DEFAULT_TOP_K}) items ordered by score
 * descending then item id ascending, so equal inputs always give the same list. Each item carries
 * the reason codes of {@link Reasons} whose contribution is positive, largest contribution first
 * (ties in the order affinity_item, affinity_category, context_trending, popular).
 *
 * <p>Immutable and serializable, so an operator can hold one as configuration.
 */
public final class Blender implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double DEFAULT_W_AFFINITY = 0.5;
    public static final double DEFAULT_W_CONTEXT = 0.3;
    public static final double DEFAULT_W_POPULAR = 0.2;
    public static final int DEFAULT_TOP_K = 10;

    private static final String[] REASON_ORDER = {
        Reasons.AFFINITY_ITEM, Reasons.AFFINITY_CATEGORY, Reasons.CONTEXT_TRENDING, Reasons.POPULAR
    };

    private final double wAffinity;
    private final double wContext;
    private final double wPopular;
    private final int topK;

    /** The documented defaults. */
    public Blender() {
        this(DEFAULT_W_AFFINITY, DEFAULT_W_CONTEXT, DEFAULT_W_POPULAR, DEFAULT_TOP_K);
    }

    /**
     * @param wAffinity weight of item affinity plus category share, finite and ≥ 0
     * @param wContext weight of context trending, finite and ≥ 0
     * @param wPopular weight of global popularity, finite and ≥ 0
     * @param topK how many items a ranking holds at most, ≥ 1
     */
    public Blender(double wAffinity, double wContext, double wPopular, int topK) {
        this.wAffinity = checkWeight("wAffinity", wAffinity);
        this.wContext = checkWeight("wContext", wContext);
        this.wPopular = checkWeight("wPopular", wPopular);
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be ≥ 1, got " + topK);
        }
        this.topK = topK;
    }

    private static double checkWeight(String name, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException(name + " must be finite and ≥ 0, got " + w);
        }
        return w;
    }

    public int topK() {
        return topK;
    }

    /** The same weights with another list length. */
    public Blender withTopK(int k) {
        return new Blender(wAffinity, wContext, wPopular, k);
    }

    /**
     * Ranks items for a user in a context.
     *
     * @param profile the user's profile, or {@code null} for a user without one
     * @param context trending items of the user's context, or {@code null} when not known yet
     * @param global globally popular items, or {@code null} when not known yet
     * @return at most {@code topK} items, best first; empty when there are no candidates
     */
    public RankedItem[] rank(UserProfile profile, TrendingItems context, TrendingItems global) {
        Map<String, Candidate> candidates = new HashMap<>();
        Map<String, Double> categoryShare = new HashMap<>();
        Set<String> purchased = new HashSet<>();

        if (profile != null) {
            purchased.addAll(Arrays.asList(profile.purchased));
            DecayedScores items = profile.items;
            double maxItem = items.max();
            if (maxItem > 0) {
                double floor = affinityFloor(items, purchased);
                for (int i = 0; i < items.size(); i++) {
                    if (items.values[i] < floor || purchased.contains(items.keys[i])) {
                        continue;
                    }
                    Candidate c = candidate(candidates, items.keys[i]);
                    c.itemAffinity = items.values[i] / maxItem;
                    c.offerCategory(items.labelAt(i));
                }
            }
            DecayedScores cats = profile.categories;
            double catSum = cats.sum();
            if (catSum > 0) {
                for (int i = 0; i < cats.size(); i++) {
                    categoryShare.put(cats.keys[i], cats.values[i] / catSum);
                }
            }
        }
        if (context != null) {
            addTrending(candidates, context, true, candidatesPerSource());
        }
        if (global != null) {
            addTrending(candidates, global, false, candidatesPerSource());
        }

        // Keep the best topK in a small sorted array instead of sorting every candidate: the order
        // (score descending, then item id) is the same, at a fraction of the cost per document.
        Candidate[] best = new Candidate[topK];
        int n = 0;
        for (Candidate c : candidates.values()) {
            if (purchased.contains(c.item)) {
                continue;
            }
            Double share = c.category == null ? null : categoryShare.get(c.category);
            c.categoryShare = share == null ? 0.0 : share;
            c.score = wAffinity * (c.itemAffinity + c.categoryShare) + wContext * c.context + wPopular * c.popular;
            if (!(c.score > 0) || (n == topK && !before(c, best[n - 1]))) {
                continue;
            }
            int i = n < topK ? n++ : n - 1;
            while (i > 0 && before(c, best[i - 1])) {
                best[i] = best[i - 1];
                i--;
            }
            best[i] = c;
        }
        RankedItem[] out = new RankedItem[n];
        for (int i = 0; i < n; i++) {
            Candidate c = best[i];
            out[i] = new RankedItem(c.item, c.score, c.category, reasons(c));
        }
        return out;
    }

    /**
     * Each source offers at most this many candidates: its best ones. An item outside every
     * source's best {@code max(3·topK, 30)} cannot gather enough score to enter the top K in
     * practice, and scoring fewer candidates keeps the cost per document low.
     */
    private int candidatesPerSource() {
        return Math.max(3 * topK, 30);
    }

    /** The affinity of the user's {@link #candidatesPerSource()}-th best item not yet bought. */
    private double affinityFloor(DecayedScores items, Set<String> purchased) {
        int cap = candidatesPerSource();
        if (items.size() <= cap) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] v = new double[items.size()];
        int n = 0;
        for (int i = 0; i < items.size(); i++) {
            if (!purchased.contains(items.keys[i])) {
                v[n++] = items.values[i];
            }
        }
        if (n <= cap) {
            return Double.NEGATIVE_INFINITY;
        }
        Arrays.sort(v, 0, n);
        return v[n - cap];
    }

    /** Ranking order: higher score first, then item id ascending. */
    private static boolean before(Candidate a, Candidate b) {
        int byScore = Double.compare(b.score, a.score);
        return byScore < 0 || (byScore == 0 && a.item.compareTo(b.item) < 0);
    }

    private String[] reasons(Candidate c) {
        double[] contribution = {
            wAffinity * c.itemAffinity, wAffinity * c.categoryShare, wContext * c.context, wPopular * c.popular
        };
        Integer[] order = {0, 1, 2, 3};
        // stable sort: equal contributions keep the canonical order
        Arrays.sort(order, (a, b) -> Double.compare(contribution[b], contribution[a]));
        List<String> out = new ArrayList<>(4);
        for (int idx : order) {
            if (contribution[idx] > 0) {
                out.add(REASON_ORDER[idx]);
            }
        }
        return out.toArray(new String[0]);
    }

    private static void addTrending(Map<String, Candidate> candidates, TrendingItems t, boolean isContext, int cap) {
        double max = 0.0;
        for (int i = 0; i < t.size(); i++) {
            max = Math.max(max, t.scores[i]);
        }
        if (max <= 0) {
            return;
        }
        // Lists are sorted best first, so the first `cap` entries are the source's best.
        for (int i = 0; i < Math.min(t.size(), cap); i++) {
            if (!(t.scores[i] > 0)) {
                continue;
            }
            Candidate c = candidate(candidates, t.items[i]);
            double norm = t.scores[i] / max;
            if (isContext) {
                c.context = Math.max(c.context, norm);
            } else {
                c.popular = Math.max(c.popular, norm);
            }
            c.offerCategory(t.categories == null ? null : t.categories[i]);
        }
    }

    private static Candidate candidate(Map<String, Candidate> candidates, String item) {
        return candidates.computeIfAbsent(item, Candidate::new);
    }

    private static final class Candidate {
        final String item;
        String category;
        double itemAffinity;
        double categoryShare;
        double context;
        double popular;
        double score;

        Candidate(String item) {
            this.item = item;
        }

        void offerCategory(String c) {
            if (category == null && c != null) {
                category = c;
            }
        }
    }

    @Override
    public String toString() {
        return "Blender{wAffinity=" + wAffinity + ", wContext=" + wContext + ", wPopular=" + wPopular + ", topK=" + topK
                + '}';
    }
}
