package io.desire.operators.covisit;

import io.desire.features.profile.DecayPolicy;
import io.desire.features.profile.DecayedScores;
import io.desire.operators.CoalescedEmission;
import io.desire.operators.KeyOwnership;
import io.desire.operators.als.ItemTransition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sequence candidates: for every item, the items users went on to next, weighted by how often and
 * how recently — "items that follow the user's recent items". Keyed by {@link
 * ItemTransition#fromItem}, fed by {@link io.desire.operators.als.UserFactors#TRANSITIONS}, it
 * publishes each item's best followers as a versioned {@link ItemFollowers} at most once per
 * interval.
 *
 * <p><b>Scores.</b> Each transition {@code from → to} of weight {@code w} at event time {@code t}
 * adds {@code w} to {@code to}'s score in {@code from}'s {@link DecayedScores}: scores halve every
 * {@code halfLife} (default 7 days) of <i>event</i> time, never of the wall clock, so a replay of the
 * same input yields the same lists (independent of arrival order up to rounding, except for which
 * entry the bound evicts). At most {@code maxFollowers} (default {@value #DEFAULT_MAX_FOLLOWERS})
 * followers are kept per item; beyond that the weakest goes (smallest score, then the id that sorts
 * last). A follower's category, when transitions carry one, is kept with it (the latest known) and
 * published in {@link ItemFollowers#categories}. Self-transitions, null ids and weights that are
 * not finite and positive are ignored and counted in {@value #IGNORED_METRIC}.
 *
 * <p><b>Publication is coalesced</b>, as in {@link io.desire.operators.als.ItemFactors}: the first
 * transition after a publication registers ONE processing-time timer at {@code now +
 * publishInterval} (default 1 s); further transitions register nothing. When it fires, the item's
 * top {@code publishTop} (default {@value #DEFAULT_PUBLISH_TOP}) followers are emitted, best first
 * (score descending, ties by id ascending), with {@code version + 1} — per item the version only
 * grows, also across restores, since it lives in keyed state — and the largest event time
 * reflected, as of which the scores are expressed. Processing-time timers do not fire at the end of
 * a bounded input, so each pending period also registers an event-time timer at {@link
 * Long#MAX_VALUE}, which the final watermark fires; whichever fires first deletes the other.
 *
 * <p><b>Batches</b> (with {@link Builder#batch} n > 1; the job's default {@code covisit.batch}):
 * transitions are not applied one by one but kept in memory per from-item, in arrival order, and
 * applied together — one state read and one write per item and batch, in the order they arrived, so
 * the scores are exactly those of one-by-one application — when the item's publish timer fires, or
 * at once when an item holds n of them. The first transition of a batch registers the item's
 * processing-time timer at the next multiple of {@code publishInterval} shifted by a per-item phase
 * (the id's hash modulo the interval) and the end-of-input event-time timer; the timer service
 * keeps one timer per (item, timestamp), so no state is read to know they exist. A batch is thus
 * published at most {@code publishInterval} after its first transition, as before. <b>Exactly
 * once:</b> what is buffered at a checkpoint is written into it as operator state ({@value
 * #PENDING_STATE_NAME}, union list: after a restore, at any parallelism, each subtask keeps the
 * transitions of the key groups it owns), together with the timers that will apply it. Timers and
 * bookkeeping of a savepoint taken without batches are honoured and cleared when they fire.
 *
 * <p><b>State</b> ({@value #STATE_NAME}): one {@link FollowerState} per item that ever had a
 * follower — at most {@code maxFollowers} (id, score) pairs plus ~40 B, about 1 KB per item at the
 * default with short ids, on RocksDB; every transition (every batch, with batches) reads and writes
 * its item's one value. <b>TTL:
 * none</b>: the state is catalogue-sized and small, and the version must survive — an expired item
 * would restart at version 1 while every reader still holds its last, larger version, and would
 * ignore the item's new lists until the version caught up. The cost is that an item nobody starts
 * from any more keeps its last list (its scores only decay when a transition arrives; readers
 * comparing lists decay them by {@code eventTime}).
 *
 * <p>Wiring: key by {@link #keySelector()} (needs a non-null {@code fromItem}, which {@code
 * UserFactors} guarantees); readers keep the latest list per item in broadcast state from {@link
 * #createBroadcastDescriptor()} and replace it when {@link #newer} says so. A very popular item is a
 * hot key here.
 *
 * <p>Metrics: counters {@value #TRANSITIONS_METRIC} (transitions applied), {@value
 * #PUBLISHED_METRIC} (lists emitted), {@value #IGNORED_METRIC}.
 */
public class CoVisitation extends KeyedProcessFunction<String, ItemTransition, ItemFollowers>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String STATE_NAME = "covisit-followers";
    public static final String BROADCAST_STATE_NAME = "item-followers";
    /** Operator state: the transitions buffered in batches at a checkpoint. */
    public static final String PENDING_STATE_NAME = "covisit-pending-transitions";

    public static final String TRANSITIONS_METRIC = "coVisitTransitions";
    public static final String PUBLISHED_METRIC = "coVisitPublished";
    public static final String IGNORED_METRIC = "coVisitIgnored";

    public static final Duration DEFAULT_HALF_LIFE = DecayPolicy.DEFAULT_HALF_LIFE;
    public static final int DEFAULT_MAX_FOLLOWERS = 50;
    public static final int DEFAULT_PUBLISH_TOP = 20;
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(1);
    /** Largest {@code maxFollowers} and {@code publishTop}: every transition reads and writes the whole list. */
    public static final int MAX_FOLLOWERS_LIMIT = 1000;
    /** Transitions applied one by one: no batches. */
    public static final int DEFAULT_BATCH = 1;
    /** Largest batch per item: memory and checkpoint size stay bounded by it per item. */
    public static final int MAX_BATCH = 10_000;
    /** Timestamp of the event-time timer that flushes a pending batch at the end of a bounded input. */
    static final long END_OF_INPUT = Long.MAX_VALUE;

    private final DecayPolicy decay;
    private final int publishTop;
    private final long publishIntervalMillis;
    private final int batch;

    private transient ValueState<FollowerState> state;
    /** Per from-item, its buffered transitions in arrival order; empty without batches. */
    private transient Map<String, List<ItemTransition>> pending;

    private transient ListState<ItemTransition> pendingState;
    private transient Counter transitions;
    private transient Counter published;
    private transient Counter ignored;

    /** All defaults: half-life 7 days, 50 followers kept, top 20 published at most once a second. */
    public CoVisitation() {
        this(builder());
    }

    private CoVisitation(Builder b) {
        this.decay = new DecayPolicy(b.halfLife, b.maxFollowers);
        this.publishTop = b.publishTop;
        this.publishIntervalMillis = b.publishInterval.toMillis();
        this.batch = b.batch;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The half-life and the per-item bound ({@link DecayPolicy#maxEntries()} is {@code maxFollowers}). */
    public DecayPolicy decay() {
        return decay;
    }

    public int publishTop() {
        return publishTop;
    }

    public long publishIntervalMillis() {
        return publishIntervalMillis;
    }

    /** Transitions buffered per item before they are applied; 1: each at once. */
    public int batch() {
        return batch;
    }

    /** The descriptor of the transitions buffered at a checkpoint (union list operator state). */
    public static ListStateDescriptor<ItemTransition> createPendingDescriptor() {
        return new ListStateDescriptor<>(PENDING_STATE_NAME, TypeInformation.of(ItemTransition.class));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new HashMap<>();
        pendingState = context.getOperatorStateStore().getUnionListState(createPendingDescriptor());
        if (!context.isRestored()) {
            return;
        }
        var task = getRuntimeContext().getTaskInfo();
        for (ItemTransition t : pendingState.get()) {
            if (KeyOwnership.ownedHere(t.fromItem, task)) {
                pending.computeIfAbsent(t.fromItem, k -> new ArrayList<>()).add(t);
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<ItemTransition> all = new ArrayList<>();
        for (List<ItemTransition> b : pending.values()) {
            all.addAll(b);
        }
        pendingState.update(all);
    }

    /** The per-item state descriptor; no TTL (see the class comment). */
    public static ValueStateDescriptor<FollowerState> createStateDescriptor() {
        return new ValueStateDescriptor<>(STATE_NAME, TypeInformation.of(FollowerState.class));
    }

    /** The broadcast descriptor under which readers keep the latest {@link ItemFollowers} per item. */
    public static MapStateDescriptor<String, ItemFollowers> createBroadcastDescriptor() {
        return new MapStateDescriptor<>(BROADCAST_STATE_NAME, Types.STRING, TypeInformation.of(ItemFollowers.class));
    }

    /** Keys by the item the user came from. */
    public static KeySelector<ItemTransition, String> keySelector() {
        return t -> t.fromItem;
    }

    /**
     * Whether a reader holding {@code current} (null: nothing yet) should replace it by {@code
     * incoming}: when its version is at least as large. Equal versions take the later, which makes a
     * re-delivery after a restore harmless. A null {@code incoming} never wins.
     */
    public static boolean newer(ItemFollowers current, ItemFollowers incoming) {
        return incoming != null && (current == null || incoming.version >= current.version);
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(createStateDescriptor());
        var metrics = getRuntimeContext().getMetricGroup();
        transitions = metrics.counter(TRANSITIONS_METRIC);
        published = metrics.counter(PUBLISHED_METRIC);
        ignored = metrics.counter(IGNORED_METRIC);
    }

    @Override
    public void processElement(ItemTransition t, Context ctx, Collector<ItemFollowers> out) throws Exception {
        if (t == null
                || t.fromItem == null
                || t.toItem == null
                || t.fromItem.equals(t.toItem)
                || !(t.weight > 0)
                || Double.isInfinite(t.weight)) {
            ignored.inc();
            return;
        }
        transitions.inc();
        String item = ctx.getCurrentKey();
        if (batch > 1) {
            List<ItemTransition> b = pending.get(item);
            if (b == null) {
                b = new ArrayList<>();
                pending.put(item, b);
                TimerService timers = ctx.timerService();
                timers.registerProcessingTimeTimer(
                        nextDue(timers.currentProcessingTime(), publishIntervalMillis, item));
                timers.registerEventTimeTimer(END_OF_INPUT);
            }
            // A copy: with object reuse on, the runtime may recycle the incoming record.
            b.add(new ItemTransition(t.fromItem, t.toItem, t.eventTime, t.weight).withCategory(t.toCategory));
            if (b.size() >= batch) {
                pending.remove(item);
                FollowerState s = apply(state.value(), b);
                state.update(s); // published by the timers the batch registered
            }
            return;
        }
        // One by one; a batch restored from a checkpoint taken with batches on goes first.
        List<ItemTransition> restored = pending.remove(item);
        FollowerState s = apply(state.value(), restored == null ? List.of() : restored);
        s = apply(s, List.of(t));
        CoalescedEmission.schedule(s, ctx.timerService(), publishIntervalMillis);
        state.update(s);
    }

    /** Adds the transitions to the item's followers in order; returns the (new, if null) state. */
    private FollowerState apply(FollowerState s, List<ItemTransition> steps) {
        if (s == null) {
            s = new FollowerState();
        }
        if (s.followers == null) {
            s.followers = new DecayedScores();
        }
        for (ItemTransition t : steps) {
            s.followers.add(t.toItem, t.weight, t.toCategory, t.eventTime, decay);
            s.eventTime = Math.max(s.eventTime, t.eventTime);
            s.pendingUpdates++;
        }
        return s;
    }

    /**
     * The first instant after {@code now} that is a multiple of {@code interval} shifted by the
     * item's phase ({@code hash mod interval}): at most {@code interval} ahead, the same for every
     * {@code now} of one period, and spread over the interval across items.
     */
    static long nextDue(long now, long interval, String item) {
        long phase = Math.floorMod((long) item.hashCode(), interval);
        return Math.floorDiv(now - phase, interval) * interval + phase + interval;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ItemFollowers> out) throws Exception {
        List<ItemTransition> b = pending.remove(ctx.getCurrentKey());
        FollowerState s = state.value();
        if (s == null && b == null) {
            return;
        }
        if (b != null) {
            s = apply(s, b);
        }
        TimerService timers = ctx.timerService();
        if (batch > 1) {
            endBatchPeriod(s, timestamp, ctx.timeDomain(), timers);
        } else if (!CoalescedEmission.fire(s, timestamp, ctx.timeDomain(), timers)) {
            if (b != null) {
                // A restored batch applied on a leftover timer: publish it within the interval.
                CoalescedEmission.schedule(s, timers, publishIntervalMillis);
                state.update(s);
            }
            return;
        }
        if (s.nextVersion()) {
            out.collect(top(ctx.getCurrentKey(), s.followers, publishTop, s.version, s.eventTime));
            published.inc();
        }
        state.update(s);
    }

    /**
     * With batches, any timer of the item publishes what is pending: the processing-time timer deletes
     * the end-of-input one, and timers of a one-by-one period (from a savepoint taken without
     * batches) end with it.
     */
    private static void endBatchPeriod(FollowerState s, long timestamp, TimeDomain domain, TimerService timers) {
        if (domain == TimeDomain.PROCESSING_TIME) {
            timers.deleteEventTimeTimer(END_OF_INPUT);
        }
        if (s.pendingTimer() != CoalescedEmission.NONE) {
            if (domain != TimeDomain.PROCESSING_TIME || timestamp != s.pendingTimer()) {
                timers.deleteProcessingTimeTimer(s.pendingTimer());
            }
            s.pendingTimer(CoalescedEmission.NONE);
        }
        s.flushArmed(false);
    }

    /** Transitions buffered on this subtask; for tests. */
    int pendingForTesting() {
        return pending.values().stream().mapToInt(List::size).sum();
    }

    /** The best {@code n} followers, score descending then id ascending (the reverse of eviction order). */
    static ItemFollowers top(String itemId, DecayedScores followers, int n, long version, long eventTime) {
        String[] keys = followers.keys;
        double[] values = followers.values;
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(values[b], values[a]);
            return c != 0 ? c : keys[a].compareTo(keys[b]);
        });
        int m = Math.min(n, order.length);
        String[] items = new String[m];
        double[] scores = new double[m];
        String[] categories = followers.labels == null ? null : new String[m];
        for (int i = 0; i < m; i++) {
            items[i] = keys[order[i]];
            scores[i] = values[order[i]];
            if (categories != null) {
                categories[i] = followers.labelAt(order[i]);
            }
        }
        return new ItemFollowers(itemId, items, scores, version, eventTime, categories);
    }

    /** Validated configuration of a {@link CoVisitation}; every setter checks its argument at once. */
    public static final class Builder {
        private Duration halfLife = DEFAULT_HALF_LIFE;
        private int maxFollowers = DEFAULT_MAX_FOLLOWERS;
        private int publishTop = DEFAULT_PUBLISH_TOP;
        private Duration publishInterval = DEFAULT_PUBLISH_INTERVAL;
        private int batch = DEFAULT_BATCH;

        private Builder() {}

        /**
         * Transitions of one item buffered before they are applied in one state read and write, in
         * [1, {@value #MAX_BATCH}]; 1 (the default) applies each at once. A batch is also applied when
         * the item's publish timer fires.
         */
        public Builder batch(int n) {
            if (n < 1 || n > MAX_BATCH) {
                throw new IllegalArgumentException("batch must be in [1, " + MAX_BATCH + "], got " + n);
            }
            this.batch = n;
            return this;
        }

        /** Event time after which a transition's weight counts half; at least 1 ms, default 7 days. */
        public Builder halfLife(Duration d) {
            if (d == null || d.toMillis() < 1) {
                throw new IllegalArgumentException("halfLife must be at least 1 ms, got " + d);
            }
            this.halfLife = d;
            return this;
        }

        /** Followers kept per item, in [1, {@value #MAX_FOLLOWERS_LIMIT}]; default {@value #DEFAULT_MAX_FOLLOWERS}. */
        public Builder maxFollowers(int n) {
            if (n < 1 || n > MAX_FOLLOWERS_LIMIT) {
                throw new IllegalArgumentException(
                        "maxFollowers must be in [1, " + MAX_FOLLOWERS_LIMIT + "], got " + n);
            }
            this.maxFollowers = n;
            return this;
        }

        /** Followers published per item, in [1, maxFollowers]; default {@value #DEFAULT_PUBLISH_TOP}. */
        public Builder publishTop(int n) {
            if (n < 1 || n > MAX_FOLLOWERS_LIMIT) {
                throw new IllegalArgumentException("publishTop must be in [1, " + MAX_FOLLOWERS_LIMIT + "], got " + n);
            }
            this.publishTop = n;
            return this;
        }

        /** Processing time after which an item's pending changes are published; at least 1 ms, default 1 s. */
        public Builder publishInterval(Duration d) {
            if (d == null || d.toMillis() < 1) {
                throw new IllegalArgumentException("publishInterval must be at least 1 ms, got " + d);
            }
            this.publishInterval = d;
            return this;
        }

        public CoVisitation build() {
            if (publishTop > maxFollowers) {
                // Publishing more than is kept would silently publish fewer than asked.
                throw new IllegalArgumentException(
                        "publishTop (" + publishTop + ") must not exceed maxFollowers (" + maxFollowers + ")");
            }
            return new CoVisitation(this);
        }
    }
}
