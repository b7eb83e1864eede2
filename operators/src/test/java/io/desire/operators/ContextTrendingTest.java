package io.desire.operators;

import static io.desire.operators.TestEvents.CTX_X;
import static io.desire.operators.TestEvents.CTX_Y;
import static io.desire.operators.TestEvents.behaviour;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.profile.EventWeights;
import io.desire.features.ranking.TrendingItems;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Windows of 15 min sliding by 5 min (three panes), top 2, default weights. */
class ContextTrendingTest {
    private static final long MIN = 60_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, TrendingItems> harness(boolean rocksDb)
            throws Exception {
        ContextTrending fn = new ContextTrending(Duration.ofMinutes(15), Duration.ofMinutes(5), 2, new EventWeights());
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), ContextTrending.keySelector(), Types.STRING, 128, 1, 0);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        h.open();
        return h;
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, Event, TrendingItems> h,
            EventType type,
            String item,
            String category,
            long ts,
            String ctx)
            throws Exception {
        h.processElement(behaviour(type, "u", item, category, ts, ctx), ts);
    }

    private static TrendingItems only(List<TrendingItems> out) {
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void emitsTheTopItemsOfEverySlidingWindowAndEndsWithEmptyState() throws Exception {
        runWindows(false);
    }

    @Test
    void worksOnRocksDb() throws Exception {
        runWindows(true);
    }

    private void runWindows(boolean rocksDb) throws Exception {
        try (var h = harness(rocksDb)) {
            send(h, EventType.VIEW, "a", "shoes", 1 * MIN, CTX_X); // a 1
            send(h, EventType.CLICK, "b", null, 2 * MIN, CTX_X); // b 2
            send(h, EventType.PURCHASE, "a", "shoes", 3 * MIN, CTX_X); // a 9
            send(h, EventType.IMPRESSION, "z", null, 3 * MIN, CTX_X); // weight 0: ignored
            send(h, EventType.ADD_TO_CART, "c", null, 6 * MIN, CTX_X); // c 4, next pane
            send(h, EventType.VIEW, "y", null, 2 * MIN, CTX_Y); // other context

            h.processWatermark(5 * MIN - 1); // window [-10, 5)
            List<TrendingItems> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            TrendingItems x = out.stream()
                    .filter(t -> t.contextKey.equals(CTX_X))
                    .findFirst()
                    .orElseThrow();
            assertThat(x.windowEnd).isEqualTo(5 * MIN);
            assertThat(x.items).containsExactly("a", "b");
            assertThat(x.scores).containsExactly(9.0, 2.0);
            assertThat(x.categories).containsExactly("shoes", null);

            h.getOutput().clear();
            h.processWatermark(10 * MIN - 1); // window [-5, 10): a 9, c 4, b 2
            TrendingItems w10 = h.extractOutputValues().stream()
                    .filter(t -> t.contextKey.equals(CTX_X))
                    .findFirst()
                    .orElseThrow();
            assertThat(w10.items).containsExactly("a", "c");
            assertThat(w10.scores).containsExactly(9.0, 4.0);

            h.getOutput().clear();
            h.processWatermark(15 * MIN - 1); // window [0, 15): same panes
            assertThat(h.extractOutputValues()).hasSize(2);

            h.getOutput().clear();
            h.processWatermark(20 * MIN - 1); // window [5, 20): c only
            TrendingItems w20 = only(h.extractOutputValues());
            assertThat(w20.items).containsExactly("c");
            assertThat(w20.windowEnd).isEqualTo(20 * MIN);

            h.getOutput().clear();
            h.processWatermark(25 * MIN - 1); // window [10, 25): empty
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(TestEvents.keyedStateEntries(h, ContextTrending.STATE_NAME))
                    .isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void lateEventsCountOnlyInWindowsNotYetEmitted() throws Exception {
        try (var h = harness(false)) {
            h.processWatermark(10 * MIN - 1); // windows up to end 10 done
            send(h, EventType.VIEW, "late", null, 1 * MIN, CTX_X); // last window [0,15) still open
            send(h, EventType.VIEW, "too-late", null, -10 * MIN, CTX_X); // every window already fired

            h.processWatermark(15 * MIN - 1);
            TrendingItems t = only(h.extractOutputValues());
            assertThat(t.windowEnd).isEqualTo(15 * MIN);
            assertThat(t.items).containsExactly("late");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
