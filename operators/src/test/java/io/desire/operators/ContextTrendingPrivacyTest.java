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
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
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
            // the user map of the context; its item totals stay on the heap until a window fires
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
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
            assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the context's panes, no user map
        }
    }
}
