package io.desire.features.ftrl;

import io.desire.features.serving.CandidateSource;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Turns one (user, context, candidate item, numeric signals) into the hashed feature vector the FTRL
 * ranker scores and learns from.
 *
 * <p><b>Features</b> (indicator features have value 1; a feature is left out when any string it needs
 * is {@code null} or empty, or a numeric signal is {@code NaN}):
 * <ul>
 *   <li>always: bias; item {@code i}; category {@code c}; segment {@code s}; crosses {@code s×c},
 *       {@code s×i}; for each of the user's {@link #topCategories} strongest categories {@code u},
 *       the cross {@code u×c} (user taste × item category);</li>
 *   <li>with context (the default): geo cell {@code g}, time bucket {@code t}, device {@code d};
 *       context × item crosses {@code g×i, t×i, d×i, g×c, t×c, d×c}; user × context × item crosses
 *       {@code s×t×c, s×d×c};</li>
 *   <li>with context and custom context attributes ({@link Builder#attributes}): per attribute
 *       {@code a} = {@code key=value}, the feature {@code a} and the crosses {@code a×i, a×c};</li>
 *   <li>numeric: ALS score clipped to ±{@value #MAX_ALS}; context popularity as {@code log(1 + p)};
 *       recency as the freshness {@code 1 / (1 + ageHours / 24)} (1 for brand new, ½ after a day);
 *       the user's share of affinity for the item's category (left out when 0).</li>
 * </ul>
 * Numeric transforms keep every value within a few units, the scale FTRL's per-coordinate rates are
 * tuned for. Recency is whatever age the caller measures (e.g. time since the item's last interaction
 * in the context); it must be measured the same way at training and at serving time.
 *
 * <p><b>Guarantees:</b> the output is a pure function of the inputs, the hasher (bits, seed) and the
 * settings; indices are strictly ascending with features that collide in one bucket summed, and
 * zero sums dropped, so it meets {@link FtrlModel}'s input contract. A model trained with one setting
 * of {@code contextFeatures}/{@code topCategories} must be served with the same.
 *
 * <p>Immutable and thread-safe; each {@link #builder()} is single-use state for one vector.
 */
public final class RankingFeatures implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_TOP_CATEGORIES = 3;
    public static final double MAX_ALS = 5.0;
    /** Hours after which the freshness feature is ½. */
    public static final double FRESHNESS_HALF_HOURS = 24.0;

    static final String BIAS = "bias";
    static final String ITEM = "i";
    static final String CATEGORY = "c";
    static final String SEGMENT = "s";
    static final String USER_CATEGORY = "u";
    static final String GEO = "g";
    static final String TIME = "t";
    static final String DEVICE = "d";
    static final String NUMERIC = "n";
    /** Namespace of custom context attributes; the value is {@code key=value}. */
    static final String ATTRIBUTE = "a";

    private final FeatureHasher hasher;
    private final boolean contextFeatures;
    private final int topCategories;
    private final int biasBucket;
    private final int alsBucket;
    private final int popularityBucket;
    private final int freshnessBucket;
    private final int categoryShareBucket;
    /** Per {@link CandidateSource}: the buckets of its normalised score and of its reciprocal rank. */
    private final int[] sourceScoreBuckets;

    private final int[] sourceRankBuckets;

    /** Context features on, top {@value #DEFAULT_TOP_CATEGORIES} user categories. */
    public RankingFeatures(FeatureHasher hasher) {
        this(hasher, true, DEFAULT_TOP_CATEGORIES);
    }

    /**
     * @param contextFeatures whether to emit the context features and crosses ({@code false} gives the
     *     context-free model evaluation compares against)
     * @param topCategories how many of the user's strongest categories are crossed with the item's; ≥ 0
     */
    public RankingFeatures(FeatureHasher hasher, boolean contextFeatures, int topCategories) {
        if (hasher == null) {
            throw new IllegalArgumentException("hasher must not be null");
        }
        if (topCategories < 0) {
            throw new IllegalArgumentException("topCategories must be ≥ 0, got " + topCategories);
        }
        this.hasher = hasher;
        this.contextFeatures = contextFeatures;
        this.topCategories = topCategories;
        this.biasBucket = hasher.bucket(BIAS);
        this.alsBucket = hasher.bucket(NUMERIC, "als");
        this.popularityBucket = hasher.bucket(NUMERIC, "pop");
        this.freshnessBucket = hasher.bucket(NUMERIC, "fresh");
        this.categoryShareBucket = hasher.bucket(NUMERIC, "catshare");
        CandidateSource[] sources = CandidateSource.values();
        this.sourceScoreBuckets = new int[sources.length];
        this.sourceRankBuckets = new int[sources.length];
        for (CandidateSource src : sources) {
            sourceScoreBuckets[src.ordinal()] = hasher.bucket(NUMERIC, "src-score:" + src.configName());
            sourceRankBuckets[src.ordinal()] = hasher.bucket(NUMERIC, "src-rr:" + src.configName());
        }
    }

    public FeatureHasher hasher() {
        return hasher;
    }

    public boolean contextFeatures() {
        return contextFeatures;
    }

    public int topCategories() {
        return topCategories;
    }

    /**
     * A fresh builder; set what is known and call {@link Builder#build()}. A builder may be reused
     * for several items of one user and context: it hashes the user's and the context's parts once.
     */
    public Builder builder() {
        return new Builder();
    }

    /** Collects the parts of one example. Unset parts contribute no features. */
    public final class Builder {
        private UserSummary user = UserSummary.anonymous();
        private String geo;
        private String time;
        private String device;
        private String item;
        private String category;
        private double als = Double.NaN;
        private double popularity = Double.NaN;
        private double ageHours = Double.NaN;
        private double[] sourceScores;
        private int[] sourceRanks;
        /** Tokens of the custom context attributes, one per attribute. */
        private int[] attributeTokens = new int[0];
        /** Tokens of the user's and the context's parts, computed at the first build after they change. */
        private Prefix prefix;

        private Builder() {}

        public Builder user(UserSummary summary) {
            this.user = summary == null ? UserSummary.anonymous() : summary;
            this.prefix = null;
            return this;
        }

        public Builder context(String geoCell, String timeBucket, String deviceClass) {
            this.geo = geoCell;
            this.time = timeBucket;
            this.device = deviceClass;
            this.prefix = null;
            return this;
        }

        public Builder item(String itemId, String itemCategory) {
            this.item = itemId;
            this.category = itemCategory;
            return this;
        }

        /**
         * The event's custom context attributes ({@code Event.attributeKeys}, {@code Event.attributeValues}),
         * parallel arrays; {@code null} (both) for none. Entries with a {@code null} or empty key or value are
         * skipped. Like {@link #context}, they stay for every item built next.
         *
         * @throws IllegalArgumentException when only one array is given or their lengths differ
         */
        public Builder attributes(String[] keys, String[] values) {
            if (keys == null && values == null) {
                this.attributeTokens = new int[0];
                return this;
            }
            if (keys == null || values == null || keys.length != values.length) {
                throw new IllegalArgumentException("attribute keys and values must be parallel arrays of one length"
                        + " (or both null), got " + (keys == null ? "null" : keys.length + " keys") + " and "
                        + (values == null ? "null" : values.length + " values"));
            }
            int[] tokens = new int[keys.length];
            int n = 0;
            for (int a = 0; a < keys.length; a++) {
                if (nonEmpty(keys[a]) != null && nonEmpty(values[a]) != null) {
                    tokens[n++] = hasher.token(ATTRIBUTE, keys[a] + '=' + values[a]);
                }
            }
            this.attributeTokens = Arrays.copyOf(tokens, n);
            return this;
        }

        /** The ALS score of (user, item); {@code NaN} when unknown (e.g. a cold-start user). */
        public Builder alsScore(double score) {
            this.als = score;
            return this;
        }

        /** The item's popularity in the context (e.g. its trending score); ≥ 0, {@code NaN} when unknown. */
        public Builder contextPopularity(double popularity) {
            this.popularity = popularity;
            return this;
        }

        /** Age in hours of the item's latest signal; ≥ 0, {@code NaN} when unknown. */
        public Builder recencyHours(double hours) {
            this.ageHours = hours;
            return this;
        }

        /**
         * What each {@link CandidateSource} said of the item (indexed by ordinal): its normalised score
         * in [0, 1] and its 0-based rank, −1 where the source did not propose the item. Each source
         * contributes two real features, its score and {@code 1/(1+rank)}, so a model can reproduce
         * any single source's order and learn how to combine them. Null: no source features.
         */
        public Builder sources(double[] scores, int[] ranks) {
            this.sourceScores = scores;
            this.sourceRanks = ranks;
            return this;
        }

        public HashedFeatures build() {
            if (prefix == null) {
                prefix = new Prefix();
            }
            Prefix p = prefix;
            Accumulator acc = new Accumulator();
            acc.add(biasBucket, 1.0);
            String i = nonEmpty(item);
            String c = nonEmpty(category);
            int it = i == null ? 0 : hasher.token(ITEM, i);
            int ct = c == null ? 0 : hasher.token(CATEGORY, c);
            if (i != null) {
                acc.add(hasher.bucketOf(it), 1.0);
            }
            if (c != null) {
                acc.add(hasher.bucketOf(ct), 1.0);
            }
            if (p.segment) {
                acc.add(hasher.bucketOf(p.segmentToken), 1.0);
                if (c != null) {
                    acc.add(cross(p.segmentToken, ct), 1.0);
                }
                if (i != null) {
                    acc.add(cross(p.segmentToken, it), 1.0);
                }
            }
            if (c != null) {
                for (int uc : p.userCategoryTokens) {
                    acc.add(cross(uc, ct), 1.0);
                }
            }
            if (contextFeatures) {
                for (int k = 0; k < p.contextTokens.length; k++) {
                    int vt = p.contextTokens[k];
                    acc.add(hasher.bucketOf(vt), 1.0);
                    if (i != null) {
                        acc.add(cross(vt, it), 1.0);
                    }
                    if (c != null) {
                        acc.add(cross(vt, ct), 1.0);
                        if (p.crossSegment[k] && p.segment) {
                            acc.add(
                                    hasher.bucketOf(FeatureHasher.crossTokens(
                                            FeatureHasher.crossTokens(p.segmentToken, vt), ct)),
                                    1.0);
                        }
                    }
                }
                for (int at : attributeTokens) {
                    acc.add(hasher.bucketOf(at), 1.0);
                    if (i != null) {
                        acc.add(cross(at, it), 1.0);
                    }
                    if (c != null) {
                        acc.add(cross(at, ct), 1.0);
                    }
                }
            }
            if (!Double.isNaN(als)) {
                acc.add(alsBucket, Math.max(-MAX_ALS, Math.min(MAX_ALS, finite(als, "alsScore"))));
            }
            if (!Double.isNaN(popularity)) {
                acc.add(popularityBucket, Math.log1p(Math.max(0.0, finite(popularity, "contextPopularity"))));
            }
            if (!Double.isNaN(ageHours)) {
                double age = Math.max(0.0, finite(ageHours, "recencyHours"));
                acc.add(freshnessBucket, 1.0 / (1.0 + age / FRESHNESS_HALF_HOURS));
            }
            if (sourceScores != null && sourceRanks != null) {
                for (int k = 0; k < sourceRankBuckets.length && k < sourceRanks.length; k++) {
                    if (sourceRanks[k] >= 0) {
                        acc.add(
                                sourceScoreBuckets[k],
                                Math.max(0.0, Math.min(1.0, finite(sourceScores[k], "sourceScore"))));
                        acc.add(sourceRankBuckets[k], 1.0 / (1.0 + sourceRanks[k]));
                    }
                }
            }
            double share = user.share(c);
            if (share > 0) {
                acc.add(categoryShareBucket, share);
            }
            return acc.build();
        }

        private int cross(int a, int b) {
            return hasher.bucketOf(FeatureHasher.crossTokens(a, b));
        }

        /** The tokens of what stays the same across the items of one ranking. */
        private final class Prefix {
            final boolean segment;
            final int segmentToken;
            final int[] userCategoryTokens;
            final int[] contextTokens;
            /** Per context part: whether it is crossed with segment × category (time and device, not geo). */
            final boolean[] crossSegment;

            Prefix() {
                String s = nonEmpty(user.segment());
                segment = s != null;
                segmentToken = segment ? hasher.token(SEGMENT, s) : 0;
                int n = Math.min(topCategories, user.categoryCount());
                userCategoryTokens = new int[n];
                for (int r = 0; r < n; r++) {
                    userCategoryTokens[r] = hasher.token(USER_CATEGORY, user.category(r));
                }
                String[] ns = {GEO, TIME, DEVICE};
                String[] vs = {nonEmpty(geo), nonEmpty(time), nonEmpty(device)};
                boolean[] crossSeg = {false, true, true};
                int m = 0;
                for (String v : vs) {
                    m += v == null ? 0 : 1;
                }
                contextTokens = new int[m];
                crossSegment = new boolean[m];
                int k = 0;
                for (int j = 0; j < 3; j++) {
                    if (vs[j] != null) {
                        contextTokens[k] = hasher.token(ns[j], vs[j]);
                        crossSegment[k] = crossSeg[j];
                        k++;
                    }
                }
            }
        }
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static double finite(double v, String name) {
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite or NaN (unknown), got " + v);
        }
        return v;
    }

    /** Unsorted (bucket, value) pairs, merged into a {@link HashedFeatures} once. */
    static final class Accumulator {
        private int[] idx = new int[32];
        private double[] val = new double[32];
        private int size;

        void add(int bucket, double value) {
            if (size == idx.length) {
                idx = Arrays.copyOf(idx, size * 2);
                val = Arrays.copyOf(val, size * 2);
            }
            idx[size] = bucket;
            val[size] = value;
            size++;
        }

        HashedFeatures build() {
            // insertion sort: vectors have a few dozen entries and are mostly short runs
            for (int a = 1; a < size; a++) {
                int ki = idx[a];
                double kv = val[a];
                int b = a - 1;
                while (b >= 0 && idx[b] > ki) {
                    idx[b + 1] = idx[b];
                    val[b + 1] = val[b];
                    b--;
                }
                idx[b + 1] = ki;
                val[b + 1] = kv;
            }
            int[] outIdx = new int[size];
            double[] outVal = new double[size];
            int out = 0;
            int a = 0;
            while (a < size) {
                int bucket = idx[a];
                double sum = 0.0;
                while (a < size && idx[a] == bucket) {
                    sum += val[a++];
                }
                if (sum != 0.0) {
                    outIdx[out] = bucket;
                    outVal[out] = sum;
                    out++;
                }
            }
            return new HashedFeatures(Arrays.copyOf(outIdx, out), Arrays.copyOf(outVal, out));
        }
    }
}
