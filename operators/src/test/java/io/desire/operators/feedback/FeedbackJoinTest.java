package io.desire.operators.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Window 30 min, early-feedback grace 1 min. */
class FeedbackJoinTest {
    private static final long MIN = 60_000L;
    private static final long T0 = 1_700_000_000_000L;
    private static int sequence;

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, LabeledExample> harness(boolean rocksDb)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FeedbackJoin()), FeedbackJoin.keySelector(), Types.STRING, 128, 1, 0);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        h.open();
        return h;
    }

    private static Event event(EventType type, String request, String item, long ts) {
        Event e = new Event();
        e.eventId = "e" + (++sequence);
        e.type = type;
        e.requestId = request;
        e.userId = "user-" + request;
        e.itemId = item;
        e.category = "cat-" + item;
        e.ts = ts;
        e.geoCell = "u4pruy";
        e.timeBucket = "weekday-evening";
        e.deviceClass = "mobile";
        return e;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Event, LabeledExample> h,
            EventType type,
            String request,
            String item,
            long ts)
            throws Exception {
        h.processElement(event(type, request, item, ts), ts);
    }

    private static long stateEntries(KeyedOneInputStreamOperatorTestHarness<String, Event, LabeledExample> h)
            throws Exception {
        KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
        if (backend instanceof HeapKeyedStateBackend) {
            return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
        }
        try (var keys = backend.getKeys(FeedbackJoin.STATE_NAME, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    /** Items with an open label in {@code request}'s state. */
    private static int pendingItems(
            KeyedOneInputStreamOperatorTestHarness<String, Event, LabeledExample> h, String request) throws Exception {
        KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(request);
        MapState<String, PendingItem> state = backend.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, FeedbackJoin.createStateDescriptor());
        int n = 0;
        for (String ignored : state.keys()) {
            n++;
        }
        return n;
    }

    private static void assertEmpty(KeyedOneInputStreamOperatorTestHarness<String, Event, LabeledExample> h)
            throws Exception {
        assertThat(stateEntries(h)).as("keyed state entries").isZero();
        assertThat(h.numEventTimeTimers()).as("event-time timers").isZero();
        assertThat(h.numProcessingTimeTimers()).as("processing-time timers").isZero();
    }

    private static LabeledExample expected(String request, String item, int label, long shown, long decided) {
        LabeledExample x = LabeledExample.of(event(EventType.IMPRESSION, request, item, shown), label);
        x.decisionTs = decided;
        return x;
    }

    @Test
    void clickWithinWindowIsPositiveAndTheRestNegativeWhenTheWindowCloses() throws Exception {
        runRequest(false);
    }

    @Test
    void worksOnRocksDb() throws Exception {
        runRequest(true);
    }

    private void runRequest(boolean rocksDb) throws Exception {
        try (var h = harness(rocksDb)) {
            send(h, EventType.IMPRESSION, "r1", "a", T0);
            send(h, EventType.IMPRESSION, "r1", "b", T0);
            send(h, EventType.IMPRESSION, "r1", "c", T0);
            assertThat(h.numEventTimeTimers())
                    .as("one timer for impressions sharing a deadline")
                    .isEqualTo(1);

            send(h, EventType.CLICK, "r1", "b", T0 + 5 * MIN);
            assertThat(h.extractOutputValues()).containsExactly(expected("r1", "b", 1, T0, T0 + 5 * MIN));

            h.processWatermark(T0 + 30 * MIN - 1);
            assertThat(h.extractOutputValues()).hasSize(1);

            h.processWatermark(T0 + 30 * MIN);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            expected("r1", "b", 1, T0, T0 + 5 * MIN),
                            expected("r1", "a", 0, T0, T0 + 30 * MIN),
                            expected("r1", "c", 0, T0, T0 + 30 * MIN));
            assertEmpty(h);
        }
    }

    @Test
    void feedbackAfterTheWindowLeavesTheImpressionNegative() throws Exception {
        try (var h = harness(false)) {
            send(h, EventType.IMPRESSION, "r2", "a", T0);
            send(h, EventType.CLICK, "r2", "a", T0 + 31 * MIN); // arrives before the watermark closes the window
            assertThat(h.extractOutputValues()).isEmpty();
            h.processWatermark(T0 + 40 * MIN);
            assertThat(h.extractOutputValues()).containsExactly(expected("r2", "a", 0, T0, T0 + 30 * MIN));
            assertEmpty(h);
        }
    }

    @Test
    void windowEndIsInclusiveAndPurchasesCount() throws Exception {
        try (var h = harness(false)) {
            send(h, EventType.IMPRESSION, "r3", "a", T0);
            send(h, EventType.PURCHASE, "r3", "a", T0 + 30 * MIN);
            h.processWatermark(T0 + 30 * MIN);
            assertThat(h.extractOutputValues()).containsExactly(expected("r3", "a", 1, T0, T0 + 30 * MIN));
            assertEmpty(h);
        }
    }

    @Test
    void clickArrivingBeforeItsImpressionIsMatched() throws Exception {
        try (var h = harness(false)) {
            send(h, EventType.CLICK, "r4", "a", T0 + 2 * MIN);
            assertThat(h.extractOutputValues()).isEmpty();
            send(h, EventType.IMPRESSION, "r4", "a", T0);
            send(h, EventType.IMPRESSION, "r4", "b", T0);
            assertThat(h.extractOutputValues()).containsExactly(expected("r4", "a", 1, T0, T0 + 2 * MIN));

            h.processWatermark(T0 + 30 * MIN);
            assertThat(h.extractOutputValues())
                    .containsExactly(
                            expected("r4", "a", 1, T0, T0 + 2 * MIN), expected("r4", "b", 0, T0, T0 + 30 * MIN));
            assertEmpty(h);
        }
    }

    @Test
    void bufferedClickWithoutImpressionExpiresAfterTheGrace() throws Exception {
        try (var h = harness(false)) {
            send(h, EventType.CLICK, "r5", "a", T0);
            h.processWatermark(T0 + MIN - 1);
            assertThat(pendingItems(h, "r5")).isEqualTo(1);
            h.processWatermark(T0 + MIN);
            assertThat(h.extractOutputValues()).isEmpty();
            assertEmpty(h);
        }
    }

    @Test
    void eachShownItemYieldsOneExampleDespiteRepeats() throws Exception {
        try (var h = harness(false)) {
            send(h, EventType.IMPRESSION, "r6", "a", T0);
            send(h, EventType.CLICK, "r6", "a", T0 + MIN);
            send(h, EventType.CLICK, "r6", "a", T0 + 2 * MIN);
            send(h, EventType.PURCHASE, "r6", "a", T0 + 3 * MIN);
            send(h, EventType.IMPRESSION, "r6", "a", T0 + 4 * MIN);
            h.processWatermark(T0 + 60 * MIN);
            assertThat(h.extractOutputValues()).containsExactly(expected("r6", "a", 1, T0, T0 + MIN));
            assertEmpty(h);
        }
    }

    @Test
    void impressionsAtDifferentTimesAreDecidedAtTheirOwnWindowEnds() throws Exception {
        try (var h = harness(false)) {
            send(h, EventType.IMPRESSION, "r7", "a", T0);
            send(h, EventType.IMPRESSION, "r7", "b", T0 + 10 * MIN);
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            h.processWatermark(T0 + 30 * MIN);
            assertThat(h.extractOutputValues()).containsExactly(expected("r7", "a", 0, T0, T0 + 30 * MIN));
            assertThat(pendingItems(h, "r7")).isEqualTo(1);
            h.processWatermark(T0 + 40 * MIN);
            List<LabeledExample> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            assertThat(out.get(1)).isEqualTo(expected("r7", "b", 0, T0 + 10 * MIN, T0 + 40 * MIN));
            assertEmpty(h);
        }
    }

    @Test
    void requestsAreIndependentAndOtherEventsIgnored() throws Exception {
        try (var h = harness(false)) {
            send(h, EventType.IMPRESSION, "r8", "a", T0);
            send(h, EventType.CLICK, "r9", "a", T0 + MIN); // another request: not a match
            send(h, EventType.VIEW, "r8", "a", T0 + MIN); // not feedback
            assertThat(FeedbackJoin.isInput(event(EventType.VIEW, "r8", "a", T0)))
                    .isFalse();
            Event noRequest = event(EventType.CLICK, "x", "a", T0);
            noRequest.requestId = null;
            assertThat(FeedbackJoin.isInput(noRequest)).isFalse();
            h.processWatermark(T0 + 30 * MIN);
            assertThat(h.extractOutputValues()).containsExactly(expected("r8", "a", 0, T0, T0 + 30 * MIN));
            assertEmpty(h);
        }
    }

    @Test
    void survivesASnapshotMidWindow() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(false)) {
            send(h, EventType.IMPRESSION, "r10", "a", T0);
            send(h, EventType.IMPRESSION, "r10", "b", T0);
            send(h, EventType.CLICK, "r10", "a", T0 + MIN);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FeedbackJoin()), FeedbackJoin.keySelector(), Types.STRING, 128, 1, 0)) {
            h.initializeState(snapshot);
            h.open();
            assertThat(pendingItems(h, "r10")).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            send(h, EventType.CLICK, "r10", "a", T0 + 2 * MIN); // already decided before the snapshot
            h.processWatermark(T0 + 30 * MIN);
            assertThat(h.extractOutputValues()).containsExactly(expected("r10", "b", 0, T0, T0 + 30 * MIN));
            assertEmpty(h);
        }
    }
}
