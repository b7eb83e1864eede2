package io.desire.operators;

import static io.desire.operators.TestEvents.forget;
import static io.desire.operators.TestEvents.item;
import static io.desire.operators.TestEvents.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class EnrichFromCatalogTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, Event, Event> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new EnrichFromCatalog(), EnrichFromCatalog.keySelector(), Types.STRING);
    }

    private static Event send(KeyedOneInputStreamOperatorTestHarness<String, Event, Event> h, Event e)
            throws Exception {
        h.processElement(e, e.ts);
        List<Event> out = h.extractOutputValues();
        return out.get(out.size() - 1);
    }

    @Test
    void fillsTheCategoryOfBehaviourEventsFromItemEvents() throws Exception {
        try (var h = harness()) {
            Event catalog = item("i1", "shoes", 1000L);
            catalog.price = 59.0;
            catalog.available = true;
            assertThat(send(h, catalog)).isEqualTo(catalog);

            Event v = view("u1", "i1", null, 2000L);
            Event enriched = send(h, v);

            assertThat(enriched.category).isEqualTo("shoes");
            assertThat(enriched.eventId).isEqualTo(v.eventId);
            assertThat(v.category).as("input not mutated").isNull();
        }
    }

    @Test
    void upsertKeepsFieldsAnItemEventOmitsAndIgnoresOlderItemEvents() throws Exception {
        try (var h = harness()) {
            Event first = item("i1", "shoes", 1000L);
            first.price = 59.0;
            send(h, first);
            Event availability = item("i1", null, 2000L);
            availability.available = false;
            send(h, availability);
            send(h, item("i1", "hats", 1500L)); // older than the last applied: ignored

            assertThat(send(h, view("u1", "i1", null, 3000L)).category).isEqualTo("shoes");
            h.getOperator().setCurrentKey("i1");
            CatalogItem stored = h.getOperator()
                    .getKeyedStateStore()
                    .getState(EnrichFromCatalog.createStateDescriptor())
                    .value();
            assertThat(stored.price).isEqualTo(59.0);
            assertThat(stored.available).isFalse();
            assertThat(stored.updatedAt).isEqualTo(2000L);
        }
    }

    @Test
    void unknownItemsAndOtherEventsPassUnchanged() throws Exception {
        try (var h = harness()) {
            Event unknown = view("u1", "never-seen", null, 1000L);
            assertThat(send(h, unknown)).isEqualTo(unknown);
            assertThat(unknown.category).isNull();

            send(h, item("i1", "shoes", 1000L));
            Event own = view("u1", "i1", "sneakers", 2000L);
            assertThat(send(h, own).category).isEqualTo("sneakers");

            Event f = forget("u1", 3000L);
            assertThat(send(h, f)).isEqualTo(f);
            assertThat(h.extractOutputValues()).hasSize(4);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }
}
