package io.desire.operators.serving;

import io.desire.features.profile.ProfilePolicy;
import io.desire.features.ranking.Blender;
import io.desire.features.serving.ArmScores;
import io.desire.features.serving.CandidateSource;
import io.desire.features.serving.ExclusionRule;
import io.desire.operators.StateTtl;
import io.desire.operators.ranker.LearnedRanker;
import io.desire.operators.ranker.RankerModel;
import io.desire.operators.ranker.SampledExamples;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** Validated configuration of a {@link UserRecommender}; every setter checks its argument at once. */
public final class UserRecommenderBuilder {
    ProfilePolicy policy = new ProfilePolicy();
    Blender blender = new Blender();
    Duration emitInterval = UserRecommender.DEFAULT_EMIT_INTERVAL;
    Duration unchangedRefresh = UserRecommender.DEFAULT_UNCHANGED_REFRESH;
    Duration stateTtl = UserRecommender.DEFAULT_STATE_TTL;
    int maxContexts = UserRecommender.DEFAULT_MAX_CONTEXTS;
    Duration trendingStaleAfter = UserRecommender.DEFAULT_TRENDING_STALE_AFTER;
    Duration forgetGuard = UserRecommender.DEFAULT_FORGET_GUARD;
    LearnedRanker ranker;
    int perSource = UserRecommender.DEFAULT_PER_SOURCE;
    Set<CandidateSource> sources = EnumSet.allOf(CandidateSource.class);
    ExclusionRule exclusion = ExclusionRule.defaults();
    double prequentialFraction = UserRecommender.DEFAULT_PREQUENTIAL_FRACTION;
    double armFading = UserRecommender.DEFAULT_ARM_FADING;
    long minOutcomes = UserRecommender.DEFAULT_MIN_OUTCOMES;
    Duration sessionGap = UserRecommender.DEFAULT_SESSION_GAP;
    int pinnedArm = -1;
    /** Share of users whose documents judge the arms; null: by {@link #serve} (see {@link #armSample}). */
    Double armSample;

    SampledExamples sampled;
    boolean logServed;
    String rankerModel = RankerModel.FTRL;
    boolean historyMode;

    UserRecommenderBuilder() {}

    /** Profile decay, bounds and event weights; default {@code new ProfilePolicy()}. */
    public UserRecommenderBuilder profilePolicy(ProfilePolicy p) {
        if (p == null) {
            throw new IllegalArgumentException("profilePolicy must not be null");
        }
        this.policy = p;
        return this;
    }

    /** Ranking weights and list length; default {@code new Blender()}. */
    public UserRecommenderBuilder blender(Blender b) {
        if (b == null) {
            throw new IllegalArgumentException("blender must not be null");
        }
        this.blender = b;
        return this;
    }

    /** Delay between a user's first pending change and its documents; positive, default 200 ms. */
    public UserRecommenderBuilder emitInterval(Duration d) {
        this.emitInterval = StateTtl.requirePositive("emitInterval", d);
        return this;
    }

    /**
     * How long a document whose ranking did not change may stay unwritten ({@code
     * recs.unchanged-refresh}); ≥ 0, default 0 = write every document. With d > 0 a flush that ranks
     * a context's list as its last written document (same model version, same items in the same
     * order) and less than d after it writes nothing; that document is written at the context's next
     * flush with a different list, d after the last write, or at the end of a bounded input, whichever
     * comes first — so its {@code event_time} and {@code profile_events} lag by at most d.
     */
    public UserRecommenderBuilder unchangedRefresh(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("unchangedRefresh must be a duration ≥ 0 (0: never skip), got " + d);
        }
        this.unchangedRefresh = d;
        return this;
    }

    /** Processing-time TTL of a user's state since its last write; positive, default 90 days. */
    public UserRecommenderBuilder stateTtl(Duration d) {
        this.stateTtl = StateTtl.requirePositive("stateTtl", d);
        return this;
    }

    /**
     * How long, in processing time, events older than a user's {@code forget_user} are still
     * dropped; positive, default 1 h. Make it longer than the largest delay with which an event
     * can reach this operator after a later one (source lag, out-of-orderness).
     */
    public UserRecommenderBuilder forgetGuard(Duration d) {
        this.forgetGuard = StateTtl.requirePositive("forgetGuard", d);
        return this;
    }

    /** Contexts tracked per user; ≥ 1, default 32. */
    public UserRecommenderBuilder maxContexts(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxContexts must be ≥ 1, got " + n);
        }
        this.maxContexts = n;
        return this;
    }

    /** How much older than the global list a context list may be before it is dropped; ≥ 0, default 15 min. */
    public UserRecommenderBuilder trendingStaleAfter(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("trendingStaleAfter must be a duration ≥ 0, got " + d);
        }
        this.trendingStaleAfter = d;
        return this;
    }

    /**
     * Let the learned ranker (the replica of {@link #rankerModel}) compete for serving as one more arm
     * (see {@link ArmScores}). The ranker's features must be the learner's (same bits and seed).
     */
    public UserRecommenderBuilder learned(LearnedRanker ranker) {
        if (ranker == null) {
            throw new IllegalArgumentException("learned ranking needs a ranker");
        }
        this.ranker = ranker;
        return this;
    }

    /**
     * The model the learned ranker scores with ({@code ranker.model}): {@value RankerModel#FTRL}
     * (default) reads the FTRL replica, {@value RankerModel#FM} the factorisation machine's; learned
     * documents get model version {@code ftrl-<n>} or {@code fm-<n>}. Must be the model the job's
     * learner trains.
     */
    public UserRecommenderBuilder rankerModel(String model) {
        String m = model == null ? "" : model.trim().toLowerCase(java.util.Locale.ROOT);
        if (!m.equals(RankerModel.FTRL) && !m.equals(RankerModel.FM)) {
            throw new IllegalArgumentException(
                    "rankerModel is '" + model + "'; expected " + RankerModel.FTRL + " or " + RankerModel.FM);
        }
        this.rankerModel = m;
        return this;
    }

    /** The candidate sources used ({@code recs.sources}); not empty; default all. */
    public UserRecommenderBuilder sources(Set<CandidateSource> s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("sources must name at least one candidate source");
        }
        this.sources = EnumSet.copyOf(s);
        return this;
    }

    /** Items each source proposes at most; ≥ 1, default {@value #UserRecommender.DEFAULT_PER_SOURCE}. */
    public UserRecommenderBuilder perSource(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("perSource must be ≥ 1, got " + n);
        }
        this.perSource = n;
        return this;
    }

    /** Which events make an item never served again ({@code recs.exclude}); default rated and purchased. */
    public UserRecommenderBuilder exclusion(ExclusionRule rule) {
        if (rule == null) {
            throw new IllegalArgumentException("exclusion must not be null");
        }
        this.exclusion = rule;
        return this;
    }

    /**
     * Champion/challenger: the share of positive events scored prequentially (in [0, 1], default
     * {@value #UserRecommender.DEFAULT_PREQUENTIAL_FRACTION}), the fading factor of the scores (in (0, 1], default
     * {@value #UserRecommender.DEFAULT_ARM_FADING}) and the outcomes needed before the scores decide (≥ 0,
     * default {@value #UserRecommender.DEFAULT_MIN_OUTCOMES}; before, the affinity source serves, or the first enabled one).
     */
    public UserRecommenderBuilder champion(double fraction, double fading, long minOutcomes) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("the prequential fraction must be in [0, 1], got " + fraction);
        }
        if (!(fading > 0 && fading <= 1)) {
            throw new IllegalArgumentException("the fading factor must be in (0, 1], got " + fading);
        }
        if (minOutcomes < 0) {
            throw new IllegalArgumentException("minOutcomes must be ≥ 0, got " + minOutcomes);
        }
        this.prequentialFraction = fraction;
        this.armFading = fading;
        this.minOutcomes = minOutcomes;
        return this;
    }

    /**
     * The share of users, in [0, 1], whose documents and sessions judge the arms ({@code
     * recs.arm-sample}): a fixed sample by a hash of the user id, so a user is always in it or never.
     * Default: every user while the arms choose what serves ({@code serve("auto")}), and {@value
     * UserRecommender#DEFAULT_PINNED_ARM_SAMPLE} of them while an arm is pinned, where the scores feed
     * only the arms' gauges. Users outside the sample keep no session lists and cost no arms' lists.
     */
    public UserRecommenderBuilder armSample(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("the arm sample must be in [0, 1], got " + share);
        }
        this.armSample = share;
        return this;
    }

    /** Event-time gap after which a user's next event starts a new session; positive, default 30 min. */
    public UserRecommenderBuilder sessionGap(Duration d) {
        this.sessionGap = StateTtl.requirePositive("sessionGap", d);
        return this;
    }

    /**
     * Which arm serves ({@code recs.serve}): {@code auto} (default) the champion of the prequential
     * scores; {@code learned} the learned ranker always (its sources' order until it is trained);
     * or a source's name, that source always. The scores are kept and reported either way.
     */
    public UserRecommenderBuilder serve(String arm) {
        String a = arm == null ? "" : arm.trim().toLowerCase(java.util.Locale.ROOT);
        if (a.equals("auto")) {
            pinnedArm = -1;
        } else if (a.equals("learned")) {
            pinnedArm = ArmScores.LEARNED;
        } else if (CandidateSource.byName(a) != null) {
            pinnedArm = CandidateSource.byName(a).ordinal();
        } else {
            throw new IllegalArgumentException(
                    "recs.serve is '" + arm + "'; expected auto, learned or one of " + CandidateSource.ALL);
        }
        return this;
    }

    /** Emit sampled training examples to {@link UserRecommender#EXAMPLES}; needs {@link #learned}. */
    public UserRecommenderBuilder sampledExamples(SampledExamples examples) {
        if (examples == null) {
            throw new IllegalArgumentException("sampledExamples must not be null");
        }
        this.sampled = examples;
        return this;
    }

    /** Emit the features of every served item to {@link UserRecommender#SERVED}; needs {@link #learned}. Default off. */
    public UserRecommenderBuilder logServed(boolean log) {
        this.logServed = log;
        return this;
    }

    /**
     * History mode, for a backfill: while history is read, pending contexts are only marked (no timers,
     * no documents); the {@link ModelUpdate#historyRead} signal ranks each pending (user, context)
     * once, with the models as they are then, and ends the mode. Default off (live: coalesced timers).
     */
    public UserRecommenderBuilder historyMode(boolean on) {
        this.historyMode = on;
        return this;
    }

    public UserRecommender build() {
        if (ranker == null && pinnedArm == ArmScores.LEARNED) {
            throw new IllegalStateException("recs.serve=learned needs learning enabled");
        }
        if (ranker == null && (sampled != null || logServed)) {
            throw new IllegalStateException("sampled examples and the serving log need learned(...) ranking");
        }
        if (historyMode && (logServed || (ranker != null && pinnedArm < 0))) {
            // Both learn from the documents served during history, which history mode does not rank.
            throw new IllegalStateException("history mode needs a pinned arm (not recs.serve=auto) and no serving log");
        }
        return new UserRecommender(this);
    }
}
