package io.desire.features.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The field table the parser reads by: one bit per field, and the context keys it resolves. */
class EventFieldTest {
    @Test
    void contextFieldsAreExactlyTheReservedContextKeys() {
        // a reserved key without a field would be rejected as a misspelt one; a field without a
        // reserved key would let its upper-case spelling through as a custom attribute
        List<String> inContext = Arrays.stream(EventField.values())
                .filter(f -> f.inContext)
                .map(f -> f.jsonName)
                .toList();

        assertThat(inContext).containsExactlyInAnyOrderElementsOf(ContextAttributes.RESERVED_KEYS);
        for (String key : ContextAttributes.RESERVED_KEYS) {
            assertThat(EventField.inContext(key).path).isEqualTo("context." + key);
        }
    }

    @Test
    void everyFieldHasABitOfItsOwnAndIsFoundByItsName() {
        int all = 0;
        for (EventField f : EventField.values()) {
            assertThat(Integer.bitCount(f.bit)).as(f.name()).isEqualTo(1);
            assertThat(all & f.bit).as(f.name()).isZero();
            all |= f.bit;
            assertThat(f.inContext ? EventField.inContext(f.jsonName) : EventField.topLevel(f.jsonName))
                    .isSameAs(f);
        }
        assertThat(EventField.topLevel("lat")).isNull();
        assertThat(EventField.inContext("event_id")).isNull();
        assertThat(EventField.topLevel("Event_ID")).isNull();
    }
}
