package io.desire.operators.covisit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.desire.operators.Harnesses;
import io.desire.operators.als.ItemTransition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Harness processing time starts at 0; transitions of weight w at event time t. */
class CoVisitationTest {
    private static final int MAX_PARALLELISM = 128;
    private static final long HOUR = 3_600_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> harness(
            CoVisitation fn, boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), CoVisitation.keySelector(), Types.STRING, MAX_PARALLELISM, 1, 0);
        return Harnesses.opened(h, rocksDb, restoreFrom);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> harness(
            CoVisitation fn) throws Exception {
        return harness(fn, false, null);
    }

    private static ItemTransition step(String from, String to, long t, double w) {
        return new ItemTransition(from, to, t, w);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> h, ItemTransition... steps)
            throws Exception {
        for (ItemTransition t : steps) {
            h.processElement(t, t.eventTime);
        }
    }

    private static List<ItemFollowers> drain(
            KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> h) {
        List<ItemFollowers> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    /** A copy of {@code key}'s state, read straight from the backend (the heap backend hands out the live object). */
    private static FollowerState state(
            KeyedOneInputStreamOperatorTestHarness<String, ItemTransition, ItemFollowers> h, String key)
            throws Exception {
        ValueStateDescriptor<FollowerState> d = CoVisitation.createStateDescriptor();
        KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
        Object before = backend.getCurrentKey();
        backend.setCurrentKey(key);
        try {
            ValueState<FollowerState> s =
                    backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d);
            FollowerState value = s.value();
            d.initializeSerializerUnlessSet(new ExecutionConfig());
            return value == null ? null : d.getSerializer().copy(value);
        } finally {
            if (before != null) {
                backend.setCurrentKey(before);
            }
        }
    }

    @Test
    void coalescesTransitionsIntoOnePublicationPerIntervalWithGrowingVersions() throws Exception {
        try (var h = harness(new CoVisitation())) {
            for (int n = 0; n < 10; n++) {
                h.setProcessingTime(10L * n);
                send(h, step("a", "b", 100L + n, 1.0), step("c", "d", 50L, 2.0));
            }
            assertThat(h.numProcessingTimeTimers()).as("one timer per item").isEqualTo(2);
            assertThat(h.extractOutputValues()).isEmpty();

            h.setProcessingTime(1_000L);
            List<ItemFollowers> first = drain(h);
            assertThat(first).extracting(f -> f.itemId).containsExactlyInAnyOrder("a", "c");
            assertThat(first).allSatisfy(f -> assertThat(f.version).isEqualTo(1L));
            ItemFollowers a =
                    first.stream().filter(f -> f.itemId.equals("a")).findFirst().orElseThrow();
            assertThat(a.items).containsExactly("b");
            assertThat(a.eventTime).isEqualTo(109L);
            // ten 1s within 9 ms of a 7-day half-life: barely decayed
            assertThat(a.scores[0]).isCloseTo(10.0, within(1e-6)).isLessThan(10.0);
            ItemFollowers c =
                    first.stream().filter(f -> f.itemId.equals("c")).findFirst().orElseThrow();
            assertThat(c.scores).containsExactly(20.0);
            assertThat(c.eventTime).isEqualTo(50L);
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).as("end-of-input timers deleted").isZero();

            h.setProcessingTime(5_000L);
            assertThat(h.extractOutputValues())
                    .as("nothing pending, nothing published")
                    .isEmpty();

            send(h, step("a", "e", 200L, 1.0), step("a", "e", 210L, 1.0));
            h.setProcessingTime(6_000L);
            assertThat(drain(h)).singleElement().satisfies(f -> {
                assertThat(f.itemId).isEqualTo("a");
                assertThat(f.version).isEqualTo(2L);
                assertThat(f.eventTime).isEqualTo(210L);
                assertThat(f.items).containsExactly("b", "e");
            });
            assertThat(state(h, "a").version).isEqualTo(2L);
            assertThat(state(h, "c").version).isEqualTo(1L);
        }
    }

    @Test
    void publishesTheTopNBestFirstTiesByItemId() throws Exception {
        CoVisitation fn = CoVisitation.builder().maxFollowers(10).publishTop(3).build();
        try (var h = harness(fn)) {
            send(
                    h,
                    step("a", "b", 0, 1.0),
                    step("a", "e", 0, 3.0),
                    step("a", "d", 0, 2.0),
                    step("a", "c", 0, 3.0),
                    step("a", "f", 0, 0.5));
            h.setProcessingTime(1_000L);
            ItemFollowers out = drain(h).get(0);
            assertThat(out.items).containsExactly("c", "e", "d");
            assertThat(out.scores).containsExactly(3.0, 3.0, 2.0);
            assertThat(out.categories).as("no transition carried a category").isNull();
            assertThat(state(h, "a").followers.size())
                    .as("all five kept, three published")
                    .isEqualTo(5);
        }
    }

    @Test
    void publishesTheLatestCategoryOfEachFollower() throws Exception {
        try (var h = harness(new CoVisitation())) {
            send(
                    h,
                    step("a", "b", 0, 2.0).withCategory("old"),
                    step("a", "c", 0, 1.0),
                    step("a", "b", 1, 1.0).withCategory("shoes"),
                    step("a", "b", 2, 1.0));
            h.setProcessingTime(1_000L);
            ItemFollowers out = drain(h).get(0);
            assertThat(out.items).containsExactly("b", "c");
            assertThat(out.categories).containsExactly("shoes", null);
        }
    }

    @Test
    void decaysInEventTimeSoRecentTransitionsOvertakeOldOnes() throws Exception {
        CoVisitation fn = CoVisitation.builder().halfLife(Duration.ofHours(1)).build();
        try (var h = harness(fn)) {
            // b: 3 at 0; c: 2 at 1 h; d: 4 at 0 arriving late. As of 1 h (one half-life):
            // b = 3·½ = 1.5, c = 2, d = 4·½ = 2 → c, d (tie by id), b
            send(h, step("a", "b", 0, 3.0), step("a", "c", HOUR, 2.0), step("a", "d", 0, 4.0));
            h.setProcessingTime(1_000L);
            ItemFollowers first = drain(h).get(0);
            assertThat(first.items).containsExactly("c", "d", "b");
            assertThat(first.scores).containsExactly(2.0, 2.0, 1.5);
            assertThat(first.eventTime).isEqualTo(HOUR);

            // wall-clock time decays nothing: ten days later the state is unchanged
            h.setProcessingTime(10 * 24 * HOUR);
            assertThat(state(h, "a").followers.valueAsOf("b")).isEqualTo(1.5);

            // b again at 2 h: b = 1.5·½ + 1 = 1.75, c = d = 2·½ = 1 → b, c, d
            send(h, step("a", "b", 2 * HOUR, 1.0));
            h.setProcessingTime(10 * 24 * HOUR + 1_000L);
            ItemFollowers second = drain(h).get(0);
            assertThat(second.items).containsExactly("b", "c", "d");
            assertThat(second.scores).containsExactly(1.75, 1.0, 1.0);
            assertThat(second.eventTime).isEqualTo(2 * HOUR);
            assertThat(second.version).isEqualTo(2L);
        }
    }

    @Test
    void keepsAtMostMaxFollowersEvictingTheWeakest() throws Exception {
        CoVisitation fn = CoVisitation.builder().maxFollowers(3).publishTop(3).build();
        try (var h = harness(fn)) {
            send(h, step("a", "b", 0, 1.0), step("a", "c", 0, 2.0), step("a", "d", 0, 3.0), step("a", "e", 0, 4.0));
            assertThat(state(h, "a").followers.keys).containsExactlyInAnyOrder("c", "d", "e");
            send(h, step("a", "f", 0, 0.5)); // weaker than all kept: evicted at once
            assertThat(state(h, "a").followers.keys).containsExactlyInAnyOrder("c", "d", "e");
            send(h, step("a", "b", 0, 5.0)); // b returns strong, c (2) goes
            h.setProcessingTime(1_000L);
            ItemFollowers out = drain(h).get(0);
            assertThat(out.items).containsExactly("b", "e", "d");
            assertThat(out.scores).containsExactly(5.0, 4.0, 3.0);

            // equal scores: the id that sorts last is evicted, the reverse of the publication order
            send(h, step("x", "s", 0, 1.0), step("x", "q", 0, 1.0), step("x", "r", 0, 1.0), step("x", "p", 0, 1.0));
            assertThat(state(h, "x").followers.keys).containsExactlyInAnyOrder("p", "q", "r");
        }
    }

    @Test
    void endOfInputFlushesPendingItemsAndLeavesNoTimers() throws Exception {
        try (var h = harness(new CoVisitation())) {
            send(h, step("a", "b", 1L, 1.0), step("c", "a", 2L, 2.0));
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).extracting(f -> f.itemId).containsExactlyInAnyOrder("a", "c");
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            FollowerState s = state(h, "a");
            assertThat(s.version).isEqualTo(1L);
            assertThat(s.pendingUpdates).isZero();
            assertThat(s.timerAt).isEqualTo(FollowerState.NONE);
            assertThat(s.flushArmed).isFalse();
        }
    }

    /** A task metric group whose operator group keeps the metrics registered on it. */
    private static final class Metrics extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {
        final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

        @Override
        public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> vars) {
            return operator;
        }

        long count(String name) {
            return ((Counter) operator.get(name)).getCount();
        }
    }

    @Test
    void ignoresAndCountsSelfTransitionsNullIdsAndUnusableWeights() throws Exception {
        Metrics metrics = new Metrics();
        try (MockEnvironment env = new MockEnvironmentBuilder()
                        .setMaxParallelism(MAX_PARALLELISM)
                        .setParallelism(1)
                        .setSubtaskIndex(0)
                        .setMetricGroup(metrics)
                        .build();
                var h = new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new CoVisitation()),
                        CoVisitation.keySelector(),
                        Types.STRING,
                        env)) {
            h.open();
            send(
                    h,
                    step("a", "a", 1L, 1.0),
                    step("a", null, 1L, 1.0),
                    step("a", "b", 1L, 0.0),
                    step("a", "b", 1L, -1.0),
                    step("a", "b", 1L, Double.NaN),
                    step("a", "b", 1L, Double.POSITIVE_INFINITY));
            assertThat(state(h, "a")).isNull();
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(metrics.count(CoVisitation.IGNORED_METRIC)).isEqualTo(6);
            assertThat(metrics.count(CoVisitation.TRANSITIONS_METRIC)).isZero();

            send(h, step("a", "b", 2L, 1.0));
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(f -> assertThat(f.items).containsExactly("b"));
            assertThat(metrics.count(CoVisitation.TRANSITIONS_METRIC)).isEqualTo(1);
            assertThat(metrics.count(CoVisitation.PUBLISHED_METRIC)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void followersAndVersionsSurviveASavepoint(boolean rocksDb) throws Exception {
        CoVisitation fn = CoVisitation.builder().halfLife(Duration.ofHours(1)).build();
        OperatorSubtaskState snapshot;
        FollowerState before;
        List<ItemFollowers> afterOriginal;
        try (var h = harness(fn, rocksDb, null)) {
            send(h, step("a", "b", 0, 1.0), step("a", "c", HOUR, 1.0));
            h.setProcessingTime(1_000L);
            send(h, step("a", "b", 2 * HOUR, 1.0)); // pending at the snapshot
            before = state(h, "a");
            snapshot = h.snapshot(1L, 1_500L);
            h.setProcessingTime(2_000L);
            afterOriginal = drain(h);
        }
        assertThat(afterOriginal).extracting(f -> f.version).containsExactly(1L, 2L);
        try (var h =
                harness(CoVisitation.builder().halfLife(Duration.ofHours(1)).build(), rocksDb, snapshot)) {
            assertThat(state(h, "a")).isEqualTo(before);
            // the restored timer publishes the pending change as version 2, identical to the original run
            h.setProcessingTime(2_000L);
            assertThat(drain(h)).containsExactly(afterOriginal.get(1));
            // and the version keeps growing from there
            send(h, step("a", "d", 3 * HOUR, 1.0));
            h.setProcessingTime(3_000L);
            assertThat(drain(h)).singleElement().satisfies(f -> {
                assertThat(f.version).isEqualTo(3L);
                // b = 1.25·½ = 0.625, c = 0.5·½ = 0.25, d = 1
                assertThat(f.items).containsExactly("d", "b", "c");
            });
        }
    }

    @Test
    void builderValidatesEveryArgument() {
        assertThatThrownBy(() -> CoVisitation.builder().halfLife(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("halfLife");
        assertThatThrownBy(() -> CoVisitation.builder().halfLife(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("halfLife");
        assertThatThrownBy(() -> CoVisitation.builder().maxFollowers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFollowers");
        assertThatThrownBy(() -> CoVisitation.builder().maxFollowers(CoVisitation.MAX_FOLLOWERS_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFollowers");
        assertThatThrownBy(() -> CoVisitation.builder().publishTop(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("publishTop");
        assertThatThrownBy(() -> CoVisitation.builder().publishInterval(Duration.ofNanos(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("publishInterval");
        assertThatThrownBy(() -> CoVisitation.builder().maxFollowers(10).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("publishTop (20) must not exceed maxFollowers (10)");

        CoVisitation defaults = new CoVisitation();
        assertThat(defaults.decay().halfLifeMillis())
                .isEqualTo(Duration.ofDays(7).toMillis());
        assertThat(defaults.decay().maxEntries()).isEqualTo(50);
        assertThat(defaults.publishTop()).isEqualTo(20);
        assertThat(defaults.publishIntervalMillis()).isEqualTo(1_000L);
    }

    @Test
    void readersKeepTheLargestVersionAndTakeTheLaterOfEqualOnes() {
        ItemFollowers v2 = new ItemFollowers("a", new String[] {"b"}, new double[] {1}, 2, 10);
        assertThat(CoVisitation.newer(null, v2)).isTrue();
        assertThat(CoVisitation.newer(v2, new ItemFollowers("a", new String[0], new double[0], 1, 20)))
                .isFalse();
        assertThat(CoVisitation.newer(v2, new ItemFollowers("a", new String[0], new double[0], 2, 5)))
                .isTrue();
        assertThat(CoVisitation.newer(v2, new ItemFollowers("a", new String[0], new double[0], 3, 5)))
                .isTrue();
        assertThat(CoVisitation.newer(v2, null)).isFalse();
        assertThat(CoVisitation.createBroadcastDescriptor().getName()).isEqualTo("item-followers");
    }
}
