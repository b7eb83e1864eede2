package io.desire.features.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link EventParser#parse} never throws and always returns exactly one of event and dead letter. */
class EventParserRobustnessTest {
    private final EventParser parser = new EventParser(Corpus.config());

    @Test
    void nullRecordAndNullPayloadAreEmpty() {
        assertThat(parser.parse(null).reason()).isEqualTo(RejectReason.EMPTY);
        ParseOutcome out = parser.parse(new RawRecord(null, "file:x#1", 3L));
        assertThat(out.reason()).isEqualTo(RejectReason.EMPTY);
        assertThat(out.deadLetter().source).isEqualTo("file:x#1");
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            byte[] b = new byte[random.nextInt(64)];
            random.nextBytes(b);
            assertOneOutcome(b);
        }
    }

    @Test
    void mutatedValidEventsNeverThrow() {
        List<String> valid = Corpus.lines("corpus/valid.jsonl");
        byte[] alphabet = "{}[]\":,0123456789.-+eE tnfaluxZT\\\u0001".getBytes(StandardCharsets.UTF_8);
        Random random = new Random(7);
        for (int i = 0; i < 15_000; i++) {
            byte[] b = valid.get(random.nextInt(valid.size())).getBytes(StandardCharsets.UTF_8);
            int edits = 1 + random.nextInt(3);
            for (int k = 0; k < edits; k++) {
                switch (random.nextInt(4)) {
                    case 0 -> b[random.nextInt(b.length)] = alphabet[random.nextInt(alphabet.length)];
                    case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length) + 1);
                    case 2 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    default -> {
                        int at = random.nextInt(b.length);
                        byte[] longer = new byte[b.length + 1];
                        System.arraycopy(b, 0, longer, 0, at);
                        longer[at] = alphabet[random.nextInt(alphabet.length)];
                        System.arraycopy(b, at, longer, at + 1, b.length - at);
                        b = longer;
                    }
                }
            }
            assertOneOutcome(b);
        }
    }

    @Test
    void deeplyNestedUnknownFieldIsNotAProblemUntilJacksonLimits() {
        String deep = "[".repeat(500) + "]".repeat(500);
        String json =
                "{\"event_id\":\"e\",\"ts\":1748685600000,\"type\":\"view\",\"user_id\":\"u\",\"item_id\":\"i\",\"x\":"
                        + deep + "}";
        assertThat(parser.parse(Corpus.record(json)).isValid()).isTrue();

        String tooDeep = "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(parser.parse(Corpus.record(tooDeep)).reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void unexpectedFailureBecomesInternalErrorInsteadOfAnException() {
        EventParser broken = new EventParser(
                Corpus.config().toBuilder().clock(new FailingClock()).build());

        ParseOutcome out = broken.parse(Corpus.record(
                "{\"event_id\":\"e\",\"ts\":1748685600000,\"type\":\"view\",\"user_id\":\"u\",\"item_id\":\"i\"}"));

        assertThat(out.reason()).isEqualTo(RejectReason.INTERNAL_ERROR);
        assertThat(out.deadLetter().raw).isNotEmpty();
    }

    private void assertOneOutcome(byte[] b) {
        ParseOutcome out = parser.parse(new RawRecord(b, "fuzz", 0L));
        assertThat(out).isNotNull();
        assertThat(out.event() == null).isNotEqualTo(out.deadLetter() == null);
        if (out.isValid()) {
            Event e = out.event();
            assertThat(e.eventId).isNotNull();
            assertThat(e.geoCell).isNotNull().doesNotContain(":");
            assertThat(e.timeBucket).isNotNull();
            assertThat(e.deviceClass).isNotNull();
        } else {
            assertThat(out.deadLetter().raw).isSameAs(b);
            assertThat(out.reason()).isNotEqualTo(RejectReason.INTERNAL_ERROR);
        }
    }

    private static final class FailingClock extends Clock implements Serializable {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            throw new IllegalStateException("clock unavailable");
        }

        @Override
        public long millis() {
            throw new IllegalStateException("clock unavailable");
        }
    }
}
