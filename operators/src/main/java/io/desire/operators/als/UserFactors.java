package io.desire.operators.als;

import io.desire.features.als.FoldIn;
import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.serving.ConsumedItems;
import io.desire.features.serving.ExclusionRule;
import io.desire.operators.StateTtl;
import io.desire.operators.privacy.ForgetMarkers;
import io.desire.operators.state.ConsumedItemsSerializer;
import java.util.Arrays;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
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
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The user side of online ALS: keeps each user's factor vector, recomputed by an exact fold-in on
 * every behaviour event, against a replicated table of item vectors.
 *
 * <p><b>Keyed input</b> (by user): events. A behaviour event records the interaction in the user's
 * bounded window of recent interactions — implicit mode: adds its {@link
 * io.desire.features.profile.EventWeights EventWeights} weight {@code w} to the item's evidence
 * (events of weight 0, e.g. impressions, change nothing); explicit mode: only {@code rate} events
 * with a value count and replace the item's rating. Then the user's vector is recomputed from scratch
 * by {@link FoldIn#solve} over the window — the same regularised k×k least-squares solve a batch
 * half-sweep does for this user (Hu, Koren, Volinsky 2008 in implicit mode, with the table's Gram
 * {@code YᵀY}; fold-in as in Oryx 2 {@code ALSUtils}) — stored, and a {@link UserFactorUpdate}
 * carrying the NEW vector is emitted for the touched item. Items the table does not hold yet take
 * their deterministic {@link AlsConfig#initialItemVector initial vector}, which the update carries
 * to the item side. {@code forget_user} clears the user's state; for {@link AlsConfig#forgetGuard()}
 * (default 1 h) afterwards only the erasure's event time is kept, and the user's events from before
 * it that arrive late are dropped (counted in {@value #DROPPED_AFTER_FORGET_METRIC}), so they
 * cannot re-create the row. Item, user and other events are
 * ignored (filter with {@link #isInput}).
 *
 * <p><b>Broadcast input</b>: {@link ItemFactorUpdate}s from the feedback topic. The update with the
 * largest version per item wins (ties: the later), tombstones ({@code factors == null}) remove the
 * item, vectors of the wrong rank are counted in {@value #REJECTED_METRIC} and dropped. Two signals
 * travel the same topic at the end of a backfill: {@link ItemFactorUpdate#sweepAll} (re-fold every
 * user and send the item side one more epoch of its interactions) and {@link
 * ItemFactorUpdate#refreshAll} (re-fold every user and send fresh candidates); each adds one to its
 * accumulator ({@value #SWEPT_SUBTASKS_ACCUMULATOR}, {@value #REFRESHED_SUBTASKS_ACCUMULATOR}) per
 * subtask when done, which the backfill waits for. The updates sent and the vectors received are
 * counted for {@link AlsLoopCounts}.
 *
 * <p><b>State.</b> Keyed ({@value #STATE_NAME}): one {@link UserFactorState} per user — the vector
 * (k doubles) and up to {@code maxRecentInteractions} (item id, evidence) pairs. TTL: processing
 * time since the last write, {@link AlsConfig#userStateTtl() default 90 days}; an expired user
 * starts again from their next event. Broadcast ({@value #TABLE_STATE_NAME}, from {@link
 * #createTableDescriptor()}): the latest {@link ItemFactorUpdate} per item — the whole catalogue on
 * every subtask, held on the heap and written into every checkpoint by every subtask (broadcast
 * state is operator state: no TTL, no RocksDB). The Gram matrix and the scan index ({@link
 * ItemFactorTable}) are derived from it and rebuilt after a restore, not checkpointed.
 *
 * <p><b>Candidates.</b> With {@link AlsConfig#candidates()} n > 0, user updates also emit the
 * user's top-n items from the table (recent interactions excluded), with the categories the item
 * side published, to {@link #CANDIDATES} — nothing while the table is empty: an exact scan,
 * O(catalogue·k) per list. With {@link AlsConfig#candidatesIntervalMillis()} 0 a list follows every
 * update. With an interval T > 0 the lists are <b>coalesced</b>: an update registers the user's
 * processing-time timer at the next multiple of T shifted by a per-user phase (the user id's hash
 * modulo T, which spreads the users' timers over the interval), and an event-time timer at {@link
 * Long#MAX_VALUE} that the final watermark of a bounded input fires; the timer service keeps one
 * timer per (user, timestamp), so all updates of a period share them and nothing is read or written
 * to know whether they are registered. When a timer fires, the user's stored vector (that of the
 * last update) is scanned against the table as it is then, and one list is sent with the state's
 * event time; the processing-time timer deletes the event-time one. So a list is at most T of
 * processing time older than the user's last update, and a burst of events costs one scan instead
 * of one per event. A user erased or expired before the timer gets no list. A processing-time timer
 * left pending by a bounded run's final flush may send the same list once more after a restore.
 * The final {@link ItemFactorUpdate#refreshAll} is exact either way. The update sent to the item side carries the event's category, which
 * {@link ItemFactors} publishes with the vector. Memory of the table: catalogue × rank × 8 B of vectors per
 * subtask plus ids, records and map entries — about 300 B per item at rank 10, so 1 M items ≈ 300 MB
 * of heap per subtask, and as much written per subtask into every checkpoint (see {@link
 * ItemFactorTable}).
 *
 * <p><b>Transitions.</b> Every accepted interaction (implicit: positive weight; explicit: a valid
 * rating) on an item other than the user's most recently touched one emits {@code new
 * ItemTransition(previous, item, ts, value)}, with the event's category, to {@link #TRANSITIONS}
 * before the window is updated: the input of {@link io.desire.operators.covisit.CoVisitation}
 * (which ignores non-positive ratings). Repeating the most recent item, zero-weight events and
 * ignored events emit nothing; the user's first interaction (also after {@code forget_user} or TTL
 * expiry) has no predecessor. "Most recently touched" is the window's order, i.e. arrival order per
 * user.
 *
 * <p><b>Limitations.</b> A user's vector is only recomputed on their own events, so it follows item
 * vectors that changed since with a delay. The fold-in sees only the recent window, not the whole
 * history. Forgetting removes the user's row; what their past events taught item vectors stays
 * (aggregated, not attributable), as in any factor model.
 *
 * <p>Metrics: counters {@value #EVENTS_METRIC}, {@value #UPDATES_METRIC}, {@value #FORGETS_METRIC},
 * {@value #CANDIDATE_LISTS_METRIC} (lists sent, refreshes included),
 * {@value #TABLE_UPDATES_METRIC}, {@value #STALE_METRIC}, {@value #REJECTED_METRIC}; gauges
 * {@value #TABLE_SIZE_METRIC} and {@value #TABLE_VERSION_METRIC} (the largest item version the
 * table has received: the replica side of {@link ItemFactors}' {@value ItemFactors#VERSION_METRIC}, so the two
 * show whether the feedback loop delivers), both 0 until the first record after a restore.
 *
 * <p><b>Why this class is longer than ~400 lines.</b> It is the one operator that owns the ALS user
 * side's state (the window and vector, consumed items, the erasure guard, the broadcast table) and
 * the three ways it changes (an event, a table update, the end-of-history sweep and refresh); a
 * fifth of it is this contract. The math is elsewhere: the fold-in solve, the table and its scan
 * ({@link ItemFactorTable}), the settings ({@link AlsConfig}) and the state formats
 * ({@link UserFactorStateSerializer}).
 */
public class UserFactors extends KeyedBroadcastProcessFunction<String, Event, ItemFactorUpdate, UserFactorUpdate>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String STATE_NAME = "als-user-factors";
    public static final String TABLE_STATE_NAME = "als-item-table";
    public static final String FORGOTTEN_STATE_NAME = "als-user-forgotten-at";
    public static final OutputTag<AlsCandidates> CANDIDATES =
            new OutputTag<>("als-candidates", TypeInformation.of(AlsCandidates.class));
    /** Side output of the user's item-to-item steps; see the class comment. */
    public static final OutputTag<ItemTransition> TRANSITIONS =
            new OutputTag<>("item-transitions", TypeInformation.of(ItemTransition.class));

    public static final String EVENTS_METRIC = "alsUserEvents";
    public static final String UPDATES_METRIC = "alsUserUpdates";
    public static final String FORGETS_METRIC = "alsUsersForgotten";
    public static final String DROPPED_AFTER_FORGET_METRIC = "alsEventsDroppedAfterForget";
    public static final String TABLE_UPDATES_METRIC = "alsItemTableUpdates";
    public static final String STALE_METRIC = "alsItemTableStaleUpdates";
    public static final String REJECTED_METRIC = "alsItemTableRejectedUpdates";
    public static final String TABLE_SIZE_METRIC = "alsItemTableSize";
    public static final String TABLE_VERSION_METRIC = "alsItemTableMaxVersion";
    public static final String CANDIDATE_LISTS_METRIC = "alsCandidateLists";

    /** The state of the items each user consumed, which candidates never include. */
    public static final String CONSUMED_STATE_NAME = "als-user-consumed";
    /** Accumulator: subtasks that finished re-folding their users after a {@link ItemFactorUpdate#refreshAll}. */
    public static final String REFRESHED_SUBTASKS_ACCUMULATOR = "als-refreshed-subtasks";

    public static final String REFRESHED_USERS_METRIC = "alsUsersRefreshed";
    /** Accumulator: subtasks that finished a {@link ItemFactorUpdate#sweepAll} (one per subtask and sweep). */
    public static final String SWEPT_SUBTASKS_ACCUMULATOR = "als-swept-subtasks";

    public static final String SWEEP_UPDATES_METRIC = "alsSweepUpdates";

    /** Timestamp of the event-time timer that flushes a pending candidate list at the end of a bounded input. */
    static final long END_OF_INPUT = Long.MAX_VALUE;

    private final AlsConfig config;
    private final ExclusionRule exclusion;

    private transient ValueState<UserFactorState> state;
    private transient ValueState<ConsumedItems> consumed;
    private transient LongCounter refreshedSubtasks;
    private transient Counter refreshedUsers;
    private transient LongCounter sweptSubtasks;
    private transient LongCounter updatesSent;
    private transient LongCounter vectorsReceived;
    private transient Counter sweepUpdates;
    private transient ValueState<Long> forgottenAt;
    /** Whether a user's forgotten-at marker can be live at all: read only then. */
    private transient ForgetMarkers forgetMarkers;
    /** How the subtask started (restored or not), set by initializeState; null in plain function use. */
    private transient Boolean restored;

    private transient MapStateDescriptor<String, ItemFactorUpdate> tableDescriptor;
    private transient FoldIn foldIn;
    private transient ItemFactorTable table;
    private transient Counter events;
    private transient Counter updates;
    private transient Counter forgets;
    private transient Counter droppedAfterForget;
    private transient Counter tableUpdates;
    private transient Counter stale;
    private transient Counter rejected;
    private transient Counter candidateLists;
    private transient long maxItemVersion;

    /** With the default {@link ExclusionRule}: rated and purchased items are never candidates. */
    public UserFactors(AlsConfig config) {
        this(config, ExclusionRule.defaults());
    }

    /** @param exclusion which events make an item consumed, so that it is never a candidate again */
    public UserFactors(AlsConfig config, ExclusionRule exclusion) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        if (exclusion == null) {
            throw new IllegalArgumentException("exclusion must not be null");
        }
        this.config = config;
        this.exclusion = exclusion;
    }

    /**
     * The items each user consumed (by the {@link ExclusionRule}), with the user state's TTL; the
     * same shape as the serving operator's, kept here so the top-N scan skips them and the list holds
     * servable items only.
     */
    public static ValueStateDescriptor<ConsumedItems> createConsumedDescriptor(AlsConfig config) {
        ValueStateDescriptor<ConsumedItems> d =
                new ValueStateDescriptor<>(CONSUMED_STATE_NAME, ConsumedItemsSerializer.INSTANCE);
        d.enableTimeToLive(StateTtl.processingTime(config.userStateTtl()));
        return d;
    }

    /** The per-user state descriptor with its processing-time TTL. */
    public static ValueStateDescriptor<UserFactorState> createStateDescriptor(AlsConfig config) {
        ValueStateDescriptor<UserFactorState> d =
                new ValueStateDescriptor<>(STATE_NAME, UserFactorStateSerializer.INSTANCE);
        d.enableTimeToLive(StateTtl.processingTime(config.userStateTtl()));
        return d;
    }

    /**
     * The event time of the user's latest {@code forget_user}, kept for {@link AlsConfig#forgetGuard()}
     * of processing time: events of the user at or before it, still in flight at the erasure, are
     * dropped instead of re-creating the user's row.
     */
    public static ValueStateDescriptor<Long> createForgottenDescriptor(AlsConfig config) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>(FORGOTTEN_STATE_NAME, Types.LONG);
        d.enableTimeToLive(StateTtl.processingTime(config.forgetGuard()));
        return d;
    }

    /** The broadcast descriptor of the replicated item table; broadcast the feedback stream with it. */
    public static MapStateDescriptor<String, ItemFactorUpdate> createTableDescriptor() {
        return new MapStateDescriptor<>(TABLE_STATE_NAME, Types.STRING, TypeInformation.of(ItemFactorUpdate.class));
    }

    /** Keys by user id. */
    public static KeySelector<Event, String> keySelector() {
        return e -> e.userId;
    }

    /** Behaviour events with a user and an item, and {@code forget_user} events. */
    public static boolean isInput(Event e) {
        return e != null
                && e.userId != null
                && e.type != null
                && (e.type == EventType.FORGET_USER || (e.type.isBehaviour() && e.itemId != null));
    }

    /** No operator state of its own: only whether the subtask was restored, for the forget markers. */
    @Override
    public void initializeState(FunctionInitializationContext context) {
        restored = context.isRestored();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {}

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(createStateDescriptor(config));
        forgottenAt = getRuntimeContext().getState(createForgottenDescriptor(config));
        forgetMarkers = new ForgetMarkers(config.forgetGuard());
        if (restored != null) {
            forgetMarkers.started(restored);
        }
        consumed = getRuntimeContext().getState(createConsumedDescriptor(config));
        refreshedSubtasks = new LongCounter();
        getRuntimeContext().addAccumulator(REFRESHED_SUBTASKS_ACCUMULATOR, refreshedSubtasks);
        sweptSubtasks = new LongCounter();
        getRuntimeContext().addAccumulator(SWEPT_SUBTASKS_ACCUMULATOR, sweptSubtasks);
        updatesSent = new LongCounter();
        getRuntimeContext().addAccumulator(AlsLoopCounts.UPDATES_SENT_ACCUMULATOR, updatesSent);
        vectorsReceived = new LongCounter();
        getRuntimeContext().addAccumulator(AlsLoopCounts.VECTORS_RECEIVED_ACCUMULATOR, vectorsReceived);
        tableDescriptor = createTableDescriptor();
        foldIn = config.foldIn();
        var metrics = getRuntimeContext().getMetricGroup();
        events = metrics.counter(EVENTS_METRIC);
        updates = metrics.counter(UPDATES_METRIC);
        forgets = metrics.counter(FORGETS_METRIC);
        droppedAfterForget = metrics.counter(DROPPED_AFTER_FORGET_METRIC);
        tableUpdates = metrics.counter(TABLE_UPDATES_METRIC);
        stale = metrics.counter(STALE_METRIC);
        rejected = metrics.counter(REJECTED_METRIC);
        candidateLists = metrics.counter(CANDIDATE_LISTS_METRIC);
        refreshedUsers = metrics.counter(REFRESHED_USERS_METRIC);
        sweepUpdates = metrics.counter(SWEEP_UPDATES_METRIC);
        metrics.gauge(TABLE_SIZE_METRIC, () -> table == null ? 0 : table.size());
        metrics.gauge(TABLE_VERSION_METRIC, () -> maxItemVersion);
    }

    @Override
    public void processElement(Event e, ReadOnlyContext ctx, Collector<UserFactorUpdate> out) throws Exception {
        if (!isInput(e)) {
            return;
        }
        events.inc();
        if (e.type == EventType.FORGET_USER) {
            state.clear();
            consumed.clear();
            Long previous = forgottenAt.value();
            forgottenAt.update(previous == null ? e.ts : Math.max(previous, e.ts));
            forgetMarkers.written();
            forgets.inc();
            return;
        }
        Long forgotten = forgetMarkers.mayBeLive() ? forgottenAt.value() : null;
        if (forgotten != null && e.ts <= forgotten) {
            droppedAfterForget.inc();
            return;
        }
        // Read only when it changes or a list is computed now: coalesced lists read it when they are due.
        boolean listNow = config.candidates() > 0 && config.candidatesIntervalMillis() == 0;
        boolean consumes = exclusion.consumes(e);
        ConsumedItems used = consumes || listNow ? consumed.value() : null;
        if (consumes) {
            // Recorded whatever the event's weight: a poor rating consumes the film as much as a good one.
            used = used == null ? new ConsumedItems() : used;
            if (used.add(e.itemId, ConsumedItems.DEFAULT_MAX)) {
                consumed.update(used);
            }
        }
        double value;
        if (config.implicit()) {
            value = config.weights().weight(e.type, e.value);
            if (!(value > 0)) {
                return;
            }
        } else {
            if (e.type != EventType.RATE || e.value == null || !Double.isFinite(e.value)) {
                return;
            }
            value = e.value;
        }
        ItemFactorTable items = table(ctx.getBroadcastState(tableDescriptor));
        UserFactorState s = state.value();
        if (s == null) {
            s = new UserFactorState();
        }
        if (s.size() > 0) {
            // The window's last entry is the item touched most recently: the step is previous → this.
            String previous = s.items[s.size() - 1];
            if (!previous.equals(e.itemId)) {
                ctx.output(TRANSITIONS, new ItemTransition(previous, e.itemId, e.ts, value).withCategory(e.category));
            }
        }
        double evidence = s.touch(e.itemId, value, config.implicit(), config.maxRecentInteractions());

        // Items the table does not hold yet take their deterministic initial vector in the solve;
        // the touched one's goes to the item side with the update, which starts the item from it.
        double[] touchedInit = items.get(e.itemId) == null ? config.initialItemVector(e.itemId) : null;
        double[] x = foldIn(items, s);
        s.factors = x;
        s.eventTime = Math.max(s.eventTime, e.ts);
        state.update(s);
        updates.inc();

        double confidence = config.implicit() ? 1 + config.alpha() * evidence : 1.0;
        double preference = config.implicit() ? 1.0 : evidence;
        UserFactorUpdate update = new UserFactorUpdate(
                e.userId,
                e.itemId,
                x.clone(),
                confidence,
                preference,
                e.ts,
                touchedInit == null ? null : touchedInit.clone());
        update.category = e.category;
        out.collect(update);
        updatesSent.add(1);

        if (config.candidates() > 0 && items.size() > 0) {
            long interval = config.candidatesIntervalMillis();
            if (interval > 0) {
                scheduleCandidates(ctx.timerService(), e.userId, interval);
            } else {
                AlsCandidates c = candidates(items, x, s, used, ctx.getBroadcastState(tableDescriptor));
                if (c.items.length > 0) {
                    c.userId = e.userId;
                    c.eventTime = e.ts;
                    ctx.output(CANDIDATES, c);
                    candidateLists.inc();
                }
            }
        }
    }

    /**
     * Registers the timers of the user's pending candidate list. Registering a timer the service
     * holds already is a no-op, so every update of a period lands on the same two timers.
     */
    private static void scheduleCandidates(TimerService timers, String user, long interval) {
        timers.registerProcessingTimeTimer(nextDue(timers.currentProcessingTime(), interval, user));
        timers.registerEventTimeTimer(END_OF_INPUT);
    }

    /**
     * The first instant after {@code now} that is a multiple of {@code interval} shifted by the
     * user's phase ({@code hash mod interval}): at most {@code interval} ahead, the same for every
     * {@code now} of one period, and spread over the interval across users.
     */
    static long nextDue(long now, long interval, String user) {
        long phase = Math.floorMod((long) user.hashCode(), interval);
        return Math.floorDiv(now - phase, interval) * interval + phase + interval;
    }

    /** Sends the user's coalesced candidate list: the stored vector against the table as it is now. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UserFactorUpdate> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
        }
        UserFactorState s = state.value();
        if (s == null || s.size() == 0 || s.factors == null || config.candidates() == 0) {
            return;
        }
        ReadOnlyBroadcastState<String, ItemFactorUpdate> broadcast = ctx.getBroadcastState(tableDescriptor);
        ItemFactorTable items = table(broadcast);
        if (items.size() == 0) {
            return;
        }
        AlsCandidates c = candidates(items, s.factors, s, consumed.value(), broadcast);
        if (c.items.length > 0) {
            c.userId = ctx.getCurrentKey();
            c.eventTime = s.eventTime;
            ctx.output(CANDIDATES, c);
            candidateLists.inc();
        }
    }

    /** The user's top-N from the table: neither the window's items nor consumed ones. */
    private AlsCandidates candidates(
            ItemFactorTable items,
            double[] x,
            UserFactorState s,
            ConsumedItems used,
            ReadOnlyBroadcastState<String, ItemFactorUpdate> broadcast)
            throws Exception {
        AlsCandidates c = items.topN(x, config.candidates(), Arrays.asList(s.items), used);
        c.categories = categories(c.items, broadcast);
        return c;
    }

    /** The user's vector solved again from the window against the table as it is now. */
    private double[] foldIn(ItemFactorTable items, UserFactorState s) {
        int n = s.size();
        double[][] others = new double[n][];
        double[] gram = config.implicit() ? items.gram() : null;
        for (int j = 0; j < n; j++) {
            others[j] = items.get(s.items[j]);
            if (others[j] == null) {
                others[j] = config.initialItemVector(s.items[j]);
                if (gram != null) {
                    // YᵀY must include every vector the solve uses, also those not yet published.
                    if (gram == items.gram()) {
                        gram = gram.clone();
                    }
                    ItemFactorTable.addOuter(gram, others[j], 1.0);
                }
            }
        }
        return foldIn.solve(others, s.values, gram);
    }

    /**
     * History has been read: each user of this subtask is folded in again against the final table
     * and gets fresh candidates marked {@link AlsCandidates#refresh}, so that no user keeps a list
     * built from the immature vectors of the time of their last event. The new vectors are stored.
     */
    private void refreshAll(Context ctx) throws Exception {
        ReadOnlyBroadcastState<String, ItemFactorUpdate> broadcast = ctx.getBroadcastState(tableDescriptor);
        ItemFactorTable items = table(broadcast);
        if (config.candidates() > 0 && items.size() > 0) {
            forEachUserRefolded(ctx, items, (user, s) -> {
                AlsCandidates c = candidates(items, s.factors, s, consumed.value(), broadcast);
                c.userId = user;
                c.eventTime = s.eventTime;
                c.refresh = true;
                ctx.output(CANDIDATES, c);
                candidateLists.inc();
                refreshedUsers.inc();
            });
        }
        refreshedSubtasks.add(1);
    }

    /**
     * One more epoch of the item side ({@link ItemFactorUpdate#sweepAll}): each user of this subtask
     * is folded in again against the table as it is now, the new vector is stored, and the item side
     * gets an update for every interaction in the user's window — the same update an event would
     * have sent, with today's vector instead of the one of the event's time. The candidates wait for
     * the final {@link #refreshAll}.
     */
    private void sweepAll(Context ctx, Collector<UserFactorUpdate> out) throws Exception {
        ItemFactorTable items = table(ctx.getBroadcastState(tableDescriptor));
        forEachUserRefolded(ctx, items, (user, s) -> {
            for (int j = 0; j < s.size(); j++) {
                double confidence = config.implicit() ? 1 + config.alpha() * s.values[j] : 1.0;
                double preference = config.implicit() ? 1.0 : s.values[j];
                double[] init = items.get(s.items[j]) == null ? config.initialItemVector(s.items[j]) : null;
                out.collect(new UserFactorUpdate(
                        user, s.items[j], s.factors.clone(), confidence, preference, s.eventTime, init));
                updatesSent.add(1);
                sweepUpdates.inc();
            }
        });
        sweptSubtasks.add(1);
    }

    /** What to do with a user once re-folded. */
    @FunctionalInterface
    private interface RefoldedUser {
        void accept(String user, UserFactorState state) throws Exception;
    }

    /** Folds every user of this subtask in again against {@code items}, stores the vector, then calls {@code then}. */
    private void forEachUserRefolded(Context ctx, ItemFactorTable items, RefoldedUser then) throws Exception {
        ctx.applyToKeyedState(createStateDescriptor(config), (user, userState) -> {
            UserFactorState s = userState.value();
            if (s == null || s.size() == 0) {
                return;
            }
            s.factors = foldIn(items, s);
            userState.update(s);
            then.accept(user, s);
        });
    }

    @Override
    public void processBroadcastElement(ItemFactorUpdate u, Context ctx, Collector<UserFactorUpdate> out)
            throws Exception {
        if (u == null || u.itemId == null) {
            return;
        }
        if (u.isRefreshAll()) {
            refreshAll(ctx);
            return;
        }
        if (u.isSweepAll()) {
            sweepAll(ctx, out);
            return;
        }
        if (u.factors != null) {
            vectorsReceived.add(1); // what the item side publishes; signals carry no vector
        }
        BroadcastState<String, ItemFactorUpdate> broadcast = ctx.getBroadcastState(tableDescriptor);
        ItemFactorTable items = table(broadcast);
        if (u.factors != null && u.factors.length != config.rank()) {
            rejected.inc();
            return;
        }
        ItemFactorUpdate current = broadcast.get(u.itemId);
        if (current != null && u.version < current.version) {
            stale.inc();
            return;
        }
        if (u.factors == null) {
            broadcast.remove(u.itemId);
            items.remove(u.itemId);
        } else {
            // A copy: with object reuse on, the runtime may recycle the incoming record.
            ItemFactorUpdate kept = u.copy();
            broadcast.put(kept.itemId, kept);
            items.put(kept.itemId, kept.factors);
        }
        maxItemVersion = Math.max(maxItemVersion, u.version);
        tableUpdates.inc();
    }

    /** The published category of each item, null where unknown. */
    private static String[] categories(String[] items, ReadOnlyBroadcastState<String, ItemFactorUpdate> table)
            throws Exception {
        String[] out = new String[items.length];
        for (int i = 0; i < items.length; i++) {
            ItemFactorUpdate u = table.get(items[i]);
            out[i] = u == null ? null : u.category;
        }
        return out;
    }

    /** The scan index and Gram over the broadcast table, built on first use after (re)start. */
    private ItemFactorTable table(ReadOnlyBroadcastState<String, ItemFactorUpdate> broadcast) throws Exception {
        if (table == null) {
            table = ItemFactorTable.of(config.rank(), broadcast.immutableEntries());
            for (Map.Entry<String, ItemFactorUpdate> e : broadcast.immutableEntries()) {
                if (e.getValue() != null) { // after a restore: the versions the table already holds
                    maxItemVersion = Math.max(maxItemVersion, e.getValue().version);
                }
            }
        }
        return table;
    }

    /** The value of the {@value #TABLE_VERSION_METRIC} gauge; for tests. */
    long tableMaxVersionForTesting() {
        return maxItemVersion;
    }

    /** The derived table of this instance, or null before its first record; for tests. */
    ItemFactorTable tableForTesting() {
        return table;
    }
}
