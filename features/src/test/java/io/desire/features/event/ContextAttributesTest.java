package io.desire.features.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Custom context attributes: what the parser accepts, how it normalises them, and each rejection. */
class ContextAttributesTest {
    private static final String HEAD = "{\"event_id\":\"e1\",\"ts\":1748685600000,\"type\":\"view\","
            + "\"user_id\":\"u1\",\"item_id\":\"i1\",\"context\":";

    private final EventParser parser = new EventParser(Corpus.config());

    private ParseOutcome parse(String context) {
        return parser.parse(Corpus.record(HEAD + context + "}"));
    }

    private Event valid(String context) {
        ParseOutcome out = parse(context);
        assertThat(out.deadLetter()).as("dead letter").isNull();
        return out.event();
    }

    private DeadLetter rejected(String context, RejectReason reason) {
        String json = HEAD + context + "}";
        ParseOutcome out = parser.parse(Corpus.record(json));
        assertThat(out.isValid()).as("valid?").isFalse();
        assertThat(out.reason())
                .as("reason, detail: %s", out.deadLetter().detail)
                .isEqualTo(reason);
        assertThat(out.deadLetter().raw).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        return out.deadLetter();
    }

    @Test
    void stringsNumbersAndBooleansBecomeSortedNormalisedAttributes() {
        Event e = valid("""
                {"weather":" Rain ","device":"phone","Companion":"Kids","temperature":21.50,"floor":3,
                 "homework":true,"daytime":false,"tz":"Europe/Paris"}""");

        assertThat(e.attributeKeys)
                .containsExactly("companion", "daytime", "floor", "homework", "temperature", "weather");
        assertThat(e.attributeValues).containsExactly("kids", "false", "3", "true", "21.50", "rain");
        assertThat(e.attribute("Weather")).isEqualTo("rain");
        assertThat(e.attribute("country")).isNull();
        // the resolved parts are unaffected
        assertThat(e.deviceClass).isEqualTo("mobile");
        assertThat(e.timeBucket).isEqualTo("weekend-afternoon");
    }

    @Test
    void eventsWithoutAttributesHaveNone() {
        assertThat(valid("{\"device\":\"phone\"}").attributeKeys).isNull();
        assertThat(valid("null").attributeValues).isNull();
        Event blanks = valid("{\"weather\":null,\"country\":\"  \",\"mood\":\"\"}");
        assertThat(blanks.attributeKeys).as("null and blank values are absent").isNull();
        assertThat(blanks.attributeValues).isNull();
    }

    @Test
    void boundsAreInclusive() {
        StringBuilder sixteen = new StringBuilder("{");
        for (int a = 0; a < ContextAttributes.MAX_ATTRIBUTES; a++) {
            sixteen.append(a == 0 ? "" : ",")
                    .append("\"k")
                    .append((char) ('a' + a))
                    .append("\":")
                    .append(a);
        }
        Event many = valid(sixteen.append('}').toString());
        assertThat(many.attributeKeys).hasSize(ContextAttributes.MAX_ATTRIBUTES).isSorted();

        String key = "k".repeat(ContextAttributes.MAX_KEY_CHARS);
        String value = "v".repeat(ContextAttributes.MAX_VALUE_CHARS);
        Event longest = valid("{\"" + key + "\":\"  " + value + "  \"}");
        assertThat(longest.attribute(key)).isEqualTo(value);
    }

    @Test
    void objectsAndArraysAreRejected() {
        assertThat(rejected("{\"screen\":{\"w\":1080}}", RejectReason.BAD_CONTEXT_ATTRIBUTE).detail)
                .isEqualTo("context.screen must be a string, number or boolean, got an object");
        assertThat(rejected("{\"companion\":[\"kids\"]}", RejectReason.BAD_CONTEXT_ATTRIBUTE).detail)
                .endsWith("got an array");
    }

    @Test
    void overLongKeysAndValuesAreRejected() {
        String key = "k".repeat(ContextAttributes.MAX_KEY_CHARS + 1);
        assertThat(rejected("{\"" + key + "\":\"x\"}", RejectReason.BAD_CONTEXT_ATTRIBUTE).detail)
                .contains("65 characters, the limit is 64");
        String value = "v".repeat(ContextAttributes.MAX_VALUE_CHARS + 1);
        assertThat(rejected("{\"note\":\"" + value + "\"}", RejectReason.BAD_CONTEXT_ATTRIBUTE).detail)
                .isEqualTo("context.note has 129 characters, the limit is 128");
    }

    @Test
    void oneAttributeTooManyIsRejected() {
        StringBuilder seventeen = new StringBuilder("{");
        for (int a = 0; a <= ContextAttributes.MAX_ATTRIBUTES; a++) {
            seventeen.append(a == 0 ? "" : ",").append("\"k").append(a).append("\":\"x\"");
        }
        assertThat(rejected(seventeen.append('}').toString(), RejectReason.BAD_CONTEXT_ATTRIBUTE).detail)
                .isEqualTo("context has more than 16 custom attributes (at context.k16)");
    }

    @Test
    void blankKeysControlCharactersAndReservedKeysInAnotherCaseAreRejected() {
        assertThat(rejected("{\" \":\"x\"}", RejectReason.BAD_CONTEXT_ATTRIBUTE).detail)
                .isEqualTo("context has a blank key");
        assertThat(rejected("{\"mood\":\"ok\\u0007\"}", RejectReason.BAD_CONTEXT_ATTRIBUTE).detail)
                .contains("context.mood contains the control character U+0007");
        assertThat(rejected("{\"mo\\nod\":\"ok\"}", RejectReason.BAD_CONTEXT_ATTRIBUTE).detail)
                .contains("U+000A");
        assertThat(rejected("{\"TZ\":\"UTC\"}", RejectReason.BAD_CONTEXT_ATTRIBUTE).detail)
                .contains("context.tz in another case");
    }

    @Test
    void aKeyGivenTwiceAfterNormalisationIsADuplicate() {
        assertThat(rejected("{\"weather\":\"rain\",\" WEATHER\":\"sun\"}", RejectReason.DUPLICATE_FIELD).detail)
                .isEqualTo("context.weather appears more than once");
    }

    @Test
    void theParserForgetsAttributesBetweenRecords() {
        valid("{\"weather\":\"rain\",\"country\":\"fr\"}");
        assertThat(valid("{\"device\":\"tv\"}").attributeKeys).isNull();
        assertThat(valid("{\"country\":\"de\"}").attributeValues).containsExactly("de");
    }

    @Test
    void copyAndEqualsIncludeAttributes() {
        Event e = valid("{\"weather\":\"rain\"}");
        Event copy = e.copy();
        assertThat(copy).isEqualTo(e);
        assertThat(copy.attributeKeys).isNotSameAs(e.attributeKeys);
        copy.attributeValues[0] = "sun";
        assertThat(copy).isNotEqualTo(e);
        assertThat(e.attribute("weather")).isEqualTo("rain");
    }

    @Test
    void encodedAttributesDecodeToTheSameArrays() {
        String[] keys = {"companion", "note", "weather"};
        String[] values = {"kids", "a=b; c", "rain"};
        String[][] back = ContextAttributes.decode(ContextAttributes.encode(keys, values));
        assertThat(back[0]).containsExactly(keys);
        assertThat(back[1]).containsExactly(values);
        assertThat(ContextAttributes.encode(null, null)).isNull();
        assertThat(ContextAttributes.encode(new String[0], new String[0])).isNull();
        assertThat(ContextAttributes.decode(null)).isDeepEqualTo(new String[][] {null, null});
    }
}
