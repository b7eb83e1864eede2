package io.desire.operators;

import io.desire.features.event.ContextDefaults;
import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.profile.ProfilePolicy;
import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.Blender;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import io.desire.features.ftrl.UserSummary;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.covisit.CoVisitation;
import io.desire.operators.covisit.ItemFollowers;
import io.desire.operators.ranker.HybridCandidates;
import io.desire.operators.ranker.LearnedRanker;
import io.desire.operators.ranker.FmWeights;
import io.desire.operators.ranker.RankerModel;
import io.desire.operators.ranker.RankerWeights;
import io.desire.operators.ranker.SampledExamples;
import io.desire.operators.ranker.ServedFeatures;
import io.desire.operators.ranker.TrainingExample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps each user's profile and publishes one ranked {@link Recommendation} per (user, context).
 *
 * <p><b>Two ways to rank.</b> Without a learned ranker (the builder's default) every document is the
 * {@link Blender}'s ranking, model version {@value #MODEL_VERSION}. With {@link Builder#learned} the
 * candidates of {@link HybridCandidates} (blend, ALS top-N, co-visitation of the recent items) are
 * ordered by the FTRL replica ({@link LearnedRanker} with {@link RankerWeights} from the broadcast
 * side); the document's model version is {@code ftrl-<weights version>} and only grows. The features
 * of every served item go to {@link #SERVED} when {@link Builder#logServed} is on (for
 * {@code ExampleAssembler}), and with {@link Builder#sampledExamples} each positive event (click,
 * cart, purchase, good rating) yields training examples to {@link #EXAMPLES}, built from the profile
 * before the event ({@link SampledExamples}).
 *
 * <p><b>Inputs.</b> Keyed input ({@link UserSignal}): the user's events, or the user's latest
 * {@link AlsCandidates}, which replace older ones (by event time) and are used from the next ranking
 * on; they do not trigger one, since they follow the event that already did. Events: A behaviour event updates the profile
 * ({@link UserProfile#apply}) and marks the event's context pending, remembering the largest event
 * time per context. An event that changes nothing (an impression, a poor rating) only marks its
 * context when the user has no document there yet. {@code user} events update attributes and seed
 * declared interests as category affinity; they refresh documents at the user's next behaviour
 * event. {@code item} events are ignored. {@code forget_user} clears the user's profile and contexts,
 * deletes the user's timers and emits {@link Recommendation#forgetUser}; for {@code forgetGuard}
 * (default 1 h) afterwards it remembers only the erasure's event time, so that events of the user
 * from before the erasure that arrive late are dropped rather than re-create the profile. Broadcast input ({@link ModelUpdate}): the latest
 * {@link ItemFollowers} per item (highest version), ranker {@code WeightDelta}s (FTRL into
 * {@link RankerWeights}, factorised ones into {@link FmWeights}), and the latest
 * {@link TrendingItems} per context key and {@link TrendingItems#GLOBAL}; a context list older than
 * the global list by more than {@code trendingStaleAfter} is dropped when a global list arrives
 * (its context had no activity in the latest window).
 *
 * <p><b>Emission is coalesced.</b> The first pending context registers ONE processing-time timer at
 * {@code now + emitInterval} (default 200 ms); further events before it fires register nothing. When
 * it fires, every pending context gets a {@link Recommendation#upsert} ranked as above, with
 * {@code eventTime} = the largest event time it reflects (never smaller than the previous document's)
 * and {@code updatedAt} = processing time. Since processing-time timers do not fire at the end of a
 * bounded input, each pending period also registers an event-time timer at {@link Long#MAX_VALUE}
 * that fires with the final watermark and flushes too; whichever fires first deletes the other.
 *
 * <p><b>Limitation.</b> Trending updates do not recompute all users: a user's documents refresh with
 * the trending lists current at the user's next event.
 *
 * <p><b>State:</b> per user, the profile ({@value #PROFILE_STATE_NAME}, bounded by
 * {@link ProfilePolicy}) and, apart from it so that timers never rewrite the profile, up to
 * {@code maxContexts} contexts with their last emitted and pending event times and the pending timer
 * ({@value #CONTEXTS_STATE_NAME}); with a learned ranker, the latest ALS candidates
 * ({@value #ALS_STATE_NAME}). <b>TTL:</b> configurable, default {@link #DEFAULT_STATE_TTL 90
 * days} of processing time since the last write; by then a profile has decayed through ~13
 * half-lives. The user's Elasticsearch documents are not deleted when the state expires. Broadcast
 * state ({@value #TRENDING_STATE_NAME}): one trending list per active context, replicated to every
 * subtask; with a learned ranker also the co-visitation lists ({@code item-followers}, one per item
 * with followers: catalogue-sized, like the ALS item table) and the ranker weights (8 MiB at 2^20
 * buckets).
 *
 * <p><b>Wiring:</b> {@code signals.keyBy(UserRecommender.keySelector()).connect(updates.broadcast(
 * UserRecommender.broadcastDescriptors())).process(recommender)}, where signals carry a user id
 * (filter out {@code item} events and events without user) and have event-time watermarks (only for
 * the end-of-input flush), and {@code updates} hold {@link ContextTrending} and
 * {@link GlobalPopularity} lists, co-visitation lists and weight deltas. Metrics: counters
 * {@value #EVENTS_METRIC}, {@value #DOCUMENTS_METRIC}, {@value #FORGETS_METRIC},
 * {@value #EXAMPLES_METRIC}; gauges {@value #RANKER_VERSION_GAUGE} and {@value #EVENT_TIME_LAG_GAUGE}
 * (wall clock minus the watermark observed at the latest signal, timer or model update; see
 * {@link EventTimeLag}: how stale the documents this subtask writes are).
 */
public class UserRecommender extends KeyedBroadcastProcessFunction<String, UserSignal, ModelUpdate, Recommendation> {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_EMIT_INTERVAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_STATE_TTL = Duration.ofDays(90);
    public static final Duration DEFAULT_TRENDING_STALE_AFTER = Duration.ofMinutes(15);
    public static final int DEFAULT_MAX_CONTEXTS = 32;
    public static final String MODEL_VERSION = UserProfile.MODEL_VERSION;

    public static final String PROFILE_STATE_NAME = "user-profile";
    public static final String CONTEXTS_STATE_NAME = "user-contexts";
    public static final String FORGOTTEN_STATE_NAME = "user-forgotten-at";
    public static final Duration DEFAULT_FORGET_GUARD = Duration.ofHours(1);
    public static final String DROPPED_AFTER_FORGET_METRIC = "eventsDroppedAfterForget";
    public static final String TRENDING_STATE_NAME = "trending-by-context";
    public static final String EVENTS_METRIC = "eventsProcessed";
    public static final String DOCUMENTS_METRIC = "documentsEmitted";
    public static final String FORGETS_METRIC = "usersForgotten";
    public static final String EXAMPLES_METRIC = "sampledExamples";
    public static final String RANKER_VERSION_GAUGE = "rankerModelVersion";
    /** Freshness: wall clock minus the current watermark, in ms; -1 before the first watermark. */
    public static final String EVENT_TIME_LAG_GAUGE = "eventTimeLagMs";
    public static final String ALS_STATE_NAME = "user-als-candidates";
    /** Prefix of the model version of learned rankings, followed by the weights' version. */
    public static final String LEARNED_MODEL_PREFIX = "ftrl-";

    /** Features of every item served, for the ranker's training (with {@link Builder#logServed}). */
    public static final OutputTag<ServedFeatures> SERVED =
            new OutputTag<>("served-features", TypeInformation.of(ServedFeatures.class));
    /** Sampled training examples (with {@link Builder#sampledExamples}). */
    public static final OutputTag<TrainingExample> EXAMPLES =
            new OutputTag<>("sampled-examples", TypeInformation.of(TrainingExample.class));

    private final ProfilePolicy policy;
    private final Blender blender;
    private final long emitIntervalMillis;
    private final Duration stateTtl;
    private final int maxContexts;
    private final long trendingStaleAfterMillis;
    private final Duration forgetGuard;
    private final LearnedRanker ranker;
    private final HybridCandidates candidates;
    private final SampledExamples sampled;
    private final boolean logServed;

    private transient ValueState<UserProfile> profileState;
    private transient ValueState<UserContexts> contextsState;
    private transient ValueState<Long> forgottenAt;
    private transient Counter droppedAfterForget;
    private transient MapStateDescriptor<String, TrendingItems> trendingDescriptor;
    private transient Counter events;
    private transient Counter documents;
    private transient Counter forgets;
    private transient Counter examples;
    private transient ValueState<AlsCandidates> alsState;
    private transient MapStateDescriptor<String, ItemFollowers> followersDescriptor;
    private transient MapStateDescriptor<String, RankerWeights> weightsDescriptor;
    private transient MapStateDescriptor<String, FmWeights> fmDescriptor;
    private transient long rankerVersion;
    private transient EventTimeLag eventTimeLag;

    /** All defaults. */
    public UserRecommender() {
        this(builder());
    }

    private UserRecommender(Builder b) {
        this.policy = b.policy;
        this.blender = b.blender;
        this.emitIntervalMillis = b.emitInterval.toMillis();
        this.stateTtl = b.stateTtl;
        this.maxContexts = b.maxContexts;
        this.trendingStaleAfterMillis = b.trendingStaleAfter.toMillis();
        this.forgetGuard = b.forgetGuard;
        this.ranker = b.ranker;
        this.candidates = b.candidates;
        this.sampled = b.sampled;
        this.logServed = b.logServed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The user's profile, with the TTL of {@code ttl}. */
    public static ValueStateDescriptor<UserProfile> createProfileDescriptor(Duration ttl) {
        ValueStateDescriptor<UserProfile> d =
                new ValueStateDescriptor<>(PROFILE_STATE_NAME, TypeInformation.of(UserProfile.class));
        d.enableTimeToLive(StateTtl.processingTime(ttl));
        return d;
    }

    /**
     * The user's contexts and pending emission, with the TTL of {@code ttl}. Kept apart from the
     * profile because a timer rewrites only this small value, never the profile.
     */
    public static ValueStateDescriptor<UserContexts> createContextsDescriptor(Duration ttl) {
        ValueStateDescriptor<UserContexts> d =
                new ValueStateDescriptor<>(CONTEXTS_STATE_NAME, TypeInformation.of(UserContexts.class));
        d.enableTimeToLive(StateTtl.processingTime(ttl));
        return d;
    }

    /**
     * The event time of the user's latest {@code forget_user}, kept for {@code guard} of processing
     * time after it: events of the user at or before that time, still in flight when the erasure ran,
     * are dropped instead of re-creating the profile. Holds one number, never personal data.
     */
    public static ValueStateDescriptor<Long> createForgottenDescriptor(Duration guard) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>(FORGOTTEN_STATE_NAME, Types.LONG);
        d.enableTimeToLive(StateTtl.processingTime(guard));
        return d;
    }

    /** The user's latest ALS candidates, with the TTL of {@code ttl}. */
    public static ValueStateDescriptor<AlsCandidates> createAlsDescriptor(Duration ttl) {
        ValueStateDescriptor<AlsCandidates> d =
                new ValueStateDescriptor<>(ALS_STATE_NAME, TypeInformation.of(AlsCandidates.class));
        d.enableTimeToLive(StateTtl.processingTime(ttl));
        return d;
    }

    /** The broadcast state of trending lists. */
    public static MapStateDescriptor<String, TrendingItems> createTrendingDescriptor() {
        return new MapStateDescriptor<>(TRENDING_STATE_NAME, Types.STRING, TypeInformation.of(TrendingItems.class));
    }

    /** Every broadcast state of the recommender; the job broadcasts the model updates with these. */
    public static MapStateDescriptor<?, ?>[] broadcastDescriptors() {
        return new MapStateDescriptor<?, ?>[] {
            createTrendingDescriptor(), CoVisitation.createBroadcastDescriptor(), RankerWeights.createDescriptor(),
            FmWeights.createDescriptor()
        };
    }

    /** Keys by user id. */
    public static KeySelector<UserSignal, String> keySelector() {
        return UserSignal::userId;
    }

    @Override
    public void open(OpenContext openContext) {
        profileState = getRuntimeContext().getState(createProfileDescriptor(stateTtl));
        contextsState = getRuntimeContext().getState(createContextsDescriptor(stateTtl));
        forgottenAt = getRuntimeContext().getState(createForgottenDescriptor(forgetGuard));
        droppedAfterForget = getRuntimeContext().getMetricGroup().counter(DROPPED_AFTER_FORGET_METRIC);
        trendingDescriptor = createTrendingDescriptor();
        events = getRuntimeContext().getMetricGroup().counter(EVENTS_METRIC);
        documents = getRuntimeContext().getMetricGroup().counter(DOCUMENTS_METRIC);
        forgets = getRuntimeContext().getMetricGroup().counter(FORGETS_METRIC);
        examples = getRuntimeContext().getMetricGroup().counter(EXAMPLES_METRIC);
        getRuntimeContext().getMetricGroup().gauge(RANKER_VERSION_GAUGE, () -> rankerVersion);
        eventTimeLag = getRuntimeContext().getMetricGroup().gauge(EVENT_TIME_LAG_GAUGE, new EventTimeLag());
        alsState = getRuntimeContext().getState(createAlsDescriptor(stateTtl));
        followersDescriptor = CoVisitation.createBroadcastDescriptor();
        weightsDescriptor = RankerWeights.createDescriptor();
        fmDescriptor = FmWeights.createDescriptor();
    }

    @Override
    public void processElement(UserSignal signal, ReadOnlyContext ctx, Collector<Recommendation> out) throws Exception {
        eventTimeLag.observe(ctx.timerService().currentWatermark());
        if (signal.als != null) {
            Long forgotten = forgottenAt.value();
            if (forgotten != null && signal.als.eventTime <= forgotten) {
                droppedAfterForget.inc(); // candidates of events the erasure already covered
                return;
            }
            AlsCandidates current = alsState.value();
            if (current == null || signal.als.eventTime >= current.eventTime) {
                alsState.update(signal.als);
            }
            return;
        }
        Event e = signal.event;
        if (e == null || e.type == null || e.type == EventType.ITEM) {
            return;
        }
        events.inc();
        if (e.type == EventType.FORGET_USER) {
            forget(e, ctx, out);
            return;
        }
        Long forgotten = forgottenAt.value();
        if (forgotten != null && e.ts <= forgotten) {
            droppedAfterForget.inc();
            return;
        }
        UserProfile profile = profileState.value();
        if (profile == null) {
            profile = new UserProfile();
        }
        if (sampled != null && SampledExamples.isPositive(e)) {
            emitExamples(e, profile, ctx);
        }
        boolean changed = profile.apply(e, policy);
        profileState.update(profile);
        if (e.type.isBehaviour()) {
            UserContexts contexts = contextsState.value();
            if (contexts == null) {
                contexts = new UserContexts();
            }
            String contextKey = e.contextKey();
            if (changed || !contexts.contains(contextKey)) {
                contexts.markPending(contextKey, e.ts, maxContexts);
                CoalescedEmission.schedule(contexts, ctx.timerService(), emitIntervalMillis);
                contextsState.update(contexts);
            }
        }
    }

    /** Examples of a positive event, from the profile as it was before the event. */
    private void emitExamples(Event e, UserProfile before, ReadOnlyContext ctx) throws Exception {
        ReadOnlyBroadcastState<String, TrendingItems> trending = ctx.getBroadcastState(trendingDescriptor);
        for (TrainingExample x : sampled.of(e, before, trending.get(e.contextKey()), trending.get(TrendingItems.GLOBAL),
                alsState.value(), candidates, ranker)) {
            ctx.output(EXAMPLES, x);
            examples.inc();
        }
    }

    private void forget(Event e, ReadOnlyContext ctx, Collector<Recommendation> out) throws Exception {
        UserContexts contexts = contextsState.value();
        if (contexts != null) {
            CoalescedEmission.cancel(contexts, ctx.timerService());
        }
        profileState.clear();
        contextsState.clear();
        alsState.clear();
        Long previous = forgottenAt.value();
        forgottenAt.update(previous == null ? e.ts : Math.max(previous, e.ts));
        out.collect(Recommendation.forgetUser(ctx.getCurrentKey(), e.ts, ctx.timerService().currentProcessingTime()));
        forgets.inc();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out) throws Exception {
        eventTimeLag.observe(ctx.timerService().currentWatermark());
        UserContexts c = contextsState.value();
        if (c == null) {
            return;
        }
        if (!CoalescedEmission.fire(c, timestamp, ctx.timeDomain(), ctx.timerService())) {
            return;
        }
        UserProfile profile = profileState.value();
        flush(profile == null ? new UserProfile() : profile, c, ctx.getCurrentKey(),
                ctx.timerService().currentProcessingTime(), ctx, out);
        contextsState.update(c);
    }

    private void flush(UserProfile profile, UserContexts c, String userId, long now, OnTimerContext ctx,
                       Collector<Recommendation> out) throws Exception {
        ReadOnlyBroadcastState<String, TrendingItems> trending = ctx.getBroadcastState(trendingDescriptor);
        TrendingItems global = null;
        Learned learned = null;
        for (int i = 0; i < c.size(); i++) {
            if (!c.isPending(i)) {
                continue;
            }
            if (global == null) {
                global = trending.get(TrendingItems.GLOBAL);
            }
            String key = c.keys[i];
            int first = key.indexOf(ContextDefaults.SEPARATOR);
            int last = key.lastIndexOf(ContextDefaults.SEPARATOR);
            String geo = key.substring(0, first);
            String bucket = key.substring(first + 1, last);
            String device = key.substring(last + 1);
            long eventTime = c.markEmitted(i);
            RankedItem[] items;
            String modelVersion;
            if (ranker == null) {
                items = blender.rank(profile, trending.get(key), global);
                modelVersion = profile.modelVersion;
            } else {
                if (learned == null) {
                    learned = new Learned(profile, ctx);
                }
                TrendingItems context = trending.get(key);
                LearnedRanker.Ranking r = ranker.rank(userId, learned.user, geo, bucket, device, eventTime,
                        candidates.collect(profile, context, global, learned.als, learned::followers),
                        learned.excluded, learned.weights);
                items = r.items;
                modelVersion = LEARNED_MODEL_PREFIX + r.modelVersion;
                if (logServed) {
                    for (ServedFeatures f : r.served) {
                        ctx.output(SERVED, f);
                    }
                }
            }
            Recommendation rec = Recommendation.upsert(userId, geo, bucket, device, items, eventTime, now, modelVersion);
            rec.profileEvents = profile.events;
            out.collect(rec);
            documents.inc();
        }
    }

    /** What a learned ranking of one user needs, read once per flush. */
    private final class Learned {
        final UserSummary user;
        final AlsCandidates als;
        final Set<String> excluded;
        final RankerModel weights;
        final ReadOnlyBroadcastState<String, ItemFollowers> followers;

        Learned(UserProfile profile, OnTimerContext ctx) throws Exception {
            user = UserSummary.of(profile);
            als = alsState.value();
            excluded = candidates.excluded(profile);
            // a job trains one model (ranker.model); the FM replica is empty unless it is the FM
            FmWeights fm = FmWeights.current(ctx.getBroadcastState(fmDescriptor));
            weights = fm != null ? fm : RankerWeights.current(ctx.getBroadcastState(weightsDescriptor));
            followers = ctx.getBroadcastState(followersDescriptor);
        }

        ItemFollowers followers(String itemId) {
            try {
                return followers.get(itemId);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the co-visitation list of " + itemId, e);
            }
        }
    }

    @Override
    public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<Recommendation> out) throws Exception {
        eventTimeLag.observe(ctx.currentWatermark());
        if (u == null) {
            return;
        }
        if (u.weights != null && u.weights.factorised()) {
            BroadcastState<String, FmWeights> fm = ctx.getBroadcastState(fmDescriptor);
            FmWeights.update(fm, u.weights);
            FmWeights current = FmWeights.current(fm);
            rankerVersion = current == null ? rankerVersion : Math.max(rankerVersion, current.version);
        } else if (u.weights != null) {
            BroadcastState<String, RankerWeights> weights = ctx.getBroadcastState(weightsDescriptor);
            RankerWeights.update(weights, u.weights);
            RankerWeights current = RankerWeights.current(weights);
            rankerVersion = current == null ? rankerVersion : Math.max(rankerVersion, current.version);
        } else if (u.followers != null && u.followers.itemId != null) {
            BroadcastState<String, ItemFollowers> followers = ctx.getBroadcastState(followersDescriptor);
            if (CoVisitation.newer(followers.get(u.followers.itemId), u.followers)) {
                followers.put(u.followers.itemId, u.followers);
            }
        } else if (u.trending != null) {
            updateTrending(u.trending, ctx);
        }
    }

    private void updateTrending(TrendingItems t, Context ctx) throws Exception {
        if (t.contextKey == null) {
            return;
        }
        BroadcastState<String, TrendingItems> trending = ctx.getBroadcastState(trendingDescriptor);
        TrendingItems current = trending.get(t.contextKey);
        if (current == null || t.windowEnd >= current.windowEnd) {
            trending.put(t.contextKey, t);
        }
        if (TrendingItems.GLOBAL.equals(t.contextKey)) {
            long staleBefore = t.windowEnd - trendingStaleAfterMillis;
            List<String> stale = new ArrayList<>();
            for (Map.Entry<String, TrendingItems> e : trending.entries()) {
                if (!TrendingItems.GLOBAL.equals(e.getKey()) && e.getValue().windowEnd < staleBefore) {
                    stale.add(e.getKey());
                }
            }
            for (String key : stale) {
                trending.remove(key);
            }
        }
    }

    /** The freshness gauge of this instance (null before {@code open}); for tests. */
    EventTimeLag eventTimeLagForTesting() {
        return eventTimeLag;
    }

    /** Validated configuration of a {@link UserRecommender}; every setter checks its argument at once. */
    public static final class Builder {
        private ProfilePolicy policy = new ProfilePolicy();
        private Blender blender = new Blender();
        private Duration emitInterval = DEFAULT_EMIT_INTERVAL;
        private Duration stateTtl = DEFAULT_STATE_TTL;
        private int maxContexts = DEFAULT_MAX_CONTEXTS;
        private Duration trendingStaleAfter = DEFAULT_TRENDING_STALE_AFTER;
        private Duration forgetGuard = DEFAULT_FORGET_GUARD;
        private LearnedRanker ranker;
        private HybridCandidates candidates;
        private SampledExamples sampled;
        private boolean logServed;

        private Builder() {}

        /** Profile decay, bounds and event weights; default {@code new ProfilePolicy()}. */
        public Builder profilePolicy(ProfilePolicy p) {
            if (p == null) {
                throw new IllegalArgumentException("profilePolicy must not be null");
            }
            this.policy = p;
            return this;
        }

        /** Ranking weights and list length; default {@code new Blender()}. */
        public Builder blender(Blender b) {
            if (b == null) {
                throw new IllegalArgumentException("blender must not be null");
            }
            this.blender = b;
            return this;
        }

        /** Delay between a user's first pending change and its documents; positive, default 200 ms. */
        public Builder emitInterval(Duration d) {
            this.emitInterval = StateTtl.requirePositive("emitInterval", d);
            return this;
        }

        /** Processing-time TTL of a user's state since its last write; positive, default 90 days. */
        public Builder stateTtl(Duration d) {
            this.stateTtl = StateTtl.requirePositive("stateTtl", d);
            return this;
        }

        /**
         * How long, in processing time, events older than a user's {@code forget_user} are still
         * dropped; positive, default 1 h. Make it longer than the largest delay with which an event
         * can reach this operator after a later one (source lag, out-of-orderness).
         */
        public Builder forgetGuard(Duration d) {
            this.forgetGuard = StateTtl.requirePositive("forgetGuard", d);
            return this;
        }

        /** Contexts tracked per user; ≥ 1, default 32. */
        public Builder maxContexts(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxContexts must be ≥ 1, got " + n);
            }
            this.maxContexts = n;
            return this;
        }

        /** How much older than the global list a context list may be before it is dropped; ≥ 0, default 15 min. */
        public Builder trendingStaleAfter(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("trendingStaleAfter must be a duration ≥ 0, got " + d);
            }
            this.trendingStaleAfter = d;
            return this;
        }

        /**
         * Rank with the FTRL replica over hybrid candidates instead of the blend alone. The ranker's
         * features must be the learner's (same bits and seed).
         */
        public Builder learned(LearnedRanker ranker, HybridCandidates candidates) {
            if (ranker == null || candidates == null) {
                throw new IllegalArgumentException("learned ranking needs a ranker and a candidate source");
            }
            this.ranker = ranker;
            this.candidates = candidates;
            return this;
        }

        /** Emit sampled training examples to {@link #EXAMPLES}; needs {@link #learned}. */
        public Builder sampledExamples(SampledExamples examples) {
            if (examples == null) {
                throw new IllegalArgumentException("sampledExamples must not be null");
            }
            this.sampled = examples;
            return this;
        }

        /** Emit the features of every served item to {@link #SERVED}; needs {@link #learned}. Default off. */
        public Builder logServed(boolean log) {
            this.logServed = log;
            return this;
        }

        public UserRecommender build() {
            if (ranker == null && (sampled != null || logServed)) {
                throw new IllegalStateException("sampled examples and the serving log need learned(...) ranking");
            }
            return new UserRecommender(this);
        }
    }
}
