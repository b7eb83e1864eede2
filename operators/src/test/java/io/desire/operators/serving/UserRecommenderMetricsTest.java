package io.desire.operators.serving;

import static io.desire.operators.TestEvents.CTX_X;
import static io.desire.operators.TestEvents.behaviour;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.EventType;
import io.desire.features.ranking.TrendingItems;
import io.desire.operators.EventTimeLag;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The recommender's freshness gauge {@value UserRecommender#EVENT_TIME_LAG_GAUGE}: which watermark it
 * observes (the minimum of the keyed and broadcast inputs) and when.
 */
class UserRecommenderMetricsTest {

    private final UserRecommender fn = new UserRecommender();

    private KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, ?> harness() throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(fn, List.of(UserRecommender.broadcastDescriptors())),
                UserRecommender.keySelector(),
                Types.STRING,
                128,
                1,
                0);
        h.open();
        return h;
    }

    private static UserSignal view(String user, long ts) {
        return UserSignal.of(behaviour(EventType.VIEW, user, "s1", "shoes", ts, CTX_X));
    }

    /** Reads the gauge between two clock readings and checks it equals wall clock − watermark then. */
    private void assertLagAgainstWallClock(long watermark) {
        long before = System.currentTimeMillis();
        long value = fn.eventTimeLagForTesting().getValue();
        long after = System.currentTimeMillis();
        assertThat(value).isBetween(before - watermark, after - watermark);
    }

    @Test
    void minusOneUntilBothInputsHaveAWatermarkThenWallClockMinusWatermark() throws Exception {
        try (var h = harness()) {
            assertThat(fn.eventTimeLagForTesting().getValue()).isEqualTo(EventTimeLag.NO_WATERMARK);
            long t = System.currentTimeMillis() - 60_000L;
            h.processElement(view("u1", t), t);
            assertThat(fn.eventTimeLagForTesting().getValue())
                    .as("no watermark yet")
                    .isEqualTo(-1L);

            h.processWatermark(t);
            h.processElement(view("u1", t + 1), t + 1);
            assertThat(fn.eventTimeLagForTesting().getValue())
                    .as("the broadcast input still holds the operator's watermark at the minimum")
                    .isEqualTo(-1L);

            h.processBroadcastWatermark(t);
            h.processElement(view("u2", t + 2), t + 2);
            assertLagAgainstWallClock(t);
            assertThat(fn.eventTimeLagForTesting().getValue()).isBetween(60_000L, 120_000L);
        }
    }

    @Test
    void modelUpdatesAndTimersObserveTheWatermarkTooAndTheFinalOneReadsZero() throws Exception {
        try (var h = harness()) {
            long t = System.currentTimeMillis() - 30_000L;
            h.processElement(view("u1", t), t); // pending: an event-time timer at the end of time
            h.processWatermark(t);
            h.processBroadcastWatermark(t);
            h.processBroadcastElement(
                    ModelUpdate.of(new TrendingItems(
                            TrendingItems.GLOBAL, t, new String[] {"s1"}, new double[] {1}, new String[] {"shoes"})),
                    t);
            assertLagAgainstWallClock(t);

            h.processWatermark(Long.MAX_VALUE);
            h.processBroadcastWatermark(Long.MAX_VALUE); // fires the end-of-input flush timer
            assertThat(h.extractOutputValues()).as("the flush ran").hasSize(1);
            assertThat(fn.eventTimeLagForTesting().getValue())
                    .as("all event time processed")
                    .isZero();
        }
    }
}
