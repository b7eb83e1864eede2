package io.desire.operators;

import static io.desire.operators.TestEvents.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.event.Event;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DeduplicateEventsTest {
    private static final Duration TTL = Duration.ofHours(24);

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DeduplicateEvents(TTL), DeduplicateEvents.keySelector(), Types.STRING);
    }

    @Test
    void forwardsTheFirstCopyOnly() throws Exception {
        try (var h = harness()) {
            Event a = view("u1", "i1", null, 1000L);
            Event b = view("u1", "i2", null, 2000L);
            h.processElement(a, a.ts);
            h.processElement(a.copy(), a.ts);
            h.processElement(b, b.ts);
            h.processElement(a.copy(), a.ts);

            assertThat(h.extractOutputValues()).containsExactly(a, b);
            assertThat(h.numKeyedStateEntries()).as("one map per item").isEqualTo(2);
        }
    }

    @Test
    void forgetsAnIdAfterTheTtl() throws Exception {
        try (var h = harness()) {
            Event a = view("u1", "i1", null, 1000L);
            Event b = view("u1", "i2", null, 2000L);
            h.setStateTtlProcessingTime(0L);
            h.processElement(a, a.ts);

            h.setStateTtlProcessingTime(TTL.toMillis() - 1);
            h.processElement(a.copy(), a.ts);
            assertThat(h.extractOutputValues()).containsExactly(a);

            h.processElement(b, b.ts);
            h.setStateTtlProcessingTime(TTL.toMillis() + 1);
            h.getOperator().setCurrentKey(a.itemId);
            assertThat(h.getOperator()
                            .getKeyedStateStore()
                            .getMapState(DeduplicateEvents.createStateDescriptor(TTL))
                            .contains(a.eventId))
                    .as("expired id no longer remembered")
                    .isFalse();

            h.processElement(a.copy(), a.ts);
            assertThat(h.extractOutputValues()).containsExactly(a, b, a);
        }
    }

    @Test
    void copiesOfOneEventShareTheCatalogKey() throws Exception {
        Event a = view("u1", "i1", null, 1000L);
        assertThat(DeduplicateEvents.keySelector().getKey(a.copy()))
                .isEqualTo(EnrichFromCatalog.keySelector().getKey(a));
    }

    @Test
    void stateDescriptorCarriesTheTtl() {
        var d = DeduplicateEvents.createStateDescriptor(TTL);
        assertThat(d.getName()).isEqualTo(DeduplicateEvents.STATE_NAME);
        assertThat(d.getTtlConfig().isEnabled()).isTrue();
        assertThat(d.getTtlConfig().getTimeToLive()).isEqualTo(TTL);
        assertThatThrownBy(() -> new DeduplicateEvents(Duration.ZERO)).hasMessageContaining("ttl");
    }
}
