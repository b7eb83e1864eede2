package io.desire.operators;

import io.desire.features.event.Event;
import io.desire.features.privacy.DiscreteLaplace;
import io.desire.features.privacy.DpCounts;
import io.desire.features.privacy.DpParams;
import io.desire.features.profile.EventWeights;
import io.desire.features.ranking.TopItems;
import io.desire.features.ranking.TrendingItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Trending items per context: sliding event-time windows (size default 1 h, slide default 5 min)
 * over the weighted interactions ({@link EventWeights}) of each context key, emitting the top K
 * (default 50) items of every window as a {@link TrendingItems} when the watermark passes the
 * window's end. Windows are aligned to the epoch like Flink's {@code SlidingEventTimeWindows}: the
 * window ending at {@code E} (a multiple of the slide) covers {@code [E − size, E)} and fires at
 * {@code E − 1}; its output record has timestamp {@code E − 1}.
 *
 * <p><b>Why not the window API:</b> with {@code size/slide} = 12 overlapping windows, a window
 * aggregate would read and write 12 accumulators (each holding every item of the context) per event
 * in RocksDB. Here an event adds its weight to its pane's totals buffered on the heap ({@link
 * PendingPanes}), and each window is summed from its panes once per slide when it fires.
 *
 * <p><b>State:</b> map pane start → {@link PaneTotals} ({@value #STATE_NAME}), one entry per pane
 * still inside a window to fire, and one event-time timer per context at the next window end with
 * data. When a window fires, the context's buffered increments are merged into their panes (one read
 * and one write per pane), the window's {@code size/slide} panes are read by key, and the pane that
 * belongs to no later window is removed: a firing costs point reads, never a scan of the context's
 * items, so windows fired back to back over a sorted history stay cheap on RocksDB. <b>Exactly
 * once:</b> what is buffered at a checkpoint is written into it as operator state ({@value
 * #PENDING_STATE_NAME}, union list: after a restore, at any parallelism, each subtask keeps the panes
 * of the key groups it owns), together with the timers that will write it. State written by earlier
 * versions (map item → {@link ItemPanes}, {@value #LEGACY_STATE_NAME}) is moved into panes at the
 * context's first firing after a restore. <b>TTL:</b> none; cleanup is event-time driven, and when no
 * data is left no timer remains, so the state of a quiet context is empty once its last window has
 * fired. Events whose every window has already fired (too late for the watermark) are dropped and
 * counted in {@value #LATE_METRIC}; impressions and other zero-weight events are ignored.
 *
 * <p><b>Differentially private mode</b> (with {@link DpParams}, {@code privacy.dp.epsilon}): a
 * window's score of an item is then the number of distinct users who interacted with it, each user
 * counting for at most {@code k} items per window (the first {@code k} distinct items they touched in
 * it; contributions clamped to 1), released by {@link DpCounts}: published only when the noisy count
 * reaches the threshold derived from (ε, δ, k), with fresh discrete Laplace noise from
 * {@code SecureRandom}. Events without a user do not count. The extra state is map user →
 * {@link UserPanes} ({@value #USER_STATE_NAME}), cleaned like the item panes; it is empty when the
 * mode is off; this map is read whole at every firing, so the private mode costs more per window. What the guarantee covers is in docs/privacy.md (one window list of one context;
 * overlapping windows and several contexts compose). Metric {@value #SUPPRESSED_METRIC}: items with
 * interactions that a window did not publish.
 *
 * <p>Wiring: key by {@link #keySelector()} (the context key); the input needs event-time timestamps
 * and watermarks. Only behaviour events with a positive weight matter, so filtering with
 * {@link #counts(Event)} before the {@code keyBy} saves network. Note that one very busy context is a
 * hot key here.
 */
public class ContextTrending extends KeyedProcessFunction<String, Event, TrendingItems>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_SIZE = Duration.ofHours(1);
    public static final Duration DEFAULT_SLIDE = Duration.ofMinutes(5);
    public static final int DEFAULT_TOP_K = 50;
    public static final String STATE_NAME = "trending-panes";
    /** Operator state: the increments buffered on the heap at a checkpoint. */
    public static final String PENDING_STATE_NAME = "trending-pending-panes";
    /** Map item → {@link ItemPanes} of earlier versions; read once per context after a restore, then cleared. */
    public static final String LEGACY_STATE_NAME = "trending-item-panes";

    public static final String LATE_METRIC = "lateEventsDropped";
    public static final String WINDOWS_METRIC = "windowsEmitted";
    public static final String USER_STATE_NAME = "trending-user-panes";
    public static final String SUPPRESSED_METRIC = "dpItemsSuppressed";

    private final long size;
    private final long slide;
    private final int topK;
    private final EventWeights weights;
    /** Null: exact weighted totals; else distinct-user counts released with differential privacy. */
    private final DpParams dp;

    private transient MapState<Long, PaneTotals> panes;
    private transient MapState<String, ItemPanes> legacy;
    private transient MapState<String, UserPanes> userPanes;
    private transient PendingPanes pending;
    private transient ListState<PendingPane> pendingState;
    /** Contexts whose legacy state this run has already moved or found empty. */
    private transient Set<String> legacyChecked;

    private transient DpCounts release;
    private transient Counter suppressed;
    private transient Counter late;
    private transient Counter windows;

    /** Defaults: 1 h windows sliding by 5 min, top 50, default event weights. */
    public ContextTrending() {
        this(DEFAULT_SIZE, DEFAULT_SLIDE, DEFAULT_TOP_K, new EventWeights());
    }

    /**
     * @param size window size; a positive multiple of {@code slide}
     * @param slide window slide; positive
     * @param topK items per emitted window; ≥ 1
     * @param weights weight of each event type
     */
    public ContextTrending(Duration size, Duration slide, int topK, EventWeights weights) {
        this(size, slide, topK, weights, null);
    }

    /**
     * As above; with {@code dp} not null each window publishes distinct-user counts under that
     * differential-privacy budget instead of exact weighted totals.
     */
    public ContextTrending(Duration size, Duration slide, int topK, EventWeights weights, DpParams dp) {
        StateTtl.requirePositive("size", size);
        StateTtl.requirePositive("slide", slide);
        if (size.toMillis() % slide.toMillis() != 0) {
            throw new IllegalArgumentException(
                    "size must be a multiple of slide, got size " + size + " slide " + slide);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be ≥ 1, got " + topK);
        }
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        this.size = size.toMillis();
        this.slide = slide.toMillis();
        this.topK = topK;
        this.weights = weights;
        this.dp = dp;
    }

    /** Map pane start → the context's totals in that pane. */
    public static MapStateDescriptor<Long, PaneTotals> createStateDescriptor() {
        return new MapStateDescriptor<>(STATE_NAME, Types.LONG, TypeInformation.of(PaneTotals.class));
    }

    /** The state of earlier versions, map item → its panes; only read to move it into panes. */
    public static MapStateDescriptor<String, ItemPanes> createLegacyStateDescriptor() {
        return new MapStateDescriptor<>(LEGACY_STATE_NAME, Types.STRING, TypeInformation.of(ItemPanes.class));
    }

    /** The descriptor of the increments buffered at a checkpoint (union list operator state). */
    public static ListStateDescriptor<PendingPane> createPendingDescriptor() {
        return new ListStateDescriptor<>(PENDING_STATE_NAME, TypeInformation.of(PendingPane.class));
    }

    /** Map (pseudonymous) user id → the items they touched per pane; used only in the private mode. */
    public static MapStateDescriptor<String, UserPanes> createUserStateDescriptor() {
        return new MapStateDescriptor<>(USER_STATE_NAME, Types.STRING, TypeInformation.of(UserPanes.class));
    }

    /** Keys by {@link Event#contextKey()}. */
    public static KeySelector<Event, String> keySelector() {
        return Event::contextKey;
    }

    /** Whether an event can count in a window: a behaviour event with an item (its weight decides the rest). */
    public static boolean counts(Event e) {
        return e.type != null && e.type.isBehaviour() && e.itemId != null;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pending = new PendingPanes();
        pendingState = context.getOperatorStateStore().getUnionListState(createPendingDescriptor());
        if (!context.isRestored()) {
            return;
        }
        var task = getRuntimeContext().getTaskInfo();
        for (PendingPane p : pendingState.get()) {
            if (KeyOwnership.ownedHere(p.contextKey, task)) {
                pending.restore(p);
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pendingState.update(pending.snapshot());
    }

    @Override
    public void open(OpenContext openContext) {
        panes = getRuntimeContext().getMapState(createStateDescriptor());
        legacy = getRuntimeContext().getMapState(createLegacyStateDescriptor());
        legacyChecked = new HashSet<>();
        late = getRuntimeContext().getMetricGroup().counter(LATE_METRIC);
        windows = getRuntimeContext().getMetricGroup().counter(WINDOWS_METRIC);
        suppressed = getRuntimeContext().getMetricGroup().counter(SUPPRESSED_METRIC);
        userPanes = getRuntimeContext().getMapState(createUserStateDescriptor());
        release = dp == null ? null : new DpCounts(dp, new DiscreteLaplace());
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<TrendingItems> out) throws Exception {
        if (!counts(e)) {
            return;
        }
        double w = weights.weight(e.type, e.value);
        if (!(w > 0)) {
            return;
        }
        long wm = ctx.timerService().currentWatermark();
        long paneStart = Math.floorDiv(e.ts, slide) * slide;
        if (paneStart + size - 1 <= wm) {
            late.inc();
            return;
        }
        boolean firstOfPane = pending.add(ctx.getCurrentKey(), paneStart, e.itemId, w, e.category);
        if (dp != null && e.userId != null) {
            // panes whose last window fired at or before the watermark are no longer needed
            long dropBefore = wm == Long.MIN_VALUE ? Long.MIN_VALUE : wm + 1 - size;
            UserPanes user = userPanes.get(e.userId);
            if (user == null) {
                user = new UserPanes();
            }
            user.add(paneStart, e.itemId, dropBefore, 2 * dp.maxContributions());
            userPanes.put(e.userId, user);
        }
        if (firstOfPane) {
            // Later events of the pane need no timer: this one fires first and writes them all.
            long end = paneStart + slide;
            if (wm != Long.MIN_VALUE && end - 1 <= wm) {
                end = (Math.floorDiv(wm + 1, slide) + 1) * slide;
            }
            ctx.timerService().registerEventTimeTimer(end - 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingItems> out) throws Exception {
        long end = timestamp + 1;
        long start = end - size;
        long keepFrom = start + slide; // first pane of the next window
        String context = ctx.getCurrentKey();
        Map<Long, PaneTotals> written = writePending(context, start);
        PaneSums window = new PaneSums();
        boolean nextWindowHasData = false;
        for (long pane = start; pane < end; pane += slide) {
            PaneTotals totals = written.containsKey(pane) ? written.get(pane) : panes.get(pane);
            if (totals == null) {
                continue;
            }
            window.addAll(totals);
            if (pane >= keepFrom) {
                nextWindowHasData = true;
            } else {
                panes.remove(pane); // in no later window
            }
        }
        TopItems top;
        if (dp == null) {
            top = new TopItems(topK);
            for (Map.Entry<String, PaneSums.ItemSum> item : window.items().entrySet()) {
                top.offer(item.getKey(), item.getValue().weight, item.getValue().category);
            }
        } else {
            Map<String, String> categories = new HashMap<>();
            window.items().forEach((item, sum) -> {
                if (sum.category != null) {
                    categories.put(item, sum.category);
                }
            });
            top = privateTop(start, end, keepFrom, categories);
        }
        if (top.size() > 0) {
            out.collect(top.toTrending(context, end));
            windows.inc();
        }
        if (nextWindowHasData) {
            ctx.timerService().registerEventTimeTimer(end + slide - 1);
        }
    }

    /**
     * Writes the context's buffered increments (and, once per run, state of earlier versions) into
     * their panes; returns the panes written, by start. Panes before {@code start} are in no window
     * still to fire and are dropped.
     */
    private Map<Long, PaneTotals> writePending(String context, long start) throws Exception {
        NavigableMap<Long, PaneSums> arrived = pending.take(context);
        if (legacyChecked.add(context) && !legacy.isEmpty()) {
            arrived = withLegacy(arrived);
        }
        if (arrived == null) {
            return Map.of();
        }
        Map<Long, PaneTotals> written = new HashMap<>();
        for (Map.Entry<Long, PaneSums> e : arrived.tailMap(start, true).entrySet()) {
            PaneTotals stored = panes.get(e.getKey());
            PaneSums merged = new PaneSums();
            if (stored != null) {
                merged.addAll(stored);
            }
            merged.addAll(e.getValue());
            PaneTotals totals = merged.toTotals();
            panes.put(e.getKey(), totals);
            written.put(e.getKey(), totals);
        }
        return written;
    }

    /**
     * {@code arrived} (may be null) plus the context's state of earlier versions, which is cleared:
     * each item's panes, each with the item's category.
     */
    private NavigableMap<Long, PaneSums> withLegacy(NavigableMap<Long, PaneSums> arrived) throws Exception {
        NavigableMap<Long, PaneSums> all = new TreeMap<>();
        for (Map.Entry<String, ItemPanes> entry : legacy.entries()) {
            ItemPanes item = entry.getValue();
            for (int i = 0; i < item.paneStarts.length; i++) {
                all.computeIfAbsent(item.paneStarts[i], k -> new PaneSums())
                        .add(entry.getKey(), item.weights[i], item.category);
            }
        }
        legacy.clear();
        if (arrived != null) {
            arrived.forEach((pane, sums) ->
                    all.computeIfAbsent(pane, k -> new PaneSums()).addAll(sums));
        }
        return all;
    }

    /** (Context, pane) pairs buffered on this subtask; for tests. */
    int pendingPanesForTesting() {
        return pending.panes();
    }

    /**
     * The private mode's list of the window {@code [start, end)}: each user's first k distinct items
     * count 1 each, released through {@link DpCounts}; user entries with no pane from
     * {@code keepFrom} on are removed.
     */
    private TopItems privateTop(long start, long end, long keepFrom, Map<String, String> categories) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        int k = dp.maxContributions();
        List<String> finishedUsers = new ArrayList<>();
        for (Map.Entry<String, UserPanes> entry : userPanes.entries()) {
            UserPanes user = entry.getValue();
            Set<String> counted = new HashSet<>();
            for (int i = 0; i < user.paneStarts.length && counted.size() < k; i++) {
                long s = user.paneStarts[i];
                if (s >= start && s < end && counted.add(user.items[i])) {
                    counts.merge(user.items[i], 1L, Long::sum);
                }
            }
            if (!user.retainFrom(keepFrom)) {
                finishedUsers.add(entry.getKey());
            } else {
                userPanes.put(entry.getKey(), user);
            }
        }
        for (String u : finishedUsers) {
            userPanes.remove(u);
        }
        List<String> items = new ArrayList<>(counts.keySet());
        long[] values = new long[items.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = counts.get(items.get(i));
        }
        List<DpCounts.Released> released = release.release(items, values);
        suppressed.inc(items.size() - released.size());
        TopItems top = new TopItems(topK);
        for (DpCounts.Released r : released) {
            top.offer(r.item(), r.count(), categories.get(r.item()));
        }
        return top;
    }
}
