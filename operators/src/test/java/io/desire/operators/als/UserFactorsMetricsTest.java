package io.desire.operators.als;

import static io.desire.operators.als.AlsHarnesses.event;
import static io.desire.operators.als.AlsHarnesses.item;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.EventType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * The user side's {@value UserFactors#TABLE_VERSION_METRIC} gauge: the largest item version received
 * through the feedback loop, and after a restore the largest the restored table holds.
 */
class UserFactorsMetricsTest {
    private static final AlsConfig CONFIG =
            AlsConfig.builder().rank(2).lambda(0.1).implicit(1.0).build();

    @Test
    void tracksTheLargestAcceptedItemVersionAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        UserFactors fn = new UserFactors(CONFIG);
        try (var h = AlsHarnesses.users(fn, false, null)) {
            assertThat(fn.tableMaxVersionForTesting()).isZero();
            h.processBroadcastElement(item("a", 3, 1, 0), 0);
            h.processBroadcastElement(item("b", 5, 0, 1), 0);
            h.processBroadcastElement(item("b", 4, 1, 1), 0); // stale: ignored
            h.processBroadcastElement(item("c", 9, 1, 2, 3), 0); // wrong rank: rejected
            assertThat(fn.tableMaxVersionForTesting()).isEqualTo(5L);
            snapshot = h.snapshot(1L, 1L);
        }
        UserFactors restored = new UserFactors(CONFIG);
        try (var h = AlsHarnesses.users(restored, false, snapshot)) {
            assertThat(restored.tableMaxVersionForTesting())
                    .as("0 until the first record")
                    .isZero();
            h.processElement(event(EventType.VIEW, "u", "a", 10L), 10L);
            assertThat(restored.tableMaxVersionForTesting()).isEqualTo(5L);
        }
    }

    /** The user side's half of {@link AlsLoopCounts}: updates it sent, vectors it received (not signals). */
    @Test
    void countsTheUpdatesItSendsAndTheVectorsItReceives() throws Exception {
        try (var h = AlsHarnesses.users(new UserFactors(CONFIG), false, null)) {
            h.processBroadcastElement(item("a", 1, 1, 0), 0);
            h.processBroadcastElement(item("c", 2, 1, 2, 3), 0); // wrong rank: rejected, but it travelled
            h.processElement(event(EventType.VIEW, "u", "a", 10L), 10L);
            h.processElement(event(EventType.VIEW, "u", "b", 11L), 11L);
            h.processBroadcastElement(ItemFactorUpdate.sweepAll(12L), 12L); // sends u's two interactions again
            var accumulators = h.getEnvironment().getAccumulatorRegistry().getUserMap();
            assertThat(accumulators.get(AlsLoopCounts.UPDATES_SENT_ACCUMULATOR).getLocalValue())
                    .isEqualTo(4L);
            assertThat(accumulators
                            .get(AlsLoopCounts.VECTORS_RECEIVED_ACCUMULATOR)
                            .getLocalValue())
                    .isEqualTo(2L);
        }
    }
}
