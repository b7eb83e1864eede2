package io.desire.operators.serving;

import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.Blender;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.features.serving.CandidateSource;
import io.desire.features.serving.SourceList;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.covisit.ItemFollowers;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Each list holds at most {@code perSource} items. Deterministic for equal inputs; immutable and
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
    public Map<CandidateSource, SourceList> lists(UserProfile profile, TrendingItems context, TrendingItems popular,
                                                  TrendingItems global, AlsCandidates als,
                                                  Function<String, ItemFollowers> followersOf) {
        Map<CandidateSource, SourceList> out = new EnumMap<>(CandidateSource.class);
        TrendingItems pop = popular != null && popular.size() > 0 ? popular : global;
        if (als != null && als.items != null) {
            int n = Math.min(perSource, als.items.length);
            out.put(CandidateSource.ALS, SourceList.of(head(als.items, n), head(als.scores, n),
                    als.categories == null ? null : head(als.categories, n)));
        }
        out.put(CandidateSource.SEQUENCE, sequence(profile, followersOf));
        out.put(CandidateSource.AFFINITY, affinity(profile, context, pop));
        if (context != null) {
            out.put(CandidateSource.CONTEXT, trending(context));
        }
        if (pop != null) {
            out.put(CandidateSource.POPULAR, trending(pop));
        }
        return out;
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

    private SourceList trending(TrendingItems t) {
        int n = Math.min(perSource, t.size());
        return SourceList.of(head(t.items, n), head(t.scores, n), t.categories == null ? null : head(t.categories, n));
    }

    private SourceList sequence(UserProfile profile, Function<String, ItemFollowers> followersOf) {
        if (profile == null || recentForSequence == 0 || followersOf == null) {
            return SourceList.EMPTY;
        }
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, String> categories = new LinkedHashMap<>();
        String[] recent = profile.recentItems;
        for (int r = recent.length - 1; r >= Math.max(0, recent.length - recentForSequence); r--) {
            ItemFollowers f = followersOf.apply(recent[r]);
            if (f == null || f.items == null || f.items.length == 0 || !(f.scores[0] > 0)) {
                continue;
            }
            for (int i = 0; i < Math.min(perSource, f.items.length); i++) {
                scores.computeIfAbsent(f.items[i], k -> new double[1])[0] += f.scores[i] / f.scores[0];
                if (f.categories != null && i < f.categories.length && f.categories[i] != null) {
                    categories.putIfAbsent(f.items[i], f.categories[i]);
                }
            }
        }
        List<Map.Entry<String, double[]>> ranked = new ArrayList<>(scores.entrySet());
        ranked.sort((a, b) -> {
            int c = Double.compare(b.getValue()[0], a.getValue()[0]);
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        int n = Math.min(perSource, ranked.size());
        String[] items = new String[n];
        double[] s = new double[n];
        String[] cats = new String[n];
        for (int i = 0; i < n; i++) {
            items[i] = ranked.get(i).getKey();
            s[i] = ranked.get(i).getValue()[0];
            cats[i] = categories.get(items[i]);
        }
        return SourceList.of(items, s, cats);
    }

    private static String[] head(String[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }

    private static double[] head(double[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }
}
