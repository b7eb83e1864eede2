package io.desire.operators.feedback;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Labels impressions from the feedback that follows them: the feedback join of the learning loop ({@code docs/models.md}).
 *
 * <p>Keyed by request id. For each (request, item): an impression at time {@code i} followed by a
 * click or purchase of the same item with event time in {@code [i, i + window]} (default
 * {@link #DEFAULT_WINDOW 30 min}) yields one positive {@link LabeledExample}, emitted as soon as both
 * are seen; otherwise one negative, emitted when the watermark passes {@code i + window}. Each
 * (request, item) yields at most one example: duplicate impressions and repeated clicks are ignored.
 *
 * <p><b>Out of order:</b> a click or purchase that arrives before its impression is buffered until the
 * watermark passes its event time plus {@link #DEFAULT_EARLY_FEEDBACK_GRACE a grace} (default 1 min);
 * an impression arriving meanwhile is matched against it and decided positive at once. Any impression
 * that is not late (its time is above the watermark when it arrives) finds the buffered click, since
 * the click's time is at or after the impression's; the grace additionally covers impressions that
 * are up to that much late. Feedback outside every window is counted in {@value #UNMATCHED_METRIC}
 * and dropped.
 *
 * <p><b>State:</b> {@code MapState<itemId, PendingItem>} ({@value #STATE_NAME}) per request, one entry per
 * item with an open label. <b>Timers:</b> one event-time timer per distinct expiry time in the request
 * (an impression's {@code i + window}, a buffered click's {@code c + grace}). Flink keeps one timer per
 * (key, timestamp), so the impressions of one request, which share a timestamp, cost one timer, and
 * every negative is emitted exactly at its own window end rather than at the request's latest one.
 * A timer removes every entry that expired by its time. <b>TTL:</b> none: every entry has a timer at
 * its expiry, so once the watermark passes the last window of a request its state and timers are
 * empty. (A processing-time TTL would only add ways to lose open labels during a backfill or a stall.)
 *
 * <p>Wiring: filter with {@link #isInput(Event)} (impressions, clicks and purchases that carry a
 * request id), key by {@link #keySelector()}; needs event-time timestamps and watermarks. Metrics:
 * counters {@value #POSITIVES_METRIC}, {@value #NEGATIVES_METRIC}, {@value #UNMATCHED_METRIC},
 * {@value #DUPLICATES_METRIC}.
 */
public class FeedbackJoin extends KeyedProcessFunction<String, Event, LabeledExample> {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
    public static final Duration DEFAULT_EARLY_FEEDBACK_GRACE = Duration.ofMinutes(1);
    public static final String STATE_NAME = "feedback-pending";
    public static final String POSITIVES_METRIC = "feedbackPositives";
    public static final String NEGATIVES_METRIC = "feedbackNegatives";
    public static final String UNMATCHED_METRIC = "feedbackUnmatched";
    public static final String DUPLICATES_METRIC = "feedbackDuplicatesIgnored";

    private final long window;
    private final long grace;

    private transient MapState<String, PendingItem> pending;
    private transient Counter positives;
    private transient Counter negatives;
    private transient Counter unmatched;
    private transient Counter duplicates;

    /** 30 min window, 1 min grace for feedback that arrives before its impression. */
    public FeedbackJoin() {
        this(DEFAULT_WINDOW, DEFAULT_EARLY_FEEDBACK_GRACE);
    }

    /**
     * @param window how long after an impression a click or purchase still counts; positive
     * @param earlyFeedbackGrace how long past its event time a click that arrived before its impression
     *     is kept waiting for it; ≥ 0
     */
    public FeedbackJoin(Duration window, Duration earlyFeedbackGrace) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be a positive duration, got " + window);
        }
        if (earlyFeedbackGrace == null || earlyFeedbackGrace.isNegative()) {
            throw new IllegalArgumentException("earlyFeedbackGrace must be ≥ 0, got " + earlyFeedbackGrace);
        }
        this.window = window.toMillis();
        this.grace = earlyFeedbackGrace.toMillis();
    }

    public static MapStateDescriptor<String, PendingItem> createStateDescriptor() {
        return new MapStateDescriptor<>(STATE_NAME, Types.STRING, TypeInformation.of(PendingItem.class));
    }

    /** Keys by request id. */
    public static KeySelector<Event, String> keySelector() {
        return e -> e.requestId;
    }

    /** Impressions, clicks and purchases with a request id and an item. */
    public static boolean isInput(Event e) {
        return e != null
                && e.requestId != null
                && e.itemId != null
                && (e.type == EventType.IMPRESSION || e.type == EventType.CLICK || e.type == EventType.PURCHASE);
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getMapState(createStateDescriptor());
        positives = getRuntimeContext().getMetricGroup().counter(POSITIVES_METRIC);
        negatives = getRuntimeContext().getMetricGroup().counter(NEGATIVES_METRIC);
        unmatched = getRuntimeContext().getMetricGroup().counter(UNMATCHED_METRIC);
        duplicates = getRuntimeContext().getMetricGroup().counter(DUPLICATES_METRIC);
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<LabeledExample> out) throws Exception {
        if (!isInput(e)) {
            return;
        }
        PendingItem p = pending.get(e.itemId);
        if (e.type == EventType.IMPRESSION) {
            onImpression(e, p, ctx, out);
        } else {
            onFeedback(e, p, ctx, out);
        }
    }

    private void onImpression(Event e, PendingItem p, Context ctx, Collector<LabeledExample> out) throws Exception {
        if (p != null && p.hasImpression()) {
            duplicates.inc();
            return;
        }
        long deadline = e.ts + window;
        PendingItem item = p == null ? new PendingItem() : p;
        item.userId = e.userId;
        item.category = e.category != null ? e.category : item.category;
        item.geoCell = e.geoCell;
        item.timeBucket = e.timeBucket;
        item.deviceClass = e.deviceClass;
        item.impressionTs = e.ts;
        item.expiresAt = deadline;
        if (p != null) {
            long match = firstWithin(p.firstFeedbackTs, p.lastFeedbackTs, e.ts, deadline);
            if (match != PendingItem.NONE) {
                item.decided = true;
                positives.inc();
                out.collect(example(ctx.getCurrentKey(), e.itemId, item, 1, match));
            }
        }
        pending.put(e.itemId, item);
        // Flink stores one timer per (key, timestamp): impressions of a request sharing a time share a timer
        ctx.timerService().registerEventTimeTimer(deadline);
    }

    private void onFeedback(Event e, PendingItem p, Context ctx, Collector<LabeledExample> out) throws Exception {
        if (p != null && p.hasImpression()) {
            if (p.decided) {
                duplicates.inc();
            } else if (e.ts >= p.impressionTs && e.ts <= p.impressionTs + window) {
                p.decided = true;
                pending.put(e.itemId, p);
                positives.inc();
                out.collect(example(ctx.getCurrentKey(), e.itemId, p, 1, e.ts));
            } else {
                unmatched.inc();
            }
            return;
        }
        // before its impression: buffer, keeping what an impression needs if it never carries it
        PendingItem item = p == null ? new PendingItem() : p;
        if (p == null) {
            item.userId = e.userId;
            item.geoCell = e.geoCell;
            item.timeBucket = e.timeBucket;
            item.deviceClass = e.deviceClass;
            item.expiresAt = Long.MIN_VALUE;
        }
        if (e.category != null) {
            item.category = e.category;
        }
        item.firstFeedbackTs = item.firstFeedbackTs == PendingItem.NONE ? e.ts : Math.min(item.firstFeedbackTs, e.ts);
        item.lastFeedbackTs = item.lastFeedbackTs == PendingItem.NONE ? e.ts : Math.max(item.lastFeedbackTs, e.ts);
        long expiry = e.ts + grace;
        if (expiry > item.expiresAt) {
            item.expiresAt = expiry;
            ctx.timerService().registerEventTimeTimer(expiry);
        }
        pending.put(e.itemId, item);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LabeledExample> out) throws Exception {
        List<Map.Entry<String, PendingItem>> negativesDue = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, PendingItem> entry : pending.entries()) {
            PendingItem p = entry.getValue();
            if (p.expiresAt > timestamp) {
                continue;
            }
            if (!p.hasImpression()) {
                unmatched.inc();
            } else if (!p.decided) {
                negativesDue.add(Map.entry(entry.getKey(), p));
            }
            expired.add(entry.getKey());
        }
        // remove by key, not through the iterator: the heap backend drops a key's map only when
        // remove() empties it, whereas iterator removal would leave an empty map behind per request
        for (String itemId : expired) {
            pending.remove(itemId);
        }
        // map iteration order differs between state backends; emit in item order so replays are identical
        negativesDue.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        for (Map.Entry<String, PendingItem> n : negativesDue) {
            negatives.inc();
            PendingItem p = n.getValue();
            out.collect(example(ctx.getCurrentKey(), n.getKey(), p, 0, p.impressionTs + window));
        }
    }

    /** The earliest of {@code first}, {@code last} within {@code [from, to]}, or {@link PendingItem#NONE}. */
    private static long firstWithin(long first, long last, long from, long to) {
        if (first != PendingItem.NONE && first >= from && first <= to) {
            return first;
        }
        if (last != PendingItem.NONE && last >= from && last <= to) {
            return last;
        }
        return PendingItem.NONE;
    }

    private static LabeledExample example(String requestId, String itemId, PendingItem p, int label, long decisionTs) {
        LabeledExample x = new LabeledExample();
        x.requestId = requestId;
        x.userId = p.userId;
        x.itemId = itemId;
        x.category = p.category;
        x.geoCell = p.geoCell;
        x.timeBucket = p.timeBucket;
        x.deviceClass = p.deviceClass;
        x.label = label;
        x.impressionTs = p.impressionTs;
        x.decisionTs = decisionTs;
        return x;
    }
}
