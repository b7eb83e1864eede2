package io.desire.operators.serving;

import io.desire.features.context.ContextDefaults;
import io.desire.features.event.ContextAttributes;
import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.ftrl.UserSummary;
import io.desire.features.profile.ProfilePolicy;
import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.Blender;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import io.desire.features.serving.ArmScores;
import io.desire.features.serving.CandidatePool;
import io.desire.features.serving.CandidateSource;
import io.desire.features.serving.ConsumedItems;
import io.desire.features.serving.ExclusionRule;
import io.desire.features.serving.SessionLists;
import io.desire.features.serving.SourceList;
import io.desire.features.serving.SourceOrder;
import io.desire.operators.CoalescedEmission;
import io.desire.operators.ContextTrending;
import io.desire.operators.EventTimeLag;
import io.desire.operators.GlobalPopularity;
import io.desire.operators.StateTtl;
import io.desire.operators.UserContexts;
import io.desire.operators.UserContextsSerializer;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.als.AlsCandidatesSerializer;
import io.desire.operators.covisit.CoVisitation;
import io.desire.operators.covisit.ItemFollowers;
import io.desire.operators.privacy.ForgetMarkers;
import io.desire.operators.ranker.FmWeights;
import io.desire.operators.ranker.LearnedRanker;
import io.desire.operators.ranker.RankerCandidate;
import io.desire.operators.ranker.RankerModel;
import io.desire.operators.ranker.RankerWeights;
import io.desire.operators.ranker.SampledExamples;
import io.desire.operators.ranker.ServedFeatures;
import io.desire.operators.ranker.TrainingExample;
import io.desire.operators.state.ConsumedItemsSerializer;
import io.desire.operators.state.SessionListsSerializer;
import io.desire.operators.state.UserProfileSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keeps each user's profile and publishes one ranked {@link Recommendation} per (user, context).
 *
 * <p><b>How a document is ranked.</b> Without a learned ranker and without a pinned arm (the builder's
 * default) every document is the {@link Blender}'s ranking, model version {@value #MODEL_VERSION}.
 * Otherwise the candidate sources ({@link ServingSources}) are merged into one {@link CandidatePool}
 * without consumed items, and the arm of {@link ArmScores} (champion by prequential NDCG, or pinned by
 * {@link UserRecommenderBuilder#serve}) orders it: one source leading, back-filled ({@link SourceOrder}, model version
 * {@code source-<name>}), or the learned ranker ({@link LearnedRanker}) with the replica of the model
 * the job trains ({@link UserRecommenderBuilder#rankerModel}: FTRL {@link RankerWeights} or factorisation machine
 * {@link FmWeights}, both {@link RankerModel}s from the broadcast side); a learned document's model
 * version is {@code ftrl-<version>} or {@code fm-<version>} and only grows. The arms are judged on a fixed
 * sample of users ({@link UserRecommenderBuilder#armSample}: all of them while the champion serves, a
 * tenth while an arm is pinned): only those users' events read and write their session lists and
 * only their documents record what every arm would have shown. The features
 * of every served item go to {@link #SERVED} when {@link UserRecommenderBuilder#logServed} is on (for
 * {@code ExampleAssembler}), and with {@link UserRecommenderBuilder#sampledExamples} each positive event (click,
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
 * In history mode ({@link UserRecommenderBuilder#historyMode}, a backfill) no timer is registered:
 * contexts stay pending until the broadcast {@link ModelUpdate#historyRead} signal ranks each of them
 * once, for every key ({@code applyToKeyedState}); the subtask then serves as above.
 *
 * <p><b>Unchanged documents</b> ({@link UserRecommenderBuilder#unchangedRefresh}, off by default): a
 * flush whose ranking of a context has the same model version and items, in the same order, as the
 * context's last written document (a 64-bit {@link UserContexts#fingerprintOf fingerprint}), written
 * less than the refresh interval ago, emits nothing for it (counter {@value #UNCHANGED_METRIC}); the
 * context stays pending with a timer at the last write + the interval, so its document, with the
 * newer {@code eventTime} and profile event count, is written then at the latest (and always at the
 * end of a bounded input).
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
 * with followers: catalogue-sized, like the ALS item table) and the ranker's replica: FTRL weights
 * (8 MiB at 2^20 buckets) or, with {@code ranker.model=fm}, the factorisation machine's (8·(k + 1)
 * bytes per bucket). The gauge {@value #RANKER_VERSION_GAUGE} is the version of the model the job
 * trains.
 *
 * <p><b>Wiring:</b> {@code signals.keyBy(UserRecommender.keySelector()).connect(updates.broadcast(
 * UserRecommender.broadcastDescriptors())).process(recommender)}, where signals carry a user id
 * (filter out {@code item} events and events without user) and have event-time watermarks (only for
 * the end-of-input flush), and {@code updates} hold {@link ContextTrending} and
 * {@link GlobalPopularity} lists, co-visitation lists and weight deltas. Metrics: counters
 * {@value #EVENTS_METRIC}, {@value #DOCUMENTS_METRIC}, {@value #UNCHANGED_METRIC}, {@value #FORGETS_METRIC},
 * {@value #EXAMPLES_METRIC}; gauges {@value #RANKER_VERSION_GAUGE} and {@value #EVENT_TIME_LAG_GAUGE}
 * (wall clock minus the watermark observed at the latest signal, timer or model update; see
 * {@link EventTimeLag}: how stale the documents this subtask writes are).
 *
 * <p><b>Why this class is larger than the others.</b> It is the one operator that owns a user's
 * serving state (seven keyed states, the broadcast models and the coalescing timers), and every
 * read-modify-write of that state stays here so that one place says what a savepoint holds and when
 * it changes. The logic it applies is in small classes: candidate sources ({@link ServingSources},
 * {@link CandidatePool}, {@link SourceOrder}), judging the arms ({@link SessionLists},
 * {@link ArmScores}), ranking ({@link Blender}, {@link LearnedRanker}), emission
 * ({@link CoalescedEmission}) and its configuration ({@link UserRecommenderBuilder}).
 */
public class UserRecommender extends KeyedBroadcastProcessFunction<String, UserSignal, ModelUpdate, Recommendation>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_EMIT_INTERVAL = Duration.ofMillis(200);
    /** By default every document is written, changed or not. */
    public static final Duration DEFAULT_UNCHANGED_REFRESH = Duration.ZERO;

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
    /** Counter: documents left unwritten because they ranked as the last written one ({@code unchangedRefresh}). */
    public static final String UNCHANGED_METRIC = "documentsUnchanged";

    public static final String FORGETS_METRIC = "usersForgotten";
    public static final String EXAMPLES_METRIC = "sampledExamples";
    public static final String RANKER_VERSION_GAUGE = "rankerModelVersion";
    /** Freshness: wall clock minus the current watermark, in ms; -1 before the first watermark. */
    public static final String EVENT_TIME_LAG_GAUGE = "eventTimeLagMs";
    /** Accumulator (history mode): subtasks that have ranked their held documents, one each. */
    public static final String HISTORY_RANKED_ACCUMULATOR = "recommender-history-ranked-subtasks";

    public static final String ALS_STATE_NAME = "user-als-candidates";
    /** Prefix of the model version of rankings of the FTRL ranker, followed by the weights' version. */
    public static final String LEARNED_MODEL_PREFIX = RankerModel.FTRL + "-";
    /** Prefix of the model version of rankings of the factorisation machine, followed by its version. */
    public static final String FM_MODEL_PREFIX = RankerModel.FM + "-";
    /** Prefix of the model version of rankings led by one candidate source, followed by its name. */
    public static final String SOURCE_MODEL_PREFIX = "source-";

    public static final String CONSUMED_STATE_NAME = "user-consumed";
    public static final String SESSION_LISTS_STATE_NAME = "user-session-lists";
    public static final Duration DEFAULT_SESSION_GAP = Duration.ofMinutes(30);
    /** Operator state: the prequential scores of the serving arms (union list, one entry per subtask). */
    public static final String ARM_SCORES_STATE_NAME = "serving-arm-scores";
    /** Gauge: the arm serving documents now: a source's ordinal, or {@link ArmScores#LEARNED}. */
    public static final String SERVING_ARM_GAUGE = "servingArm";
    /** Gauge in the group {@code arm=<name>}: the arm's faded prequential NDCG@k. */
    public static final String ARM_NDCG_GAUGE = "prequentialNdcg";

    public static final double DEFAULT_PREQUENTIAL_FRACTION = 1.0;
    /** Share of users judging the arms while an arm is pinned ({@link UserRecommenderBuilder#armSample}). */
    public static final double DEFAULT_PINNED_ARM_SAMPLE = 0.1;

    public static final double DEFAULT_ARM_FADING = 0.999;
    public static final long DEFAULT_MIN_OUTCOMES = 100;
    public static final int DEFAULT_PER_SOURCE = 50;
    /** Distinct items a user needs before the ALS source may lead their lists. */
    public static final int MIN_ITEMS_FOR_ALS = 5;

    /** Features of every item served, for the ranker's training (with {@link UserRecommenderBuilder#logServed}). */
    public static final OutputTag<ServedFeatures> SERVED =
            new OutputTag<>("served-features", TypeInformation.of(ServedFeatures.class));
    /** Sampled training examples (with {@link UserRecommenderBuilder#sampledExamples}). */
    public static final OutputTag<TrainingExample> EXAMPLES =
            new OutputTag<>("sampled-examples", TypeInformation.of(TrainingExample.class));

    private final ProfilePolicy policy;
    private final Blender blender;
    private final long emitIntervalMillis;
    /** How long an unchanged document may stay unwritten; 0 writes every document. */
    private final long unchangedRefreshMillis;

    private final Duration stateTtl;
    private final int maxContexts;
    private final long trendingStaleAfterMillis;
    private final Duration forgetGuard;
    private final LearnedRanker ranker;
    private final ServingSources sources;
    private final Set<CandidateSource> enabled;
    private final CandidateSource fallback;
    private final ExclusionRule exclusion;
    private final double prequentialFraction;
    private final double armFading;
    private final long minOutcomes;
    private final long sessionGapMillis;
    /** The arm that always serves, or −1 for the champion of the prequential scores. */
    private final int pinnedArm;
    /** Share of users whose documents and sessions judge the arms ({@link #judgesArms}). */
    private final double armSample;

    private final SampledExamples sampled;
    private final boolean logServed;
    /** Whether the learned ranker scores with the factorisation machine's replica ({@code ranker.model=fm}). */
    private final boolean factorised;
    /** History mode ({@link UserRecommenderBuilder#historyMode}): documents wait for {@link ModelUpdate#historyRead}. */
    private final boolean historyMode;
    /** Whether this subtask has seen {@link ModelUpdate#historyRead}: from then on it serves as live. */
    private transient boolean historyRead;
    /** Accumulator: subtasks that ranked their held documents at {@link ModelUpdate#historyRead}. */
    private transient LongCounter historyRanked;

    private transient ValueState<UserProfile> profileState;
    private transient ValueState<UserContexts> contextsState;
    private transient ValueState<Long> forgottenAt;
    /** Whether a user's forgotten-at marker can be live at all: read only then. */
    private transient ForgetMarkers forgetMarkers;
    /** How the subtask started (restored or not), set by initializeState; null in plain function use. */
    private transient Boolean restored;

    private transient Counter droppedAfterForget;
    private transient MapStateDescriptor<String, TrendingItems> trendingDescriptor;
    private transient Counter events;
    private transient Counter documents;
    private transient Counter unchanged;
    private transient Counter forgets;
    private transient Counter examples;
    private transient ValueState<AlsCandidates> alsState;
    private transient MapStateDescriptor<String, ItemFollowers> followersDescriptor;
    private transient MapStateDescriptor<String, RankerWeights> weightsDescriptor;
    private transient MapStateDescriptor<String, FmWeights> fmDescriptor;
    private transient long rankerVersion;
    private transient EventTimeLag eventTimeLag;
    private transient ValueState<ConsumedItems> consumedState;
    private transient ValueState<SessionLists> sessionState;
    private transient ListState<ArmScores> armScoresState;
    private transient ArmScores arms;
    private transient int servingArm;

    /** All defaults. */
    public UserRecommender() {
        this(builder());
    }

    UserRecommender(UserRecommenderBuilder b) {
        this.policy = b.policy;
        this.blender = b.blender;
        this.emitIntervalMillis = b.emitInterval.toMillis();
        this.unchangedRefreshMillis = b.unchangedRefresh.toMillis();
        this.stateTtl = b.stateTtl;
        this.maxContexts = b.maxContexts;
        this.trendingStaleAfterMillis = b.trendingStaleAfter.toMillis();
        this.forgetGuard = b.forgetGuard;
        this.ranker = b.ranker;
        this.sources = new ServingSources(b.perSource, ServingSources.DEFAULT_RECENT_FOR_SEQUENCE);
        this.enabled = EnumSet.copyOf(b.sources);
        // Until the arms have evidence, the user's own affinities lead (cold start: nothing learned yet).
        this.fallback = enabled.contains(CandidateSource.AFFINITY)
                ? CandidateSource.AFFINITY
                : enabled.iterator().next();
        this.exclusion = b.exclusion;
        this.prequentialFraction = b.prequentialFraction;
        this.armFading = b.armFading;
        this.minOutcomes = b.minOutcomes;
        this.sessionGapMillis = b.sessionGap.toMillis();
        this.pinnedArm = b.pinnedArm;
        this.armSample = b.armSample != null ? b.armSample : b.pinnedArm < 0 ? 1.0 : DEFAULT_PINNED_ARM_SAMPLE;
        this.sampled = b.sampled;
        this.logServed = b.logServed;
        this.factorised = b.rankerModel.equals(RankerModel.FM);
        this.historyMode = b.historyMode;
    }

    public static UserRecommenderBuilder builder() {
        return new UserRecommenderBuilder();
    }

    /** The user's profile, with the TTL of {@code ttl}. */
    public static ValueStateDescriptor<UserProfile> createProfileDescriptor(Duration ttl) {
        ValueStateDescriptor<UserProfile> d =
                new ValueStateDescriptor<>(PROFILE_STATE_NAME, UserProfileSerializer.INSTANCE);
        d.enableTimeToLive(StateTtl.processingTime(ttl));
        return d;
    }

    /**
     * The user's contexts and pending emission, with the TTL of {@code ttl}. Kept apart from the
     * profile because a timer rewrites only this small value, never the profile.
     */
    public static ValueStateDescriptor<UserContexts> createContextsDescriptor(Duration ttl) {
        ValueStateDescriptor<UserContexts> d =
                new ValueStateDescriptor<>(CONTEXTS_STATE_NAME, UserContextsSerializer.INSTANCE);
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
                new ValueStateDescriptor<>(ALS_STATE_NAME, AlsCandidatesSerializer.INSTANCE);
        d.enableTimeToLive(StateTtl.processingTime(ttl));
        return d;
    }

    /** The items the user consumed (by the {@link ExclusionRule}), never served again; TTL of {@code ttl}. */
    public static ValueStateDescriptor<ConsumedItems> createConsumedDescriptor(Duration ttl) {
        ValueStateDescriptor<ConsumedItems> d =
                new ValueStateDescriptor<>(CONSUMED_STATE_NAME, ConsumedItemsSerializer.INSTANCE);
        d.enableTimeToLive(StateTtl.processingTime(ttl));
        return d;
    }

    /** What each arm showed the user at the start of the current session; TTL of {@code ttl}. */
    public static ValueStateDescriptor<SessionLists> createSessionListsDescriptor(Duration ttl) {
        ValueStateDescriptor<SessionLists> d =
                new ValueStateDescriptor<>(SESSION_LISTS_STATE_NAME, SessionListsSerializer.INSTANCE);
        d.enableTimeToLive(StateTtl.processingTime(ttl));
        return d;
    }

    /** The operator state of the arms' prequential scores. */
    public static ListStateDescriptor<ArmScores> createArmScoresDescriptor() {
        return new ListStateDescriptor<>(ARM_SCORES_STATE_NAME, TypeInformation.of(ArmScores.class));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        armScoresState = context.getOperatorStateStore().getUnionListState(createArmScoresDescriptor());
        // After a rescale every subtask sees every entry: each continues from the best informed one.
        arms = context.isRestored() ? ArmScores.mostInformed(armScoresState.get()) : new ArmScores();
        restored = context.isRestored();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        armScoresState.update(List.of(arms));
    }

    /** The broadcast state of trending lists. */
    public static MapStateDescriptor<String, TrendingItems> createTrendingDescriptor() {
        return new MapStateDescriptor<>(TRENDING_STATE_NAME, Types.STRING, TypeInformation.of(TrendingItems.class));
    }

    /** Every broadcast state of the recommender; the job broadcasts the model updates with these. */
    public static MapStateDescriptor<?, ?>[] broadcastDescriptors() {
        return new MapStateDescriptor<?, ?>[] {
            createTrendingDescriptor(),
            CoVisitation.createBroadcastDescriptor(),
            RankerWeights.createDescriptor(),
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
        forgetMarkers = new ForgetMarkers(forgetGuard);
        if (restored != null) {
            forgetMarkers.started(restored);
        }
        droppedAfterForget = getRuntimeContext().getMetricGroup().counter(DROPPED_AFTER_FORGET_METRIC);
        trendingDescriptor = createTrendingDescriptor();
        events = getRuntimeContext().getMetricGroup().counter(EVENTS_METRIC);
        documents = getRuntimeContext().getMetricGroup().counter(DOCUMENTS_METRIC);
        unchanged = getRuntimeContext().getMetricGroup().counter(UNCHANGED_METRIC);
        forgets = getRuntimeContext().getMetricGroup().counter(FORGETS_METRIC);
        examples = getRuntimeContext().getMetricGroup().counter(EXAMPLES_METRIC);
        getRuntimeContext().getMetricGroup().gauge(RANKER_VERSION_GAUGE, () -> rankerVersion);
        eventTimeLag = getRuntimeContext().getMetricGroup().gauge(EVENT_TIME_LAG_GAUGE, new EventTimeLag());
        alsState = getRuntimeContext().getState(createAlsDescriptor(stateTtl));
        consumedState = getRuntimeContext().getState(createConsumedDescriptor(stateTtl));
        sessionState = getRuntimeContext().getState(createSessionListsDescriptor(stateTtl));
        if (arms == null) {
            arms = new ArmScores(); // used without initializeState (plain function tests)
        }
        servingArm = fallback.ordinal();
        getRuntimeContext().getMetricGroup().gauge(SERVING_ARM_GAUGE, () -> servingArm);
        for (int a = 0; a < ArmScores.ARMS; a++) {
            int arm = a;
            getRuntimeContext()
                    .getMetricGroup()
                    .addGroup("arm", armName(a))
                    .gauge(ARM_NDCG_GAUGE, () -> arms.mean(arm));
        }
        followersDescriptor = CoVisitation.createBroadcastDescriptor();
        weightsDescriptor = RankerWeights.createDescriptor();
        fmDescriptor = FmWeights.createDescriptor();
        if (historyMode) {
            historyRanked = new LongCounter();
            getRuntimeContext().addAccumulator(HISTORY_RANKED_ACCUMULATOR, historyRanked);
        }
    }

    @Override
    public void processElement(UserSignal signal, ReadOnlyContext ctx, Collector<Recommendation> out) throws Exception {
        eventTimeLag.observe(ctx.timerService().currentWatermark());
        if (signal.als != null) {
            Long forgotten = forgetMarkers.mayBeLive() ? forgottenAt.value() : null;
            if (forgotten != null && signal.als.eventTime <= forgotten) {
                droppedAfterForget.inc(); // candidates of events the erasure already covered
                return;
            }
            AlsCandidates current = alsState.value();
            if (current == null || signal.als.eventTime >= current.eventTime) {
                alsState.update(signal.als);
                if (signal.als.refresh) {
                    rerankAll(ctx);
                }
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
        Long forgotten = forgetMarkers.mayBeLive() ? forgottenAt.value() : null;
        if (forgotten != null && e.ts <= forgotten) {
            droppedAfterForget.inc();
            return;
        }
        UserProfile profile = profileState.value();
        if (profile == null) {
            profile = new UserProfile();
        }
        // Read only by the callbacks that need it: one RocksDB lookup saved on most events.
        boolean examplesDue = sampled != null && SampledExamples.isPositive(e);
        boolean consumes = exclusion.consumes(e);
        ConsumedItems consumed = examplesDue || consumes ? consumedState.value() : null;
        if (e.type.isBehaviour() && judgesArms(e.userId)) {
            scoreArms(e, ctx);
        }
        if (examplesDue) {
            emitExamples(e, profile, pool(profile, consumed, alsState.value(), null, e.contextKey(), ctx), ctx);
        }
        boolean changed = profile.apply(e, policy);
        profileState.update(profile);
        if (consumes) {
            consumed = consumed == null ? new ConsumedItems() : consumed;
            if (consumed.add(e.itemId, ConsumedItems.DEFAULT_MAX)) {
                consumedState.update(consumed);
                changed = true;
            }
        }
        if (e.type.isBehaviour()) {
            UserContexts contexts = contextsState.value();
            if (contexts == null) {
                contexts = new UserContexts();
            }
            String contextKey = e.contextKey();
            if (changed || !contexts.contains(contextKey)) {
                contexts.markPending(
                        contextKey, e.ts, maxContexts, ContextAttributes.encode(e.attributeKeys, e.attributeValues));
                if (!holdingDocuments()) {
                    CoalescedEmission.schedule(contexts, ctx.timerService(), emitIntervalMillis);
                }
                contextsState.update(contexts);
            }
        }
    }

    /** Examples of a positive event, from the state as it was before the event. */
    private void emitExamples(Event e, UserProfile before, CandidatePool pool, ReadOnlyContext ctx) {
        for (TrainingExample x : sampled.of(e, before, pool, ranker)) {
            ctx.output(EXAMPLES, x);
            examples.inc();
        }
    }

    /**
     * Whether the user is in the arms' sample: a fixed share of users by a hash of the id (salted, so
     * that the sample is independent of the key groups), the same on every subtask and after restores.
     */
    boolean judgesArms(String userId) {
        if (armSample >= 1.0) {
            return true;
        }
        if (armSample <= 0.0 || userId == null) {
            return false;
        }
        long h = ConsumedItems.hash("arm-sample\u0000" + userId);
        return (h >>> 11) * 0x1.0p-53 < armSample;
    }

    /** Whether a positive event is in the prequential slice: a fixed share, by a hash of the event. */
    private boolean heldBack(Event e) {
        if (prequentialFraction >= 1.0) {
            return true;
        }
        long h = ConsumedItems.hash(e.userId + '\u0000' + e.itemId + '\u0000' + e.ts);
        return (h >>> 11) * 0x1.0p-53 < prequentialFraction;
    }

    /**
     * Test, then train, per session: at the first event of a session (more than {@code sessionGap}
     * after the user's last), the arms' lists of the user's latest document become the session's
     * lists; each held-back positive event of the session is then scored against them, before
     * anything learns from it ({@link SessionLists}, {@link ArmScores}). Every arm is judged as of the
     * same moment — the document the returning user reads — so none gains from being fresher.
     */
    private void scoreArms(Event e, ReadOnlyContext ctx) throws Exception {
        SessionLists lists = sessionState.value();
        if (lists == null) {
            lists = new SessionLists();
        }
        // Written only when the event moves it: a late event within the session changes nothing.
        boolean changed = e.ts > lists.lastEventTime;
        if (lists.startsSession(e.ts, sessionGapMillis)) {
            lists.promote();
            changed = true;
        }
        if (SampledExamples.isPositive(e) && heldBack(e) && lists.hasLists()) {
            arms.record(lists.ranksOf(e.itemId), topK(), armFading);
        }
        if (changed) {
            lists.lastEventTime = Math.max(lists.lastEventTime, e.ts);
            sessionState.update(lists);
        }
    }

    /**
     * Records what every arm would have shown in the document just ranked from {@code pool};
     * {@code learned} is the learned ranker's ranking of the same pool, null when it is not trained.
     */
    private void recordArmLists(CandidatePool pool, LearnedRanker.Ranking learned) throws Exception {
        SessionLists lists = sessionState.value();
        if (lists == null) {
            lists = new SessionLists();
        }
        int k = topK();
        lists.resetNext(k);
        for (CandidateSource s : enabled) {
            List<String> items = new ArrayList<>(k);
            for (CandidatePool.Candidate c : SourceOrder.order(pool, s, k)) {
                items.add(c.item());
            }
            lists.setNext(s.ordinal(), items);
        }
        if (learned != null) {
            List<String> items = new ArrayList<>(learned.items.length);
            for (RankedItem it : learned.items) {
                items.add(it.item);
            }
            lists.setNext(ArmScores.LEARNED, items);
        }
        sessionState.update(lists);
    }

    /**
     * ALS leads only for users it knows: with fewer than {@value #MIN_ITEMS_FOR_ALS} distinct items a
     * fold-in vector says little, and the user's own affinities lead instead (when enabled). The
     * distinct items are the profile's or the consumed ones, whichever are more: the profile's decay
     * drops old items (with a short {@code profile.half-life}, most of them), the consumed set keeps
     * them.
     */
    static CandidateSource coldStart(
            CandidateSource lead, UserProfile profile, ConsumedItems consumed, Set<CandidateSource> enabled) {
        int known = Math.max(profile.items.size(), consumed == null ? 0 : consumed.size());
        if (lead == CandidateSource.ALS && known < MIN_ITEMS_FOR_ALS && enabled.contains(CandidateSource.AFFINITY)) {
            return CandidateSource.AFFINITY;
        }
        return lead;
    }

    private int topK() {
        return ranker != null ? ranker.topK() : blender.topK();
    }

    private boolean learnedAvailable(RankerModel weights) {
        return ranker != null && weights != null && weights.isTrained() && weights.version() >= ranker.minVersion();
    }

    /**
     * The replica of the model this job trains: the factorisation machine's with {@code ranker.model=fm},
     * else the FTRL weights; {@code null} without a learned ranker or before the model's first delta. The
     * other replica is never read, so weights of a model the job no longer trains (restored from a
     * savepoint taken before {@code ranker.model} changed) never order a document.
     */
    private RankerModel model(ReadOnlyContext ctx) throws Exception {
        if (ranker == null) {
            return null;
        }
        return factorised
                ? FmWeights.current(ctx.getBroadcastState(fmDescriptor))
                : RankerWeights.current(ctx.getBroadcastState(weightsDescriptor));
    }

    /** The model-version prefix of learned documents: {@code fm-} or {@code ftrl-}. */
    private String learnedPrefix() {
        return factorised ? FM_MODEL_PREFIX : LEARNED_MODEL_PREFIX;
    }

    /**
     * The user's merged candidates in a context: every enabled source, consumed items excluded.
     * {@code userLists} are {@link #userLists} of the same user and inputs, reused across the
     * contexts of one flush; null builds them for this pool alone.
     */
    private CandidatePool pool(
            UserProfile profile,
            ConsumedItems consumed,
            AlsCandidates als,
            Map<CandidateSource, SourceList> userLists,
            String contextKey,
            ReadOnlyContext ctx)
            throws Exception {
        ReadOnlyBroadcastState<String, TrendingItems> trending = ctx.getBroadcastState(trendingDescriptor);
        TrendingItems popular = trending.get(TrendingItems.POPULAR);
        TrendingItems global = trending.get(TrendingItems.GLOBAL);
        Map<CandidateSource, SourceList> shared = userLists != null ? userLists : userLists(profile, als, ctx);
        Map<CandidateSource, SourceList> lists =
                sources.withContext(shared, profile, trending.get(contextKey), popular, global);
        Set<String> purchased = profile == null || profile.purchased.length == 0 ? Set.of() : Set.of(profile.purchased);
        return CandidatePool.of(
                lists,
                enabled,
                item -> purchased.contains(item) || (consumed != null && consumed.contains(item)),
                sources.perSource());
    }

    /** The source lists of the user that no context changes (ALS, sequence, popular): once per flush. */
    private Map<CandidateSource, SourceList> userLists(UserProfile profile, AlsCandidates als, ReadOnlyContext ctx)
            throws Exception {
        ReadOnlyBroadcastState<String, TrendingItems> trending = ctx.getBroadcastState(trendingDescriptor);
        ReadOnlyBroadcastState<String, ItemFollowers> followers = ctx.getBroadcastState(followersDescriptor);
        return sources.userLists(
                profile,
                trending.get(TrendingItems.POPULAR),
                trending.get(TrendingItems.GLOBAL),
                als,
                item -> followersOf(followers, item));
    }

    private static ItemFollowers followersOf(ReadOnlyBroadcastState<String, ItemFollowers> followers, String item) {
        try {
            return followers.get(item);
        } catch (Exception ex) {
            throw new IllegalStateException("cannot read the co-visitation list of " + item, ex);
        }
    }

    private static List<RankerCandidate> candidatesOf(CandidatePool pool) {
        List<RankerCandidate> out = new ArrayList<>(pool.size());
        for (CandidatePool.Candidate c : pool.candidates()) {
            out.add(RankerCandidate.of(c));
        }
        return out;
    }

    /** The blended ranking of the user's context, consumed items left out (the list is ranked deeper to stay full). */
    private RankedItem[] blend(UserProfile profile, ConsumedItems consumed, String contextKey, ReadOnlyContext ctx)
            throws Exception {
        ReadOnlyBroadcastState<String, TrendingItems> trending = ctx.getBroadcastState(trendingDescriptor);
        TrendingItems popular = trending.get(TrendingItems.POPULAR);
        TrendingItems global = popular != null && popular.size() > 0 ? popular : trending.get(TrendingItems.GLOBAL);
        int depth = consumed == null ? blender.topK() : blender.topK() + Math.min(consumed.size(), 10 * blender.topK());
        RankedItem[] ranked = blender.withTopK(depth).rank(profile, trending.get(contextKey), global);
        List<RankedItem> kept = new ArrayList<>(blender.topK());
        for (RankedItem r : ranked) {
            if (kept.size() < blender.topK() && (consumed == null || !consumed.contains(r.item))) {
                kept.add(r);
            }
        }
        return kept.toArray(new RankedItem[0]);
    }

    /** Fresh ALS candidates after history was read: every context of the user is ranked again. */
    private void rerankAll(ReadOnlyContext ctx) throws Exception {
        UserContexts contexts = contextsState.value();
        if (contexts == null || contexts.size() == 0) {
            return;
        }
        for (int i = 0; i < contexts.size(); i++) {
            contexts.markPending(contexts.keys[i], contexts.emittedEventTime[i], maxContexts);
        }
        if (!holdingDocuments()) {
            CoalescedEmission.schedule(contexts, ctx.timerService(), emitIntervalMillis);
        }
        contextsState.update(contexts);
    }

    /** The name of arm {@code a}: a source's config name, or {@code learned}. */
    public static String armName(int a) {
        return a == ArmScores.LEARNED ? "learned" : CandidateSource.values()[a].configName();
    }

    private void forget(Event e, ReadOnlyContext ctx, Collector<Recommendation> out) throws Exception {
        UserContexts contexts = contextsState.value();
        if (contexts != null) {
            CoalescedEmission.cancel(contexts, ctx.timerService());
        }
        profileState.clear();
        contextsState.clear();
        alsState.clear();
        consumedState.clear();
        sessionState.clear();
        Long previous = forgottenAt.value();
        forgottenAt.update(previous == null ? e.ts : Math.max(previous, e.ts));
        forgetMarkers.written();
        out.collect(Recommendation.forgetUser(
                ctx.getCurrentKey(), e.ts, ctx.timerService().currentProcessingTime()));
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
        flush(
                profile == null ? new UserProfile() : profile,
                c,
                ctx.getCurrentKey(),
                ctx.timerService().currentProcessingTime(),
                // the end of a bounded input writes every document: nothing fires after it
                ctx.timeDomain() == TimeDomain.EVENT_TIME,
                ctx,
                out);
        contextsState.update(c);
    }

    private void flush(
            UserProfile profile,
            UserContexts c,
            String userId,
            long now,
            boolean endOfInput,
            ReadOnlyContext ctx,
            Collector<Recommendation> out)
            throws Exception {
        ConsumedItems consumed = consumedState.value();
        RankerModel weights = model(ctx);
        int arm = pinnedArm == ArmScores.LEARNED
                ? ArmScores.LEARNED
                : pinnedArm >= 0 ? pinnedArm : arms.champion(enabled, learnedAvailable(weights), minOutcomes, fallback);
        servingArm = arm;
        UserSummary user = null;
        boolean blended = ranker == null && pinnedArm < 0;
        boolean learnedOn = learnedAvailable(weights);
        // Read once per flush, not once per context; the user's lists likewise, built at the first pool.
        AlsCandidates als = blended ? null : alsState.value();
        Map<CandidateSource, SourceList> userLists = null;
        // Each document overwrites the session's "next" lists, so only the last one's are recorded.
        int lastPending = c.lastPending();
        long owedBy = Long.MAX_VALUE;
        for (int i = 0; i < c.size(); i++) {
            if (!c.isPending(i)) {
                continue;
            }
            String key = c.keys[i];
            int first = key.indexOf(ContextDefaults.SEPARATOR);
            int last = key.lastIndexOf(ContextDefaults.SEPARATOR);
            String geo = key.substring(0, first);
            String bucket = key.substring(first + 1, last);
            String device = key.substring(last + 1);
            String[][] attributes = c.attributesAt(i);
            long eventTime = c.markEmitted(i);
            RankedItem[] items;
            String modelVersion;
            if (!blended && userLists == null) {
                userLists = userLists(profile, als, ctx);
            }
            CandidatePool pool = blended ? null : pool(profile, consumed, als, userLists, key, ctx);
            boolean recordArms = pool != null && ranker != null && i == lastPending && judgesArms(userId);
            // The learned ranking of this pool, computed once: it serves (arm LEARNED) and/or is recorded as an arm.
            LearnedRanker.Ranking learned = null;
            if (pool != null && ranker != null && (arm == ArmScores.LEARNED || (recordArms && learnedOn))) {
                if (user == null) {
                    user = UserSummary.of(profile);
                }
                learned = ranker.rank(
                        userId,
                        user,
                        geo,
                        bucket,
                        device,
                        attributes[0],
                        attributes[1],
                        eventTime,
                        candidatesOf(pool),
                        null,
                        weights);
            }
            if (recordArms) {
                recordArmLists(pool, learnedOn ? learned : null);
            }
            if (blended) {
                // Without learning: the blend of affinity, context trending and popularity.
                items = blend(profile, consumed, key, ctx);
                modelVersion = profile.modelVersion;
            } else if (arm == ArmScores.LEARNED) {
                LearnedRanker.Ranking r = learned;
                items = r.items;
                modelVersion = learnedPrefix() + r.modelVersion;
                if (logServed) {
                    for (ServedFeatures f : r.served) {
                        ctx.output(SERVED, f);
                    }
                }
            } else {
                CandidateSource lead = coldStart(CandidateSource.values()[arm], profile, consumed, enabled);
                items = SourceOrder.rank(pool, lead, topK());
                modelVersion = SOURCE_MODEL_PREFIX + lead.configName();
                if (logServed) {
                    // Impression labels need the features of what was shown, whichever arm ordered it.
                    if (user == null) {
                        user = UserSummary.of(profile);
                    }
                    long version = learnedAvailable(weights) ? weights.version() : 0L;
                    for (RankedItem it : items) {
                        ctx.output(
                                SERVED,
                                new ServedFeatures(
                                        userId,
                                        key,
                                        it.item,
                                        null,
                                        eventTime,
                                        version,
                                        ranker.featuresOf(
                                                user,
                                                geo,
                                                bucket,
                                                device,
                                                attributes[0],
                                                attributes[1],
                                                RankerCandidate.of(pool.get(it.item)))));
                    }
                }
            }
            if (unchangedRefreshMillis > 0) {
                long fingerprint = UserContexts.fingerprintOf(modelVersion, itemIds(items));
                if (!endOfInput && c.writtenRecently(i, fingerprint, now, unchangedRefreshMillis)) {
                    // Same list as the document apps read: written later (at the latest after the
                    // refresh interval) so that its event time and profile events still converge.
                    owedBy = Math.min(owedBy, c.owe(i, unchangedRefreshMillis));
                    unchanged.inc();
                    continue;
                }
                c.markWritten(i, fingerprint, now);
            }
            Recommendation rec =
                    Recommendation.upsert(userId, geo, bucket, device, items, eventTime, now, modelVersion);
            rec.profileEvents = profile.events;
            out.collect(rec);
            documents.inc();
        }
        if (owedBy != Long.MAX_VALUE) {
            CoalescedEmission.scheduleBy(c, ctx.timerService(), owedBy);
        }
    }

    private static String[] itemIds(RankedItem[] items) {
        String[] ids = new String[items.length];
        for (int i = 0; i < items.length; i++) {
            ids[i] = items[i].item;
        }
        return ids;
    }

    @Override
    public void processBroadcastElement(ModelUpdate u, Context ctx, Collector<Recommendation> out) throws Exception {
        eventTimeLag.observe(ctx.currentWatermark());
        if (u == null) {
            return;
        }
        if (u.historyRead) {
            rankHeldDocuments(ctx, out);
            return;
        }
        if (u.weights != null && u.weights.factorised()) {
            BroadcastState<String, FmWeights> fm = ctx.getBroadcastState(fmDescriptor);
            FmWeights.update(fm, u.weights);
            FmWeights current = FmWeights.current(fm);
            if (factorised && current != null) {
                rankerVersion = Math.max(rankerVersion, current.version);
            }
        } else if (u.weights != null) {
            BroadcastState<String, RankerWeights> weights = ctx.getBroadcastState(weightsDescriptor);
            RankerWeights.update(weights, u.weights);
            RankerWeights current = RankerWeights.current(weights);
            if (!factorised && current != null) {
                rankerVersion = Math.max(rankerVersion, current.version);
            }
        } else if (u.followers != null && u.followers.itemId != null) {
            BroadcastState<String, ItemFollowers> followers = ctx.getBroadcastState(followersDescriptor);
            if (CoVisitation.newer(followers.get(u.followers.itemId), u.followers)) {
                followers.put(u.followers.itemId, u.followers);
            }
        } else if (u.trending != null) {
            updateTrending(u.trending, ctx);
        }
    }

    /** In history mode, until the "history read" signal: contexts are marked pending, but no timer and no document. */
    private boolean holdingDocuments() {
        return historyMode && !historyRead;
    }

    /**
     * The "history read" signal: every user of this subtask with pending contexts gets their documents
     * now, each ranked once with the models as they are; afterwards documents go out as live. Reaches
     * every key (with or without ALS state) through the keyed state, without ending event time.
     */
    private void rankHeldDocuments(Context ctx, Collector<Recommendation> out) throws Exception {
        if (historyRead) {
            return;
        }
        historyRead = true;
        if (!historyMode) {
            return;
        }
        long now = ctx.currentProcessingTime();
        ctx.applyToKeyedState(createContextsDescriptor(stateTtl), (user, state) -> {
            UserContexts c = state.value();
            if (c == null || c.lastPending() < 0) {
                return;
            }
            UserProfile profile = profileState.value();
            // Ranked once at the end of history: always written, never deferred as unchanged (no timers here).
            flush(profile == null ? new UserProfile() : profile, c, user, now, true, new KeyContext(ctx, user), out);
            state.update(c);
        });
        historyRanked.add(1);
    }

    /** The broadcast side's context seen as one key's, for {@link #flush} outside a timer; it has no timers. */
    private final class KeyContext extends ReadOnlyContext {
        private final Context broadcast;
        private final String key;

        KeyContext(Context broadcast, String key) {
            this.broadcast = broadcast;
            this.key = key;
        }

        @Override
        public Long timestamp() {
            return broadcast.timestamp();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            broadcast.output(tag, value);
        }

        @Override
        public long currentProcessingTime() {
            return broadcast.currentProcessingTime();
        }

        @Override
        public long currentWatermark() {
            return broadcast.currentWatermark();
        }

        @Override
        public <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor) {
            return broadcast.getBroadcastState(descriptor);
        }

        @Override
        public org.apache.flink.streaming.api.TimerService timerService() {
            throw new UnsupportedOperationException("no timers when ranking held documents");
        }

        @Override
        public String getCurrentKey() {
            return key;
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
                if (!TrendingItems.GLOBAL.equals(e.getKey())
                        && !TrendingItems.POPULAR.equals(e.getKey())
                        && e.getValue().windowEnd < staleBefore) {
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
}
