package io.desire.operators.ranker;

import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.Blender;
import io.desire.features.ranking.Reasons;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.covisit.ItemFollowers;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Gathers the candidates {@link LearnedRanker} orders for one user in one context, from four sources:
 *
 * <ul>
 *   <li><b>blend</b> — the user's affinities, the context's trending items and global popularity as
 *       {@link Blender} ranks them (reasons {@code affinity_item}, {@code affinity_category},
 *       {@code context_trending}, {@code popular}; cold start is covered here);
 *   <li><b>ALS</b> — the user's latest top-N from the factor model (reason {@value Reasons#ALS});
 *   <li><b>sequence</b> — items that often followed the user's {@code recentForSequence} most recent
 *       items (co-visitation, reason {@value Reasons#SEQUENCE}), each follower scored by the sum over
 *       those items of its share of the list's top score.
 * </ul>
 *
 * <p><b>Signals are per item, not per source:</b> every candidate carries its ALS score when the item
 * is in the user's ALS list and its context popularity when it is in the context's trending list,
 * whichever source proposed it; {@link #describe} computes the same signals for any item. Training
 * examples built with {@code describe} therefore carry exactly the features serving computes.
 *
 * <p><b>Priors</b> (used only to break ties of equal model scores, so an untrained model serves the
 * sources' own order): the blend score; {@value #ALS_PRIOR_WEIGHT} × ALS score / the list's best;
 * {@value #SEQUENCE_PRIOR_WEIGHT} × sequence score / the best sequence score. Purchased items are
 * {@linkplain #excluded excluded}. Deterministic for equal inputs. Immutable and serializable.
 */
public final class HybridCandidates implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double ALS_PRIOR_WEIGHT = 0.4;
    public static final double SEQUENCE_PRIOR_WEIGHT = 0.3;
    public static final int DEFAULT_RECENT_FOR_SEQUENCE = 3;

    private final Blender blend;
    private final int perSource;
    private final int recentForSequence;

    /**
     * @param blender the blended ranking's weights; its candidates are taken {@code perSource} deep
     * @param perSource candidates taken at most from each source, ≥ 1
     * @param recentForSequence how many of the user's most recent items seed the sequence source, ≥ 0
     */
    public HybridCandidates(Blender blender, int perSource, int recentForSequence) {
        if (blender == null) {
            throw new IllegalArgumentException("blender must not be null");
        }
        if (perSource < 1) {
            throw new IllegalArgumentException("perSource must be ≥ 1, got " + perSource);
        }
        if (recentForSequence < 0) {
            throw new IllegalArgumentException("recentForSequence must be ≥ 0, got " + recentForSequence);
        }
        this.blend = blender.withTopK(perSource);
        this.perSource = perSource;
        this.recentForSequence = recentForSequence;
    }

    /** Items never to recommend to the user: those purchased (within the profile's memory). */
    public Set<String> excluded(UserProfile profile) {
        return profile == null ? Set.of() : new HashSet<>(Arrays.asList(profile.purchased));
    }

    /**
     * The candidates of every source, one entry per (source, item); an item proposed by several
     * sources appears several times and {@link LearnedRanker} merges them.
     *
     * @param followersOf the co-visitation list of an item, or null when unknown
     */
    public List<RankerCandidate> collect(UserProfile profile, TrendingItems context, TrendingItems global,
                                         AlsCandidates als, Function<String, ItemFollowers> followersOf) {
        Signals signals = new Signals(context, als);
        List<RankerCandidate> out = new ArrayList<>();
        for (RankedItem r : blend.rank(profile, context, global)) {
            out.add(signals.candidate(r.item, r.category, r.score, r.reasons));
        }
        if (als != null && als.items != null) {
            double best = als.scores.length == 0 ? 0 : als.scores[0];
            for (int i = 0; i < Math.min(perSource, als.items.length); i++) {
                double prior = best > 0 ? ALS_PRIOR_WEIGHT * Math.max(0, als.scores[i]) / best : 0;
                out.add(signals.candidate(als.items[i], categoryAt(als.categories, i), prior, Reasons.ALS));
            }
        }
        for (Map.Entry<String, Followed> e : sequence(profile, followersOf).entrySet()) {
            out.add(signals.candidate(e.getKey(), e.getValue().category, e.getValue().prior, Reasons.SEQUENCE));
        }
        return out;
    }

    /** The signals of {@code itemId} in this context for this user, as {@link #collect} would give them. */
    public RankerCandidate describe(String itemId, String category, TrendingItems context, AlsCandidates als) {
        return new Signals(context, als).candidate(itemId, category, 0, new String[0]);
    }

    private Map<String, Followed> sequence(UserProfile profile, Function<String, ItemFollowers> followersOf) {
        Map<String, Followed> scores = new LinkedHashMap<>();
        if (profile == null || recentForSequence == 0 || followersOf == null) {
            return scores;
        }
        String[] recent = profile.recentItems;
        for (int r = recent.length - 1; r >= Math.max(0, recent.length - recentForSequence); r--) {
            ItemFollowers f = followersOf.apply(recent[r]);
            if (f == null || f.items == null || f.items.length == 0 || !(f.scores[0] > 0)) {
                continue;
            }
            for (int i = 0; i < Math.min(perSource, f.items.length); i++) {
                Followed x = scores.computeIfAbsent(f.items[i], k -> new Followed());
                x.prior += f.scores[i] / f.scores[0];
                if (x.category == null && f.categories != null && i < f.categories.length) {
                    x.category = f.categories[i];
                }
            }
        }
        // The best perSource followers, normalised so the best one gets SEQUENCE_PRIOR_WEIGHT.
        List<Map.Entry<String, Followed>> ranked = new ArrayList<>(scores.entrySet());
        ranked.sort((a, b) -> {
            int c = Double.compare(b.getValue().prior, a.getValue().prior);
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        Map<String, Followed> top = new LinkedHashMap<>();
        double best = ranked.isEmpty() ? 0 : ranked.get(0).getValue().prior;
        for (int i = 0; i < Math.min(perSource, ranked.size()); i++) {
            Followed x = ranked.get(i).getValue();
            x.prior = best > 0 ? SEQUENCE_PRIOR_WEIGHT * x.prior / best : 0;
            top.put(ranked.get(i).getKey(), x);
        }
        return top;
    }

    private static String categoryAt(String[] categories, int i) {
        return categories != null && i < categories.length ? categories[i] : null;
    }

    private static final class Followed {
        double prior;
        String category;
    }

    /** Per-item lookups of the ALS and context-trending scores, built once per ranking. */
    private static final class Signals {
        private final Map<String, Double> als = new HashMap<>();
        private final Map<String, Integer> trending = new HashMap<>();
        private final TrendingItems context;

        Signals(TrendingItems context, AlsCandidates candidates) {
            this.context = context;
            if (candidates != null && candidates.items != null) {
                for (int i = 0; i < candidates.items.length; i++) {
                    als.putIfAbsent(candidates.items[i], candidates.scores[i]);
                }
            }
            for (int i = 0; context != null && i < context.size(); i++) {
                trending.putIfAbsent(context.items[i], i);
            }
        }

        RankerCandidate candidate(String itemId, String category, double prior, String... reasons) {
            Integer at = trending.get(itemId);
            if (category == null && at != null && context.categories != null && at < context.categories.length) {
                category = context.categories[at];
            }
            RankerCandidate c = RankerCandidate.of(itemId, category, reasons).withPrior(prior);
            Double score = als.get(itemId);
            if (score != null) {
                c.withAlsScore(score);
            }
            if (at != null) {
                c.withContextPopularity(context.scores[at]);
            }
            return c;
        }
    }
}
