package io.desire.operators;

import static io.desire.operators.TestEvents.CTX_X;
import static io.desire.operators.TestEvents.behaviour;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.privacy.DpParams;
import io.desire.features.profile.EventWeights;
import io.desire.features.ranking.TrendingItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The differentially private mode of {@link ContextTrending} (ε = 1, δ = 1e-5, k = 1: threshold about
 * 23 distinct users, noise scale 2): windows of 15 min sliding by 5 min, top 10. The margins used
 * (60 users against a threshold of 23; 3 users) make a wrong outcome less likely than 1e-4.
 */
class ContextTrendingPrivacyTest {
    private static final long MIN = 60_000L;
    private static final DpParams DP = new DpParams(1.0, 1e-5, 1);

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, TrendingItems> harness() throws Exception {
        ContextTrending fn =
                new ContextTrending(Duration.ofMinutes(15), Duration.ofMinutes(5), 10, new EventWeights(), DP);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), ContextTrending.keySelector(), Types.STRING, 128, 1, 0);
        h.open();
        return h;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Event, TrendingItems> h,
            EventType type,
            String user,
            String item,
            long ts)
            throws Exception {
        h.processElement(behaviour(type, user, item, "cat", ts, CTX_X), ts);
    }

    @Test
    void publishesItemsManyUsersShareWithNoisyDistinctUserCountsAndSuppressesTheRest() throws Exception {
        try (var h = harness()) {
            for (int u = 0; u < 60; u++) {
                send(h, EventType.PURCHASE, "u" + u, "popular", 1 * MIN); // weight 9 each: not what counts
            }
            for (int u = 0; u < 3; u++) {
                send(h, EventType.VIEW, "v" + u, "niche", 2 * MIN);
            }
            for (int i = 0; i < 200; i++) {
                send(h, EventType.PURCHASE, "whale", "whales-item", 3 * MIN); // one user, many events
            }
            h.processWatermark(5 * MIN - 1);
            List<TrendingItems> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            TrendingItems t = out.get(0);
            assertThat(t.items).containsExactly("popular");
            assertThat(t.scores[0]).isBetween(40.0, 80.0); // 60 distinct users ± noise, not 60 × 9
            assertThat(t.categories).containsExactly("cat");
        }
    }

    @Test
    void eachUserCountsForAtMostKItemsPerWindow() throws Exception {
        try (var h = harness()) {
            // 60 users touch "first" and then "second": with k = 1 only their first item counts
            for (int u = 0; u < 60; u++) {
                send(h, EventType.VIEW, "u" + u, "first", 1 * MIN);
                send(h, EventType.VIEW, "u" + u, "second", 1 * MIN + 1);
            }
            h.processWatermark(5 * MIN - 1);
            TrendingItems t = h.extractOutputValues().get(0);
            assertThat(t.items).containsExactly("first");
        }
    }

    @Test
    void theBoundHoldsPerWindowSoALaterWindowCountsTheLaterItem() throws Exception {
        try (var h = harness()) {
            for (int u = 0; u < 60; u++) {
                send(h, EventType.VIEW, "u" + u, "early", 1 * MIN); // windows ending 5, 10, 15
                send(h, EventType.VIEW, "u" + u, "late", 16 * MIN); // windows ending 20, 25, 30
            }
            h.processWatermark(15 * MIN - 1);
            assertThat(h.extractOutputValues())
                    .allSatisfy(t -> assertThat(t.items).containsExactly("early"));
            h.getOutput().clear();
            h.processWatermark(20 * MIN - 1); // [5, 20): "early" has left the window
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(t -> assertThat(t.items).containsExactly("late"));
        }
    }

    @Test
    void leavesNoStateOnceTheLastWindowHasFired() throws Exception {
        try (var h = harness()) {
            for (int u = 0; u < 30; u++) {
                send(h, EventType.VIEW, "u" + u, "a", 1 * MIN);
            }
            h.processWatermark(5 * MIN - 1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(2); // the context's item panes and pane users
            h.processWatermark(20 * MIN);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void withoutDifferentialPrivacyTheUserStateStaysEmpty() throws Exception {
        ContextTrending fn = new ContextTrending(Duration.ofMinutes(15), Duration.ofMinutes(5), 10, new EventWeights());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), ContextTrending.keySelector(), Types.STRING, 128, 1, 0)) {
            h.open();
            h.processElement(behaviour(EventType.VIEW, "u1", "a", null, MIN, CTX_X), MIN);
            h.processElement(behaviour(EventType.VIEW, "u2", "a", null, MIN, CTX_X), MIN);
            h.processWatermark(5 * MIN - 1);
            assertThat(h.extractOutputValues().get(0).scores).containsExactly(2.0); // exact, as before
            assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the context's item panes, no pane users
        }
    }

    @Test
    void eachUserCountsTheirFirstKDistinctItemsByPaneThenArrival() {
        PaneUserItems first = new PaneUserItems(4);
        first.add("u1", "a");
        first.add("u1", "b");
        first.add("u2", "a");
        PaneUserItems second = new PaneUserItems(4);
        second.add("u1", "c"); // u1 has counted a and b already
        second.add("u3", "b");
        second.add("u3", "b"); // once
        second.add("u3", "c");

        assertThat(ContextTrending.distinctUserCounts(List.of(first.toPaneUsers(), second.toPaneUsers()), 2))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", 2L, "b", 2L, "c", 1L));
        assertThat(ContextTrending.distinctUserCounts(List.of(second.toPaneUsers(), first.toPaneUsers()), 1))
                .as("pane order decides which item is a user's first")
                .containsExactlyInAnyOrderEntriesOf(Map.of("c", 1L, "b", 1L, "a", 1L));
    }

    /** 60 users touch "first", then "second", in one pane: with k = 1 only "first" may be published. */
    private static void firstThenSecond(KeyedOneInputStreamOperatorTestHarness<String, Event, TrendingItems> h)
            throws Exception {
        for (int u = 0; u < 60; u++) {
            send(h, EventType.VIEW, "u" + u, "first", 1 * MIN);
            send(h, EventType.VIEW, "u" + u, "second", 1 * MIN + 1);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, TrendingItems> harness(
            KeyedProcessFunction<String, Event, TrendingItems> fn,
            OperatorSubtaskState restoreFrom,
            int parallelism,
            int subtask)
            throws Exception {
        return Harnesses.opened(
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(fn),
                        ContextTrending.keySelector(),
                        Types.STRING,
                        128,
                        parallelism,
                        subtask),
                true,
                restoreFrom);
    }

    private static ContextTrending privateTrending() {
        return new ContextTrending(Duration.ofMinutes(15), Duration.ofMinutes(5), 10, new EventWeights(), DP);
    }

    @Test
    void usersBufferedAtACheckpointRestoreAtAnotherParallelism() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(privateTrending(), null, 1, 0)) {
            firstThenSecond(h);
            snapshot = h.snapshot(1L, 1L);
        }
        List<TrendingItems> out = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            var part = AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, 128, 1, 2, subtask);
            try (var h = harness(privateTrending(), part, 2, subtask)) {
                h.processWatermark(5 * MIN - 1);
                out.addAll(h.extractOutputValues());
            }
        }
        assertThat(out).singleElement().satisfies(t -> {
            assertThat(t.items).containsExactly("first");
            assertThat(t.scores[0]).isBetween(40.0, 80.0);
        });
    }

    @Test
    void theUserStateOfEarlierVersionsIsMovedIntoPanes() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(new EarlierContextTrending(5 * MIN, new EventWeights(), true), null, 1, 0)) {
            firstThenSecond(h);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(privateTrending(), snapshot, 1, 0)) {
            h.processWatermark(5 * MIN - 1);
            assertThat(h.extractOutputValues()).singleElement().satisfies(t -> {
                assertThat(t.items).containsExactly("first");
                assertThat(t.scores[0]).isBetween(40.0, 80.0);
            });
            h.processWatermark(20 * MIN);
            assertThat(TestEvents.keyedStateEntries(
                            h,
                            ContextTrending.STATE_NAME,
                            ContextTrending.USER_STATE_NAME,
                            ContextTrending.LEGACY_STATE_NAME,
                            ContextTrending.LEGACY_USER_STATE_NAME))
                    .isZero();
        }
    }
}
