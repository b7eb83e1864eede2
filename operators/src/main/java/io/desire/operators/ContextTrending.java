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
 * of the key groups it owns), together with the timers that will write it. The buffer is bounded
 * ({@link #DEFAULT_BUFFER_LIMIT} entries a subtask): while the watermark stands still — an idle input
 * holds it until declared idle — events beyond the bound write their context's buffer to state at
 * once. State written by earlier
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
 * {@code SecureRandom}. Events without a user do not count. The extra state is map pane start →
 * {@link PaneUsers} (each user's distinct items in the pane, {@value #USER_STATE_NAME}), buffered,
 * written, read and removed with the item panes; it is empty when the mode is off. Earlier versions'
 * map user → {@link UserPanes} ({@value #LEGACY_USER_STATE_NAME}) is moved into it like the item
 * state. What the guarantee covers is in docs/privacy.md (one window list of one context;
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
    /**
     * Buffered (context, pane, item) entries per subtask above which each event writes its own
     * context's buffer to state: memory (and the operator state of a checkpoint) stays bounded while
     * the watermark stands still, as it does until an idle input is declared idle.
     */
    public static final int DEFAULT_BUFFER_LIMIT = 100_000;

    public static final String STATE_NAME = "trending-panes";
    /** Operator state: the increments buffered on the heap at a checkpoint. */
    public static final String PENDING_STATE_NAME = "trending-pending-panes";
    /** Map item → {@link ItemPanes} of earlier versions; read once per context after a restore, then cleared. */
    public static final String LEGACY_STATE_NAME = "trending-item-panes";

    public static final String LATE_METRIC = "lateEventsDropped";
    public static final String WINDOWS_METRIC = "windowsEmitted";
    public static final String USER_STATE_NAME = "trending-pane-users";
    /** Map user → {@link UserPanes} of earlier versions' private mode; moved into panes like {@link #LEGACY_STATE_NAME}. */
    public static final String LEGACY_USER_STATE_NAME = "trending-user-panes";

    public static final String SUPPRESSED_METRIC = "dpItemsSuppressed";

    private final long size;
    private final long slide;
    private final int topK;
    private final EventWeights weights;
    /** Null: exact weighted totals; else distinct-user counts released with differential privacy. */
    private final DpParams dp;
    /** Items buffered on the heap (over all contexts and panes) above which an event writes its context's. */
    private final int bufferLimit;

    private transient MapState<Long, PaneTotals> panes;
    private transient MapState<String, ItemPanes> legacy;
    private transient MapState<Long, PaneUsers> paneUsers;
    private transient MapState<String, UserPanes> legacyUsers;
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
        this(size, slide, topK, weights, dp, DEFAULT_BUFFER_LIMIT);
    }

    /** As above, with the bound of the heap buffer; for tests. */
    ContextTrending(Duration size, Duration slide, int topK, EventWeights weights, DpParams dp, int bufferLimit) {
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
        this.bufferLimit = bufferLimit;
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

    /** Map pane start → the items each (pseudonymous) user touched in it; used only in the private mode. */
    public static MapStateDescriptor<Long, PaneUsers> createUserStateDescriptor() {
        return new MapStateDescriptor<>(USER_STATE_NAME, Types.LONG, TypeInformation.of(PaneUsers.class));
    }

    /** The private mode's state of earlier versions, map user → their panes; only read to move it into panes. */
    public static MapStateDescriptor<String, UserPanes> createLegacyUserStateDescriptor() {
        return new MapStateDescriptor<>(LEGACY_USER_STATE_NAME, Types.STRING, TypeInformation.of(UserPanes.class));
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
        // 2k items per user and pane: enough to find a window's first k distinct items.
        pending = new PendingPanes(dp == null ? 0 : 2 * dp.maxContributions());
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
        paneUsers = getRuntimeContext().getMapState(createUserStateDescriptor());
        legacyUsers = getRuntimeContext().getMapState(createLegacyUserStateDescriptor());
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
        boolean firstOfPane =
                pending.add(ctx.getCurrentKey(), paneStart, e.itemId, w, e.category, dp == null ? null : e.userId);
        if (pending.entries() > bufferLimit) {
            writePending(ctx.getCurrentKey(), Long.MIN_VALUE); // its timers stay: they fire the windows
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
        Map<Long, Written> written = writePending(context, start);
        PaneSums window = new PaneSums();
        List<PaneUsers> windowUsers = new ArrayList<>();
        boolean nextWindowHasData = false;
        for (long pane = start; pane < end; pane += slide) {
            Written w = written.get(pane);
            PaneTotals totals = w != null ? w.totals() : panes.get(pane);
            if (totals == null) {
                continue;
            }
            window.addAll(totals);
            if (dp != null) {
                PaneUsers users = w != null ? w.users() : paneUsers.get(pane);
                if (users != null) {
                    windowUsers.add(users);
                }
            }
            if (pane >= keepFrom) {
                nextWindowHasData = true;
            } else { // in no later window
                panes.remove(pane);
                paneUsers.remove(pane);
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
            top = privateTop(windowUsers, categories);
        }
        if (top.size() > 0) {
            out.collect(top.toTrending(context, end));
            windows.inc();
        }
        if (nextWindowHasData) {
            ctx.timerService().registerEventTimeTimer(end + slide - 1);
        }
    }

    /** A pane as written at a firing: its totals, and its users' items in the private mode (else null). */
    private record Written(PaneTotals totals, PaneUsers users) {}

    /**
     * Writes the context's buffered increments (and, once per run, state of earlier versions) into
     * their panes; returns the panes written, by start. Panes before {@code start} are in no window
     * still to fire and are dropped.
     */
    private Map<Long, Written> writePending(String context, long start) throws Exception {
        NavigableMap<Long, PendingPanes.Pane> arrived = pending.take(context);
        if (legacyChecked.add(context) && !(legacy.isEmpty() && legacyUsers.isEmpty())) {
            arrived = withLegacy(arrived);
        }
        if (arrived == null) {
            return Map.of();
        }
        Map<Long, Written> written = new HashMap<>();
        for (Map.Entry<Long, PendingPanes.Pane> e : arrived.tailMap(start, true).entrySet()) {
            long pane = e.getKey();
            PendingPanes.Pane merged = pending.newPane();
            PaneTotals stored = panes.get(pane);
            if (stored != null) {
                merged.sums.addAll(stored);
            }
            merged.sums.addAll(e.getValue().sums);
            PaneTotals totals = merged.sums.toTotals();
            panes.put(pane, totals);
            PaneUsers users = null;
            if (merged.users != null) {
                PaneUsers storedUsers = paneUsers.get(pane);
                if (storedUsers != null) {
                    merged.users.addAll(storedUsers);
                }
                merged.users.addAll(e.getValue().users);
                users = merged.users.toPaneUsers();
                paneUsers.put(pane, users);
            }
            written.put(pane, new Written(totals, users));
        }
        return written;
    }

    /**
     * {@code arrived} (may be null) plus the context's state of earlier versions, which is cleared:
     * each item's panes, each with the item's category, and in the private mode each user's items.
     */
    private NavigableMap<Long, PendingPanes.Pane> withLegacy(NavigableMap<Long, PendingPanes.Pane> arrived)
            throws Exception {
        NavigableMap<Long, PendingPanes.Pane> all = new TreeMap<>();
        for (Map.Entry<String, ItemPanes> entry : legacy.entries()) {
            ItemPanes item = entry.getValue();
            for (int i = 0; i < item.paneStarts.length; i++) {
                all.computeIfAbsent(item.paneStarts[i], k -> pending.newPane())
                        .sums
                        .add(entry.getKey(), item.weights[i], item.category);
            }
        }
        for (Map.Entry<String, UserPanes> entry : legacyUsers.entries()) {
            UserPanes user = entry.getValue();
            for (int i = 0; i < user.paneStarts.length; i++) {
                PendingPanes.Pane pane = all.computeIfAbsent(user.paneStarts[i], k -> pending.newPane());
                if (pane.users != null) {
                    pane.users.add(entry.getKey(), user.items[i]);
                }
            }
        }
        legacy.clear();
        legacyUsers.clear();
        if (arrived != null) {
            arrived.forEach((start, pane) -> {
                PendingPanes.Pane into = all.computeIfAbsent(start, k -> pending.newPane());
                into.sums.addAll(pane.sums);
                if (into.users != null) {
                    into.users.addAll(pane.users);
                }
            });
        }
        return all;
    }

    /** (Context, pane) pairs buffered on this subtask; for tests. */
    int pendingPanesForTesting() {
        return pending.panes();
    }

    /** (Context, pane, item) entries buffered on this subtask; for tests. */
    int pendingEntriesForTesting() {
        return pending.entries();
    }

    /**
     * The private mode's list of a window whose panes' users are {@code windowUsers} (in pane order):
     * each user's first k distinct items count 1 each, released through {@link DpCounts}.
     */
    private TopItems privateTop(List<PaneUsers> windowUsers, Map<String, String> categories) {
        Map<String, Long> counts = distinctUserCounts(windowUsers, dp.maxContributions());
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

    /**
     * Per item, the number of users who count it in a window made of {@code panes} (in pane order):
     * each user counts for their first {@code k} distinct items, by pane, then arrival.
     */
    static Map<String, Long> distinctUserCounts(List<PaneUsers> panes, int k) {
        Map<String, Long> counts = new HashMap<>();
        Map<String, Set<String>> counted = new HashMap<>();
        for (PaneUsers pane : panes) {
            int from = 0;
            for (int u = 0; u < pane.users.length; u++) {
                Set<String> mine = counted.computeIfAbsent(pane.users[u], x -> new HashSet<>());
                for (int i = from; i < pane.itemEnds[u] && mine.size() < k; i++) {
                    if (mine.add(pane.items[i])) {
                        counts.merge(pane.items[i], 1L, Long::sum);
                    }
                }
                from = pane.itemEnds[u];
            }
        }
        return counts;
    }
}
