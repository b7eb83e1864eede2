package io.desire.operators;

import static io.desire.operators.TestEvents.behaviour;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.profile.EventWeights;
import io.desire.features.ranking.TopItems;
import io.desire.features.ranking.TrendingItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Context windows against a brute-force reference (every window summed from the events it accepted),
 * uninterrupted, across a checkpoint of the increments buffered on the heap (also at another
 * parallelism), and from the per-item state of earlier versions. Windows of 15 min sliding by 5 min,
 * top 3, default weights.
 */
class ContextTrendingRestoreTest {
    private static final long MIN = 60_000L;
    private static final long SIZE = 15 * MIN;
    private static final long SLIDE = 5 * MIN;
    private static final int TOP = 3;
    private static final int MAX_PARALLELISM = 128;
    private static final String[] CONTEXTS = {
        "u4pruy:weekday-evening:mobile", "u4pruy:weekend-morning:desktop", "gcpvj0:weekday-night:tablet"
    };
    private static final EventType[] TYPES = {EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART, EventType.PURCHASE
    };
    private static final EventWeights WEIGHTS = new EventWeights();

    /** One input step: an event, or a watermark when {@code event} is null. */
    private record Step(Event event, long watermark) {}

    /**
     * 600 events of 15 items (odd ones without a category) over 3 contexts, rising times with up to
     * 12 min of disorder (some late), a watermark 3 min behind the latest time every 20 events; the
     * first {@code quietEvents} see no watermark.
     */
    private static List<Step> history(int quietEvents) {
        Random r = new Random(7);
        List<Step> steps = new ArrayList<>();
        long latest = 0;
        for (int i = 0; i < 600; i++) {
            long ts = 100 * MIN + i * 20_000L - r.nextInt(12 * 60) * 1_000L;
            latest = Math.max(latest, ts);
            int item = r.nextInt(15);
            String category = item % 2 == 0 ? "c" + item : null;
            Event e = behaviour(
                    TYPES[r.nextInt(TYPES.length)],
                    "u" + r.nextInt(40),
                    "i" + item,
                    category,
                    ts,
                    CONTEXTS[r.nextInt(CONTEXTS.length)]);
            steps.add(new Step(e, 0));
            if (i >= quietEvents && i % 20 == 19) {
                steps.add(new Step(null, latest - 3 * MIN));
            }
        }
        steps.add(new Step(null, Long.MAX_VALUE));
        return steps;
    }

    /** Every window's top items, summed from the events that arrived before it fired and were not late. */
    private static List<String> reference(List<Step> steps) {
        Map<String, Map<Long, Map<String, Double>>> windows = new HashMap<>(); // context → end → item → sum
        long wm = Long.MIN_VALUE;
        for (Step s : steps) {
            if (s.event() == null) {
                wm = Math.max(wm, s.watermark());
                continue;
            }
            Event e = s.event();
            long pane = Math.floorDiv(e.ts, SLIDE) * SLIDE;
            for (long end = pane + SLIDE; end <= pane + SIZE; end += SLIDE) {
                if (end - 1 > wm) {
                    windows.computeIfAbsent(e.contextKey(), k -> new TreeMap<>())
                            .computeIfAbsent(end, k -> new HashMap<>())
                            .merge(e.itemId, WEIGHTS.weight(e.type, e.value), Double::sum);
                }
            }
        }
        List<String> out = new ArrayList<>();
        windows.forEach((context, byEnd) -> byEnd.forEach((end, sums) -> {
            TopItems top = new TopItems(TOP);
            sums.forEach((item, sum) -> top.offer(item, sum, categoryOf(item)));
            out.add(describe(top.toTrending(context, end)));
        }));
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static String categoryOf(String item) {
        int i = Integer.parseInt(item.substring(1));
        return i % 2 == 0 ? "c" + i : null;
    }

    private static String describe(TrendingItems t) {
        return t.windowEnd + " " + t.contextKey + " " + Arrays.toString(t.items) + " " + Arrays.toString(t.scores) + " "
                + Arrays.toString(t.categories);
    }

    private static List<String> described(List<TrendingItems> out) {
        List<String> d = new ArrayList<>();
        out.forEach(t -> d.add(describe(t)));
        d.sort(Comparator.naturalOrder());
        return d;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, TrendingItems> harness(
            KeyedProcessFunction<String, Event, TrendingItems> fn,
            boolean rocksDb,
            OperatorSubtaskState restoreFrom,
            int parallelism,
            int subtask)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn),
                ContextTrending.keySelector(),
                Types.STRING,
                MAX_PARALLELISM,
                parallelism,
                subtask);
        return Harnesses.opened(h, rocksDb, restoreFrom);
    }

    private static ContextTrending trending() {
        return new ContextTrending(Duration.ofMillis(SIZE), Duration.ofMillis(SLIDE), TOP, WEIGHTS);
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, Event, TrendingItems> h, List<Step> steps)
            throws Exception {
        for (Step s : steps) {
            if (s.event() == null) {
                h.processWatermark(s.watermark());
            } else if (ContextTrending.counts(s.event())) {
                h.processElement(s.event(), s.event().ts);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyWindowEqualsTheSumOfTheEventsItAccepted(boolean rocksDb) throws Exception {
        List<Step> steps = history(0);
        try (var h = harness(trending(), rocksDb, null, 1, 0)) {
            feed(h, steps);
            assertThat(described(h.extractOutputValues())).isEqualTo(reference(steps));
            assertThat(TestEvents.keyedStateEntries(h, ContextTrending.STATE_NAME))
                    .isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void incrementsBufferedAtACheckpointRestoreAtAnotherParallelism(boolean rocksDb) throws Exception {
        List<Step> steps = history(0);
        int cut = 301; // between two watermarks: panes hold increments not yet written
        List<TrendingItems> out = new ArrayList<>();
        OperatorSubtaskState snapshot;
        int buffered;
        ContextTrending first = trending();
        try (var h = harness(first, rocksDb, null, 1, 0)) {
            feed(h, steps.subList(0, cut));
            out.addAll(h.extractOutputValues());
            buffered = first.pendingPanesForTesting();
            snapshot = h.snapshot(1L, 1L);
        }
        assertThat(buffered).isPositive();
        int restored = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    snapshot, MAX_PARALLELISM, 1, 2, subtask);
            ContextTrending fn = trending();
            try (var h = harness(fn, rocksDb, part, 2, subtask)) {
                restored += fn.pendingPanesForTesting();
                feed(h, ownedBy(steps.subList(cut, steps.size()), subtask));
                out.addAll(h.extractOutputValues());
                assertThat(fn.pendingPanesForTesting()).as("written at the end").isZero();
            }
        }
        assertThat(restored).as("every buffered pane on exactly one subtask").isEqualTo(buffered);
        assertThat(described(out)).isEqualTo(reference(steps));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theStateOfEarlierVersionsIsMovedIntoPanes(boolean rocksDb) throws Exception {
        List<Step> steps = history(200);
        int cut = 200; // no watermark yet: the earlier version has only written its per-item state
        OperatorSubtaskState snapshot;
        try (var h = harness(new EarlierContextTrending(SLIDE, WEIGHTS, false), rocksDb, null, 1, 0)) {
            feed(h, steps.subList(0, cut));
            assertThat(TestEvents.keyedStateEntries(h, ContextTrending.LEGACY_STATE_NAME))
                    .isPositive();
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(trending(), rocksDb, snapshot, 1, 0)) {
            feed(h, steps.subList(cut, steps.size()));
            assertThat(described(h.extractOutputValues())).isEqualTo(reference(steps));
            assertThat(TestEvents.keyedStateEntries(h, ContextTrending.STATE_NAME, ContextTrending.LEGACY_STATE_NAME))
                    .isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void whileTheWatermarkStandsStillTheBufferStaysBoundedAndNothingIsLost(boolean rocksDb) throws Exception {
        List<Step> steps = history(200); // 200 events before the first watermark
        int limit = 20;
        ContextTrending fn =
                new ContextTrending(Duration.ofMillis(SIZE), Duration.ofMillis(SLIDE), TOP, WEIGHTS, null, limit);
        try (var h = harness(fn, rocksDb, null, 1, 0)) {
            for (int i = 0; i < steps.size(); i++) {
                feed(h, steps.subList(i, i + 1));
                assertThat(fn.pendingEntriesForTesting()).as("after step %d", i).isLessThanOrEqualTo(limit + 1);
                if (i == 199) {
                    assertThat(h.extractOutputValues())
                            .as("no window fired yet")
                            .isEmpty();
                    assertThat(TestEvents.keyedStateEntries(h, ContextTrending.STATE_NAME))
                            .as("written to state instead")
                            .isPositive();
                }
            }
            assertThat(described(h.extractOutputValues())).isEqualTo(reference(steps));
            assertThat(TestEvents.keyedStateEntries(h, ContextTrending.STATE_NAME))
                    .isZero();
        }
    }

    /** The events of the contexts whose key groups the subtask (of 2) owns, and every watermark. */
    private static List<Step> ownedBy(List<Step> steps, int subtask) {
        List<Step> mine = new ArrayList<>();
        for (Step s : steps) {
            if (s.event() == null
                    || KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                    s.event().contextKey(), MAX_PARALLELISM, 2)
                            == subtask) {
                mine.add(s);
            }
        }
        return mine;
    }
}
