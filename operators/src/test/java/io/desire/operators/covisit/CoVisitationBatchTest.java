package io.desire.operators.covisit;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.operators.Harnesses;
import io.desire.operators.als.ItemTransition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CoVisitation} with batches: the same followers as one by one, fewer state accesses, nothing lost. */
class CoVisitationBatchTest {
    private static final int MAX_PARALLELISM = 128;
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final long LATER = 100_000L;

    private static CoVisitation oneByOne() {
        return CoVisitation.builder()
                .maxFollowers(5)
                .publishTop(3)
                .publishInterval(INTERVAL)
                .build();
    }

    private static CoVisitation batched(int n) {
        return CoVisitation.builder()
                .maxFollowers(5)
                .publishTop(3)
                .publishInterval(INTERVAL)
                .batch(n)
                .build();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> harness(
            CoVisitation fn, boolean rocksDb, OperatorSubtaskState restoreFrom, int parallelism, int subtask)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn),
                CoVisitation.keySelector(),
                Types.STRING,
                MAX_PARALLELISM,
                parallelism,
                subtask);
        return Harnesses.opened(h, rocksDb, restoreFrom);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> harness(
            CoVisitation fn, boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        return harness(fn, rocksDb, restoreFrom, 1, 0);
    }

    /** 400 transitions over 6 items (more than maxFollowers followers each), event times rising with jitter. */
    private static List<ItemTransition> history() {
        Random r = new Random(42);
        List<ItemTransition> out = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String from = "i" + r.nextInt(6);
            String to = "i" + r.nextInt(12);
            if (from.equals(to)) {
                continue;
            }
            long t = 1_000_000L + i * 60_000L + r.nextInt(120_000);
            out.add(new ItemTransition(from, to, t, 1 + r.nextInt(3)).withCategory("c" + r.nextInt(2)));
        }
        return out;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> h, List<ItemTransition> steps)
            throws Exception {
        for (ItemTransition t : steps) {
            h.processElement(t, t.eventTime);
        }
    }

    /** The last list published per item. */
    private static Map<String, ItemFollowers> published(
            KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> h) {
        Map<String, ItemFollowers> out = new HashMap<>();
        for (ItemFollowers f : h.extractOutputValues()) {
            out.put(f.itemId, f);
        }
        return out;
    }

    private static FollowerState state(
            KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> h, String key)
            throws Exception {
        ValueStateDescriptor<FollowerState> d = CoVisitation.createStateDescriptor();
        KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(key);
        ValueState<FollowerState> s =
                backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d);
        FollowerState value = s.value();
        d.initializeSerializerUnlessSet(new ExecutionConfig());
        return value == null ? null : d.getSerializer().copy(value);
    }

    /** What one-by-one application publishes for {@link #history()}, once every timer has fired. */
    private static Map<String, ItemFollowers> reference() throws Exception {
        try (var h = harness(oneByOne(), false, null)) {
            send(h, history());
            h.setProcessingTime(LATER);
            return published(h);
        }
    }

    @ParameterizedTest(name = "batch={0}")
    @ValueSource(ints = {2, 7, 256})
    void batchesPublishExactlyTheListsOfOneByOneApplication(int n) throws Exception {
        Map<String, ItemFollowers> expected = reference();
        try (var h = harness(batched(n), false, null)) {
            send(h, history());
            h.setProcessingTime(LATER);
            Map<String, ItemFollowers> actual = published(h);
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            for (String item : expected.keySet()) {
                ItemFollowers e = expected.get(item);
                ItemFollowers a = actual.get(item);
                assertThat(a.items).as(item).containsExactly(e.items);
                assertThat(a.scores).as(item).containsExactly(e.scores);
                assertThat(a.categories).as(item).containsExactly(e.categories);
                assertThat(a.eventTime).as(item).isEqualTo(e.eventTime);
                assertThat(a.version).as("one publication per period").isEqualTo(1L);
            }
            assertThat(h.numProcessingTimeTimers() + h.numEventTimeTimers())
                    .as("no timers left")
                    .isZero();
        }
    }

    @Test
    void aBatchWaitsForItsTimerOrItsSizeBound() throws Exception {
        CoVisitation fn = batched(3);
        try (var h = harness(fn, false, null)) {
            send(h, List.of(new ItemTransition("a", "b", 10L, 1), new ItemTransition("a", "c", 11L, 1)));
            assertThat(state(h, "a")).as("nothing applied yet").isNull();
            assertThat(fn.pendingForTesting()).isEqualTo(2);

            send(h, List.of(new ItemTransition("a", "d", 12L, 1)));
            assertThat(fn.pendingForTesting()).as("the bound applies the batch").isZero();
            assertThat(state(h, "a").followers.keys).containsExactlyInAnyOrder("b", "c", "d");
            assertThat(h.extractOutputValues())
                    .as("published by the timer, not by the bound")
                    .isEmpty();

            h.setProcessingTime(LATER);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void theFinalWatermarkPublishesPendingBatches() throws Exception {
        try (var h = harness(batched(256), false, null)) {
            send(h, history());
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(published(h).keySet()).isEqualTo(reference().keySet());
        }
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void aCheckpointKeepsTheBufferedTransitionsAndTheirTimers(boolean rocksDb) throws Exception {
        Map<String, ItemFollowers> expected = reference();
        List<ItemTransition> all = history();
        OperatorSubtaskState snapshot;
        try (var h = harness(batched(256), rocksDb, null)) {
            send(h, all.subList(0, 250));
            h.setProcessingTime(LATER); // a first publication
            send(h, all.subList(250, all.size()));
            snapshot = h.snapshot(1L, 1L);
        }
        CoVisitation restored = batched(256);
        try (var h = harness(restored, rocksDb, snapshot)) {
            assertThat(restored.pendingForTesting()).isEqualTo(all.size() - 250);
            h.setProcessingTime(2 * LATER);
            Map<String, ItemFollowers> actual = published(h);
            for (String item : expected.keySet()) {
                assertThat(actual.get(item).items).as(item).containsExactly(expected.get(item).items);
                assertThat(actual.get(item).scores).as(item).containsExactly(expected.get(item).scores);
            }
        }
    }

    @Test
    void aRestoreAtAnotherParallelismKeepsEachBatchOnItsItemsSubtask() throws Exception {
        List<ItemTransition> all = history();
        OperatorSubtaskState snapshot;
        try (var h = harness(batched(256), false, null)) {
            send(h, all);
            snapshot = h.snapshot(1L, 1L);
        }
        Map<String, ItemFollowers> actual = new HashMap<>();
        int buffered = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    snapshot, MAX_PARALLELISM, 1, 2, subtask);
            CoVisitation fn = batched(256);
            try (var h = harness(fn, false, part, 2, subtask)) {
                buffered += fn.pendingForTesting();
                h.setProcessingTime(LATER);
                actual.putAll(published(h));
            }
        }
        assertThat(buffered).as("every transition once").isEqualTo(all.size());
        Map<String, ItemFollowers> expected = reference();
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String item : expected.keySet()) {
            assertThat(actual.get(item).scores).as(item).containsExactly(expected.get(item).scores);
        }
    }

    @Test
    void aSavepointTakenWithoutBatchesRestoresIntoBatches() throws Exception {
        Map<String, ItemFollowers> expected = reference();
        List<ItemTransition> all = history();
        OperatorSubtaskState snapshot;
        try (var h = harness(oneByOne(), true, null)) {
            send(h, all.subList(0, 200)); // pending one-by-one periods with their timers
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(batched(256), true, snapshot)) {
            send(h, all.subList(200, all.size()));
            h.setProcessingTime(LATER);
            Map<String, ItemFollowers> actual = published(h);
            for (String item : expected.keySet()) {
                assertThat(actual.get(item).scores).as(item).containsExactly(expected.get(item).scores);
            }
            for (String item : expected.keySet()) {
                FollowerState s = state(h, item);
                assertThat(s.pendingTimer())
                        .as("the old period's bookkeeping is cleared")
                        .isEqualTo(Long.MIN_VALUE);
                assertThat(s.flushArmed()).isFalse();
            }
            assertThat(h.numProcessingTimeTimers() + h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aCheckpointTakenWithBatchesRestoresIntoOneByOne() throws Exception {
        Map<String, ItemFollowers> expected = reference();
        List<ItemTransition> all = history();
        OperatorSubtaskState snapshot;
        try (var h = harness(batched(256), false, null)) {
            send(h, all.subList(0, 200));
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(oneByOne(), false, snapshot)) {
            send(h, all.subList(200, all.size()));
            h.setProcessingTime(LATER);
            h.setProcessingTime(2 * LATER);
            Map<String, ItemFollowers> actual = published(h);
            for (String item : expected.keySet()) {
                assertThat(actual.get(item).scores).as(item).containsExactly(expected.get(item).scores);
            }
        }
    }

    @Test
    void theBatchBoundIsValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> CoVisitation.builder().batch(0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> CoVisitation.builder().batch(CoVisitation.MAX_BATCH + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CoVisitation.builder().build().batch()).isEqualTo(CoVisitation.DEFAULT_BATCH);
    }
}
