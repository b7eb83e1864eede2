package io.desire.operators.als;

import io.desire.features.als.AlsParams;
import io.desire.features.als.FoldIn;
import io.desire.features.profile.EventWeights;
import io.desire.operators.StateTtl;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Configuration shared by {@link UserFactors} and {@link ItemFactors}; build both from the same
 * instance so the two sides agree on rank, mode and seed. Immutable and serialisable; every builder
 * setter validates its argument at once and says what is allowed.
 *
 * <ul>
 *   <li>{@code rank} k (default {@value #DEFAULT_RANK}), {@code lambda} λ (default {@value
 *       #DEFAULT_LAMBDA}, weighted by the row's interaction count unless {@code weightedLambda(false)},
 *       as in {@link AlsParams}), {@code seed} of the initial item vectors.
 *   <li>{@code implicit} (default): confidence {@code c = 1 + α·w} (Hu, Koren, Volinsky 2008) with
 *       {@code w} the {@link EventWeights} weight of the user's events on the item, summed; {@code
 *       alpha} α default {@value #DEFAULT_ALPHA}. {@code explicit()}: only {@code rate} events count,
 *       the latest rating of an item is its value.
 *   <li>{@code updateInterval}: how often an item's new vector is published (default 1 s).
 *   <li>{@code maxRecentInteractions}: interactions kept per user for the fold-in (default {@value
 *       #DEFAULT_MAX_RECENT}); the least recently touched is dropped first.
 *   <li>{@code itemLearningRate} η in (0, 1] (default {@value #DEFAULT_ITEM_LEARNING_RATE}): the
 *       largest share of the gap to its target one interaction may close on the item side.
 *   <li>{@code maxNorm}: cap on every vector's Euclidean norm (default {@link
 *       FoldIn#DEFAULT_MAX_NORM}); {@code initScale}: norm of a new item's random vector (default
 *       {@value #DEFAULT_INIT_SCALE}).
 *   <li>{@code userStateTtl}: processing-time TTL of a user's factors and interactions since their
 *       last write (default 90 days); {@code candidates}: top-N ALS candidates emitted per user
 *       update as a side output (default 0, off); {@code candidatesInterval}: a user's candidates are
 *       computed and sent at most once per this much processing time, after the user's last event
 *       of the period (default 0: on every event).
 * </ul>
 */
public final class AlsConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_RANK = AlsParams.DEFAULT_RANK;
    public static final double DEFAULT_LAMBDA = AlsParams.DEFAULT_LAMBDA;
    public static final double DEFAULT_ALPHA = AlsParams.DEFAULT_ALPHA;
    public static final long DEFAULT_SEED = AlsParams.DEFAULT_SEED;
    public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_RECENT = 50;
    public static final double DEFAULT_ITEM_LEARNING_RATE = 0.5;
    public static final double DEFAULT_INIT_SCALE = 0.1;
    public static final Duration DEFAULT_USER_STATE_TTL = Duration.ofDays(90);
    public static final Duration DEFAULT_FORGET_GUARD = Duration.ofHours(1);
    public static final int DEFAULT_CANDIDATES = 0;
    /** Candidates on every event, as before coalescing existed. */
    public static final Duration DEFAULT_CANDIDATES_INTERVAL = Duration.ZERO;
    /** Largest accepted rank: a k×k solve per event stays well under a millisecond up to here. */
    public static final int MAX_RANK = 256;
    /** Largest accepted interaction window: the whole window is read and written per event. */
    public static final int MAX_RECENT_LIMIT = 1000;

    private final int rank;
    private final double lambda;
    private final boolean weightedLambda;
    private final boolean implicit;
    private final double alpha;
    private final EventWeights weights;
    private final long updateIntervalMillis;
    private final int maxRecentInteractions;
    private final long seed;
    private final double itemLearningRate;
    private final double maxNorm;
    private final double initScale;
    private final Duration userStateTtl;
    private final Duration forgetGuard;
    private final int candidates;
    private final long candidatesIntervalMillis;

    private AlsConfig(Builder b) {
        this.rank = b.rank;
        this.lambda = b.lambda;
        this.weightedLambda = b.weightedLambda;
        this.implicit = b.implicit;
        this.alpha = b.alpha;
        this.weights = b.weights;
        this.updateIntervalMillis = b.updateInterval.toMillis();
        this.maxRecentInteractions = b.maxRecentInteractions;
        this.seed = b.seed;
        this.itemLearningRate = b.itemLearningRate;
        this.maxNorm = b.maxNorm;
        this.initScale = b.initScale;
        this.userStateTtl = b.userStateTtl;
        this.forgetGuard = b.forgetGuard;
        this.candidates = b.candidates;
        this.candidatesIntervalMillis = b.candidatesInterval.toMillis();
    }

    /** All defaults: implicit, rank 10, λ 0.1 weighted, α 1, 1 s interval, 50 recent interactions. */
    public static AlsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int rank() {
        return rank;
    }

    public double lambda() {
        return lambda;
    }

    public boolean weightedLambda() {
        return weightedLambda;
    }

    public boolean implicit() {
        return implicit;
    }

    public double alpha() {
        return alpha;
    }

    public EventWeights weights() {
        return weights;
    }

    public long updateIntervalMillis() {
        return updateIntervalMillis;
    }

    public int maxRecentInteractions() {
        return maxRecentInteractions;
    }

    public long seed() {
        return seed;
    }

    public double itemLearningRate() {
        return itemLearningRate;
    }

    public double maxNorm() {
        return maxNorm;
    }

    public double initScale() {
        return initScale;
    }

    public Duration userStateTtl() {
        return userStateTtl;
    }

    /** How long after a user's {@code forget_user} their older, late events are still dropped. */
    public Duration forgetGuard() {
        return forgetGuard;
    }

    public int candidates() {
        return candidates;
    }

    /**
     * Processing time over which a user's candidate lists are coalesced into one, in milliseconds; 0
     * computes and sends a list on every event.
     */
    public long candidatesIntervalMillis() {
        return candidatesIntervalMillis;
    }

    /** The {@link AlsParams} of the fold-in math (one thread; iterations unused online). */
    public AlsParams params() {
        return new AlsParams(rank, lambda, weightedLambda, implicit, alpha, 1, 1, seed);
    }

    /** A {@link FoldIn} with this configuration's parameters and norm cap. */
    public FoldIn foldIn() {
        return new FoldIn(params(), maxNorm);
    }

    /**
     * The starting vector of an item nobody has updated yet: standard normal components scaled to
     * norm {@code initScale}, drawn from a generator seeded by {@code seed} and a 64-bit FNV-1a hash
     * of the id. Deterministic across JVMs and restarts, so every subtask that meets the item first
     * starts from the same vector.
     */
    public double[] initialItemVector(String itemId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : itemId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        SplittableRandom random = new SplittableRandom(h ^ (seed * 0x9E3779B97F4A7C15L));
        double[] v = new double[rank];
        double norm = 0;
        for (int j = 0; j < rank; j++) {
            v[j] = random.nextGaussian();
            norm += v[j] * v[j];
        }
        double scale = norm > 0 ? initScale / Math.sqrt(norm) : 0;
        for (int j = 0; j < rank; j++) {
            v[j] *= scale;
        }
        return v;
    }

    @Override
    public String toString() {
        return "AlsConfig{rank=" + rank + ", lambda=" + lambda + (weightedLambda ? " weighted" : "")
                + (implicit ? ", implicit alpha=" + alpha : ", explicit") + ", interval=" + updateIntervalMillis
                + "ms, maxRecent=" + maxRecentInteractions + ", itemLearningRate=" + itemLearningRate
                + ", maxNorm=" + maxNorm + ", initScale=" + initScale + ", seed=" + seed
                + ", userStateTtl=" + userStateTtl + ", candidates=" + candidates + ", candidatesInterval="
                + candidatesIntervalMillis + "ms}";
    }

    /** Validated builder of an {@link AlsConfig}. */
    public static final class Builder {
        private int rank = DEFAULT_RANK;
        private double lambda = DEFAULT_LAMBDA;
        private boolean weightedLambda = true;
        private boolean implicit = true;
        private double alpha = DEFAULT_ALPHA;
        private EventWeights weights = new EventWeights();
        private Duration updateInterval = DEFAULT_UPDATE_INTERVAL;
        private int maxRecentInteractions = DEFAULT_MAX_RECENT;
        private long seed = DEFAULT_SEED;
        private double itemLearningRate = DEFAULT_ITEM_LEARNING_RATE;
        private double maxNorm = FoldIn.DEFAULT_MAX_NORM;
        private double initScale = DEFAULT_INIT_SCALE;
        private Duration userStateTtl = DEFAULT_USER_STATE_TTL;
        private Duration forgetGuard = DEFAULT_FORGET_GUARD;
        private int candidates = DEFAULT_CANDIDATES;
        private Duration candidatesInterval = DEFAULT_CANDIDATES_INTERVAL;

        private Builder() {}

        /** Copies rank, λ (and whether it is weighted), mode, α and seed, e.g. of a batch model to continue. */
        public Builder params(AlsParams p) {
            if (p == null) {
                throw new IllegalArgumentException("params must not be null");
            }
            rank(p.rank());
            lambda(p.lambda());
            weightedLambda(p.weightedLambda());
            if (p.implicit()) {
                implicit(p.alpha());
            } else {
                explicit();
            }
            return seed(p.seed());
        }

        /** Factor dimension k, in [1, {@value #MAX_RANK}]; default {@value #DEFAULT_RANK}. */
        public Builder rank(int k) {
            if (k < 1 || k > MAX_RANK) {
                throw new IllegalArgumentException("rank must be in [1, " + MAX_RANK + "], got " + k);
            }
            this.rank = k;
            return this;
        }

        /** L2 regularisation λ, finite and ≥ 0; default {@value #DEFAULT_LAMBDA}. */
        public Builder lambda(double l) {
            if (!(l >= 0) || Double.isInfinite(l)) {
                throw new IllegalArgumentException("lambda must be finite and ≥ 0, got " + l);
            }
            this.lambda = l;
            return this;
        }

        /** Whether a user's ridge is λ times their interaction count (default true) or plain λ. */
        public Builder weightedLambda(boolean w) {
            this.weightedLambda = w;
            return this;
        }

        /** Implicit feedback with confidence scale α (finite, ≥ 0); the default mode, α {@value #DEFAULT_ALPHA}. */
        public Builder implicit(double a) {
            if (!(a >= 0) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("alpha must be finite and ≥ 0, got " + a);
            }
            this.implicit = true;
            this.alpha = a;
            return this;
        }

        /** Explicit ratings: only {@code rate} events with a value are learned from. */
        public Builder explicit() {
            this.implicit = false;
            return this;
        }

        /** Weights of behaviour events in implicit mode; default {@code new EventWeights()}. */
        public Builder weights(EventWeights w) {
            if (w == null) {
                throw new IllegalArgumentException("weights must not be null");
            }
            this.weights = w;
            return this;
        }

        /** Publication interval of item vectors; at least 1 ms, default 1 s. */
        public Builder updateInterval(Duration d) {
            if (d == null || d.toMillis() < 1) {
                throw new IllegalArgumentException("updateInterval must be at least 1 ms, got " + d);
            }
            this.updateInterval = d;
            return this;
        }

        /** Interactions kept per user, in [1, {@value #MAX_RECENT_LIMIT}]; default {@value #DEFAULT_MAX_RECENT}. */
        public Builder maxRecentInteractions(int n) {
            if (n < 1 || n > MAX_RECENT_LIMIT) {
                throw new IllegalArgumentException(
                        "maxRecentInteractions must be in [1, " + MAX_RECENT_LIMIT + "], got " + n);
            }
            this.maxRecentInteractions = n;
            return this;
        }

        /** Seed of the initial item vectors; default {@value #DEFAULT_SEED}. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Item-side step η, in (0, 1]; default {@value #DEFAULT_ITEM_LEARNING_RATE}. */
        public Builder itemLearningRate(double eta) {
            if (!(eta > 0 && eta <= 1)) {
                throw new IllegalArgumentException("itemLearningRate must be in (0, 1], got " + eta);
            }
            this.itemLearningRate = eta;
            return this;
        }

        /** Cap on any factor vector's norm, finite and > 0; default {@link FoldIn#DEFAULT_MAX_NORM}. */
        public Builder maxNorm(double n) {
            if (!(n > 0) || Double.isInfinite(n)) {
                throw new IllegalArgumentException("maxNorm must be finite and > 0, got " + n);
            }
            this.maxNorm = n;
            return this;
        }

        /** Norm of a new item's random vector, finite and > 0; default {@value #DEFAULT_INIT_SCALE}. */
        public Builder initScale(double s) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("initScale must be finite and > 0, got " + s);
            }
            this.initScale = s;
            return this;
        }

        /**
         * Processing time during which events of a forgotten user from before the erasure are dropped
         * rather than re-create the user's row; positive, default 1 h.
         */
        public Builder forgetGuard(Duration d) {
            this.forgetGuard = StateTtl.requirePositive("forgetGuard", d);
            return this;
        }

        /** Processing-time TTL of a user's ALS state since its last write; positive, default 90 days. */
        public Builder userStateTtl(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("userStateTtl must be a positive duration, got " + d);
            }
            this.userStateTtl = d;
            return this;
        }

        /** Top-N candidates emitted per user update (side output); 0 turns it off; in [0, 1000]. */
        public Builder candidates(int n) {
            if (n < 0 || n > 1000) {
                throw new IllegalArgumentException("candidates must be in [0, 1000], got " + n);
            }
            this.candidates = n;
            return this;
        }

        /**
         * Coalescing of candidate lists: a user's top-N is computed and sent at most once per this
         * much processing time, from the user's vector after the last event of the period; zero (the
         * default) sends one per event. Not negative.
         */
        public Builder candidatesInterval(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("candidatesInterval must be zero or positive, got " + d);
            }
            this.candidatesInterval = d;
            return this;
        }

        public AlsConfig build() {
            if (initScale > maxNorm) {
                throw new IllegalArgumentException(
                        "initScale (" + initScale + ") must not exceed maxNorm (" + maxNorm + ")");
            }
            return new AlsConfig(this);
        }
    }
}
