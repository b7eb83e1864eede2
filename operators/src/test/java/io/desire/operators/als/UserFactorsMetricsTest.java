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
}
