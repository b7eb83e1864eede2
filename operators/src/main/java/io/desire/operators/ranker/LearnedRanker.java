package io.desire.operators.ranker;

import io.desire.features.context.ContextDefaults;
import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.ftrl.UserSummary;
import io.desire.features.recs.RankedItem;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders candidate items for one user in one context with the learned model: builds the
 * {@link RankingFeatures} vector of each candidate, scores it with the replica's {@link RankerModel}
 * (FTRL {@link RankerWeights} or factorisation machine {@link FmWeights}),
 * and returns the best {@code topK} as {@link RankedItem}s together with the {@link ServedFeatures} of
 * each returned item, which the caller logs for {@link ExampleAssembler}.
 *
 * <p><b>Ranking:</b> candidates are merged by item id (reasons united in first-seen order; the first
 * known category and numeric signal win; the largest prior); excluded items (e.g. already purchased)
 * are dropped. Order: model probability descending, then {@link RankerCandidate#prior} descending,
 * then item id ascending, so equal inputs always give the same list. {@link RankedItem#score} is the
 * predicted probability of a click or purchase. Each item carries its sources' reasons plus
 * {@value #REASON_FTRL} (FTRL) or {@value #REASON_FM} (factorisation machine) when a trained model
 * scored it: a model {@linkplain RankerModel#isTrained()
 * trained} on at least {@code minVersion} examples (default 1). Without one every probability is ½ and
 * the order is the sources' priors, so the ranker can serve, and log features to learn from, before
 * its first delta arrives — and a model that has seen only a handful of examples, which mostly knows
 * which few items were clicked, does not override the sources yet.
 *
 * <p><b>Shortlist.</b> Building a candidate's features costs far more than merging it (≈ 0.6 µs
 * against ≈ 0.1 µs), so with {@link #withShortlist shortlist} {@code m > 0} only the {@code m}
 * merged candidates of highest prior (ties: item id ascending — the order an untrained model serves)
 * are scored; the others are never returned. An untrained model therefore returns exactly what it
 * returns without a shortlist whenever {@code m ≥ topK}; a trained one can only lose items the
 * sources ranked below the shortlist. {@code m = 0} scores every candidate.
 *
 * <p>Only the returned items are logged: they are the ones an impression can follow. The features use
 * the same {@link RankingFeatures} (bits, seed, settings) as the learner's training examples, which
 * must hold for the model to be valid.
 *
 * <p>Plain Java without Flink state, immutable and serializable, so an operator can hold one as
 * configuration; the weights come from the operator's broadcast state.
 */
public final class LearnedRanker implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Reason code of items ordered by the learned ranker with FTRL weights. */
    public static final String REASON_FTRL = "ranker_ftrl";
    /** Reason code of items ordered by the learned ranker with a factorisation machine. */
    public static final String REASON_FM = "ranker_fm";

    public static final int DEFAULT_TOP_K = 10;
    /** Candidates scored per ranking by default ({@code ranker.candidates}): one source's list. */
    public static final int DEFAULT_SHORTLIST = 50;

    private final RankingFeatures features;
    private final int topK;
    private final long minVersion;
    /** Candidates scored at most, the best by prior; 0 for all. */
    private final int shortlist;

    /** Features over the default FTRL space with context crosses; top {@value #DEFAULT_TOP_K}. */
    public LearnedRanker() {
        this(new RankingFeatures(FeatureHasher.forParams(FtrlParams.defaults())), DEFAULT_TOP_K);
    }

    /**
     * @param features how candidate vectors are built; the learner's bucket space
     * @param topK items returned at most; ≥ 1
     */
    public LearnedRanker(RankingFeatures features, int topK) {
        this(features, topK, 1);
    }

    /**
     * @param features how candidate vectors are built; the learner's bucket space
     * @param topK items returned at most; ≥ 1
     * @param minVersion the model version (examples learned from) from which the model orders; ≥ 1
     */
    public LearnedRanker(RankingFeatures features, int topK, long minVersion) {
        this(features, topK, minVersion, 0);
    }

    private LearnedRanker(RankingFeatures features, int topK, long minVersion, int shortlist) {
        if (shortlist < 0) {
            throw new IllegalArgumentException("shortlist must be ≥ 0 (0: score every candidate), got " + shortlist);
        }
        this.shortlist = shortlist;
        if (minVersion < 1) {
            throw new IllegalArgumentException("minVersion must be ≥ 1, got " + minVersion);
        }
        this.minVersion = minVersion;
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be ≥ 1, got " + topK);
        }
        this.features = features;
        this.topK = topK;
    }

    public RankingFeatures features() {
        return features;
    }

    public int topK() {
        return topK;
    }

    public long minVersion() {
        return minVersion;
    }

    /**
     * This ranker scoring only the {@code m} candidates of highest prior per ranking (see the class
     * comment); 0 scores all. Must be 0 or ≥ {@code topK}, so a document is never shorter for it.
     */
    public LearnedRanker withShortlist(int m) {
        if (m != 0 && m < topK) {
            throw new IllegalArgumentException(
                    "shortlist must be 0 (all candidates) or ≥ topK (" + topK + "), got " + m);
        }
        return new LearnedRanker(features, topK, minVersion, m);
    }

    /** Candidates scored at most per ranking; 0 for all. */
    public int shortlist() {
        return shortlist;
    }

    /**
     * Ranks {@code candidates} for a user in a context.
     *
     * @param userId the user (for the serving log)
     * @param user the user's summary ({@link UserSummary#of}); {@code null} for an anonymous user
     * @param servedAt event time the ranking reflects (e.g. the document's event time), epoch ms
     * @param candidates candidates from all sources; an item may appear once per source
     * @param exclude items never to return (e.g. purchased); may be {@code null}
     * @param weights the replica's model (FTRL or FM); {@code null} before the first delta
     * @return at most {@code topK} items, best first, and their served features
     * @throws IllegalArgumentException when the weights' bucket space differs from the features'
     */
    public Ranking rank(
            String userId,
            UserSummary user,
            String geoCell,
            String timeBucket,
            String deviceClass,
            long servedAt,
            Collection<RankerCandidate> candidates,
            Set<String> exclude,
            RankerModel weights) {
        return rank(userId, user, geoCell, timeBucket, deviceClass, null, null, servedAt, candidates, exclude, weights);
    }

    /**
     * As {@link #rank(String, UserSummary, String, String, String, long, Collection, Set, RankerModel)},
     * in a context that also carries custom attributes ({@code Event.attributeKeys} / {@code
     * attributeValues}, both null for none), which every candidate's features cross with its item and
     * category.
     */
    public Ranking rank(
            String userId,
            UserSummary user,
            String geoCell,
            String timeBucket,
            String deviceClass,
            String[] attributeKeys,
            String[] attributeValues,
            long servedAt,
            Collection<RankerCandidate> candidates,
            Set<String> exclude,
            RankerModel weights) {
        int dim = weights == null ? 0 : weights.dimension();
        if (dim != 0 && dim != features.hasher().dimension()) {
            throw new IllegalArgumentException("weights have " + dim + " buckets but features hash into "
                    + features.hasher().dimension() + ": ranker and learner must use the same bits");
        }
        boolean trained = weights != null && weights.isTrained() && weights.version() >= minVersion;
        long version = trained ? weights.version() : 0L;
        String reason = trained ? reasonOf(weights) : null;
        String contextKey = ContextDefaults.contextKey(geoCell, timeBucket, deviceClass);

        List<Scored> scored = new ArrayList<>();
        // one builder for the whole ranking: the user's and the context's parts are hashed once
        RankingFeatures.Builder builder = features.builder()
                .user(user)
                .context(geoCell, timeBucket, deviceClass)
                .attributes(attributeKeys, attributeValues);
        for (Merged m : shortlisted(merge(candidates, exclude).values())) {
            HashedFeatures x = builder.item(m.itemId, m.category)
                    .alsScore(m.als)
                    .contextPopularity(m.popularity)
                    .recencyHours(m.recency)
                    .sources(m.sourceScores, m.sourceRanks)
                    .build();
            double p = trained ? weights.score(x) : 0.5;
            scored.add(new Scored(m, x, p));
        }
        scored.sort(Comparator.<Scored>comparingDouble(s -> -s.probability)
                .thenComparingDouble(s -> -s.merged.prior)
                .thenComparing(s -> s.merged.itemId));

        int n = Math.min(topK, scored.size());
        RankedItem[] items = new RankedItem[n];
        ServedFeatures[] served = new ServedFeatures[n];
        for (int i = 0; i < n; i++) {
            Scored s = scored.get(i);
            Set<String> reasons = s.merged.reasons;
            if (trained) {
                reasons.add(reason);
            }
            items[i] =
                    new RankedItem(s.merged.itemId, s.probability, s.merged.category, reasons.toArray(new String[0]));
            served[i] = new ServedFeatures(userId, contextKey, s.merged.itemId, null, servedAt, version, s.features);
        }
        return new Ranking(items, served, version);
    }

    /** The reason code of items a trained {@code model} ordered: {@value #REASON_FM} or {@value #REASON_FTRL}. */
    public static String reasonOf(RankerModel model) {
        return RankerModel.FM.equals(model.name()) ? REASON_FM : REASON_FTRL;
    }

    /**
     * The feature vector this ranker scores for {@code c} — what a training example of the same
     * (user, context, item, signals) must carry for training and serving to agree.
     */
    public HashedFeatures featuresOf(
            UserSummary user, String geoCell, String timeBucket, String deviceClass, RankerCandidate c) {
        return featuresOf(user, geoCell, timeBucket, deviceClass, null, null, c);
    }

    /** As {@link #featuresOf(UserSummary, String, String, String, RankerCandidate)}, with custom context attributes. */
    public HashedFeatures featuresOf(
            UserSummary user,
            String geoCell,
            String timeBucket,
            String deviceClass,
            String[] attributeKeys,
            String[] attributeValues,
            RankerCandidate c) {
        return features.builder()
                .user(user)
                .context(geoCell, timeBucket, deviceClass)
                .attributes(attributeKeys, attributeValues)
                .item(c.itemId, c.category)
                .alsScore(c.alsScore)
                .contextPopularity(c.contextPopularity)
                .recencyHours(c.recencyHours)
                .sources(c.sourceScores, c.sourceRanks)
                .build();
    }

    /** The merged candidates to score: all, or the {@link #shortlist} best by prior. */
    private Collection<Merged> shortlisted(Collection<Merged> merged) {
        if (shortlist == 0 || merged.size() <= shortlist) {
            return merged;
        }
        List<Merged> byPrior = new ArrayList<>(merged);
        byPrior.sort(BY_PRIOR);
        return byPrior.subList(0, shortlist);
    }

    private static final Comparator<Merged> BY_PRIOR =
            Comparator.<Merged>comparingDouble(m -> -m.prior).thenComparing(m -> m.itemId);

    private static Map<String, Merged> merge(Collection<RankerCandidate> candidates, Set<String> exclude) {
        Map<String, Merged> merged = new LinkedHashMap<>();
        if (candidates == null) {
            return merged;
        }
        for (RankerCandidate c : candidates) {
            if (c == null || c.itemId == null || (exclude != null && exclude.contains(c.itemId))) {
                continue;
            }
            Merged m = merged.get(c.itemId);
            if (m == null) {
                m = new Merged(c);
                merged.put(c.itemId, m);
            } else {
                m.add(c);
            }
        }
        return merged;
    }

    /** The result of one ranking: items best first, the features served for each, and the model version used. */
    public static final class Ranking {
        public final RankedItem[] items;
        /** Parallel to {@link #items}: what to log for training. */
        public final ServedFeatures[] served;
        /** Version of the weights used; 0 without a model. */
        public final long modelVersion;

        Ranking(RankedItem[] items, ServedFeatures[] served, long modelVersion) {
            this.items = items;
            this.served = served;
            this.modelVersion = modelVersion;
        }
    }

    private static final class Merged {
        final String itemId;
        String category;
        double als;
        double popularity;
        double recency;
        double prior;
        double[] sourceScores;
        int[] sourceRanks;
        final Set<String> reasons = new LinkedHashSet<>();

        Merged(RankerCandidate c) {
            sourceScores = c.sourceScores;
            sourceRanks = c.sourceRanks;
            itemId = c.itemId;
            category = c.category;
            als = c.alsScore;
            popularity = c.contextPopularity;
            recency = c.recencyHours;
            prior = c.prior;
            addReasons(c.reasons);
        }

        void add(RankerCandidate c) {
            if (category == null) {
                category = c.category;
            }
            if (Double.isNaN(als)) {
                als = c.alsScore;
            }
            if (Double.isNaN(popularity)) {
                popularity = c.contextPopularity;
            }
            if (Double.isNaN(recency)) {
                recency = c.recencyHours;
            }
            prior = Math.max(prior, c.prior);
            if (sourceScores == null) {
                sourceScores = c.sourceScores;
                sourceRanks = c.sourceRanks;
            }
            addReasons(c.reasons);
        }

        private void addReasons(String[] rs) {
            if (rs != null) {
                for (String r : rs) {
                    if (r != null) {
                        reasons.add(r);
                    }
                }
            }
        }
    }

    private static final class Scored {
        final Merged merged;
        final HashedFeatures features;
        final double probability;

        Scored(Merged merged, HashedFeatures features, double probability) {
            this.merged = merged;
            this.features = features;
            this.probability = probability;
        }
    }
}
