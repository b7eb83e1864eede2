package io.desire.operators.serving;

import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.Blender;
import io.desire.features.ranking.ScoreTally;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.features.serving.CandidateSource;
import io.desire.features.serving.SourceList;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.covisit.ItemFollowers;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Asks every candidate source for its list for one user in one context — the first stage of the
 * serving path (sources → {@link io.desire.features.serving.CandidatePool merge and exclusion} → rank
 * → document):
 *
 * <ul>
 *   <li>{@link CandidateSource#ALS ALS}: the user's latest top-N of the factor model;
 *   <li>{@link CandidateSource#SEQUENCE sequence}: items that often followed the user's {@code
 *       recentForSequence} most recent items, each scored by the sum over those items of its share of
 *       the follower list's top score;
 *   <li>{@link CandidateSource#AFFINITY affinity}: the user's decayed item affinities and the items of
 *       the user's favourite categories among the context's and the popular items ({@link Blender}
 *       with affinity weight only; reasons {@code affinity_item} / {@code affinity_category});
 *   <li>{@link CandidateSource#CONTEXT context}: the context's trending list;
 *   <li>{@link CandidateSource#POPULAR popular}: the long-horizon popularity list, or the latest
 *       global trending list while there is none.
 * </ul>
 *
 * <p>The ALS, sequence and affinity lists hold at most {@code perSource} items (ALS skips consumed
 * items itself); trending and popular lists are passed whole, for the pool to cut after exclusion. Deterministic for equal inputs; immutable and
 * serializable, so an operator holds one as configuration.
 */
public final class ServingSources implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_RECENT_FOR_SEQUENCE = 3;

    private final Blender affinity;
    private final int perSource;
    private final int recentForSequence;

    /**
     * @param perSource items each source proposes at most; ≥ 1
     * @param recentForSequence how many of the user's most recent items seed the sequence source; ≥ 0
     */
    public ServingSources(int perSource, int recentForSequence) {
        if (perSource < 1) {
            throw new IllegalArgumentException("perSource must be ≥ 1, got " + perSource);
        }
        if (recentForSequence < 0) {
            throw new IllegalArgumentException("recentForSequence must be ≥ 0, got " + recentForSequence);
        }
        this.affinity = new Blender(1.0, 0.0, 0.0, perSource);
        this.perSource = perSource;
        this.recentForSequence = recentForSequence;
    }

    public int perSource() {
        return perSource;
    }

    /**
     * The lists of every source.
     *
     * @param profile the user's profile, or null
     * @param context the context's trending list, or null
     * @param popular the long-horizon popularity list, or null
     * @param global the latest global trending list (the popular source while there is no long-horizon list), or null
     * @param als the user's latest ALS candidates, or null
     * @param followersOf the co-visitation list of an item, or null when unknown
     */
    public Map<CandidateSource, SourceList> lists(
            UserProfile profile,
            TrendingItems context,
            TrendingItems popular,
            TrendingItems global,
            AlsCandidates als,
            Function<String, ItemFollowers> followersOf) {
        return withContext(userLists(profile, popular, global, als, followersOf), profile, context, popular, global);
    }

    /**
     * The lists that are the same in every context of the user — ALS, sequence, popular — so that a
     * flush of several contexts builds them once; complete them per context with {@link #withContext}.
     * Arguments as in {@link #lists}.
     */
    public Map<CandidateSource, SourceList> userLists(
            UserProfile profile,
            TrendingItems popular,
            TrendingItems global,
            AlsCandidates als,
            Function<String, ItemFollowers> followersOf) {
        Map<CandidateSource, SourceList> out = new EnumMap<>(CandidateSource.class);
        TrendingItems pop = popularList(popular, global);
        if (als != null && als.items != null) {
            int n = Math.min(perSource, als.items.length);
            out.put(
                    CandidateSource.ALS,
                    SourceList.of(
                            head(als.items, n),
                            head(als.scores, n),
                            als.categories == null ? null : head(als.categories, n)));
        }
        out.put(CandidateSource.SEQUENCE, sequence(profile, followersOf));
        if (pop != null) {
            out.put(CandidateSource.POPULAR, trending(pop));
        }
        return out;
    }

    /**
     * {@code userLists} (left unchanged) completed with the lists of one context — affinity, which
     * picks favourite-category items among the context's and the popular ones, and the context's
     * trending list: equal to {@link #lists} of the same inputs.
     */
    public Map<CandidateSource, SourceList> withContext(
            Map<CandidateSource, SourceList> userLists,
            UserProfile profile,
            TrendingItems context,
            TrendingItems popular,
            TrendingItems global) {
        Map<CandidateSource, SourceList> out = new EnumMap<>(userLists);
        out.put(CandidateSource.AFFINITY, affinity(profile, context, popularList(popular, global)));
        if (context != null) {
            out.put(CandidateSource.CONTEXT, trending(context));
        }
        return out;
    }

    private static TrendingItems popularList(TrendingItems popular, TrendingItems global) {
        return popular != null && popular.size() > 0 ? popular : global;
    }

    private SourceList affinity(UserProfile profile, TrendingItems context, TrendingItems popular) {
        if (profile == null) {
            return SourceList.EMPTY;
        }
        RankedItem[] ranked = affinity.rank(profile, context, popular);
        int n = ranked.length;
        String[] items = new String[n];
        double[] scores = new double[n];
        String[] categories = new String[n];
        String[] reasons = new String[n];
        for (int i = 0; i < n; i++) {
            items[i] = ranked[i].item;
            scores[i] = ranked[i].score;
            categories[i] = ranked[i].category;
            reasons[i] = ranked[i].reasons.length > 0 ? ranked[i].reasons[0] : null;
        }
        return new SourceList(items, scores, categories, reasons);
    }

    /**
     * A trending or popularity list whole (their producers bound them: 50 per context, 200 popular):
     * the pool takes {@code perSource} of them after exclusion, so a user who consumed the most
     * popular items still gets the next ones.
     */
    private SourceList trending(TrendingItems t) {
        return SourceList.of(t.items, t.scores, t.categories);
    }

    private SourceList sequence(UserProfile profile, Function<String, ItemFollowers> followersOf) {
        if (profile == null || recentForSequence == 0 || followersOf == null) {
            return SourceList.EMPTY;
        }
        ScoreTally tally = new ScoreTally();
        String[] recent = profile.recentItems;
        for (int r = recent.length - 1; r >= Math.max(0, recent.length - recentForSequence); r--) {
            ItemFollowers f = followersOf.apply(recent[r]);
            if (f == null || f.items == null || f.items.length == 0 || !(f.scores[0] > 0)) {
                continue;
            }
            for (int i = 0; i < Math.min(perSource, f.items.length); i++) {
                tally.add(
                        f.items[i],
                        f.scores[i] / f.scores[0],
                        f.categories != null && i < f.categories.length ? f.categories[i] : null);
            }
        }
        ScoreTally.Top top = tally.top(perSource);
        return SourceList.of(top.items(), top.scores(), top.categories());
    }

    private static String[] head(String[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }

    private static double[] head(double[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }
}
