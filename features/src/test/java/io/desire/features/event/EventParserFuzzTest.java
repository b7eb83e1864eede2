package io.desire.features.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the parser: whatever the bytes, no exception escapes and the outcome is
 * either an event with its required fields or a dead letter with a reason and the raw bytes. CI runs
 * the seed inputs (the valid and malformed corpora, under {@code EventParserFuzzTestInputs}) as
 * regression tests; {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md).
 */
class EventParserFuzzTest {
    private static final EventParser PARSER = new EventParser(Corpus.config());

    @FuzzTest(maxDuration = "10m")
    void everyInputIsAnEventOrADeadLetterWithItsReason(byte[] input) {
        ParseOutcome outcome = PARSER.parse(new RawRecord(input, "fuzz", Corpus.NOW.toEpochMilli()));
        if (outcome.isValid()) {
            Event e = outcome.event();
            assertThat(outcome.deadLetter()).isNull();
            assertThat(e.eventId).isNotBlank();
            assertThat(e.type).isNotNull();
            assertThat(e.contextKey()).isNotBlank();
            if (e.type.isBehaviour()) {
                assertThat(e.userId).isNotBlank();
            }
        } else {
            DeadLetter d = outcome.deadLetter();
            assertThat(d).isNotNull();
            assertThat(outcome.reason()).isNotNull();
            assertThat(d.raw).as("the raw bytes are kept").isEqualTo(input);
            assertThat(d.reason).isEqualTo(outcome.reason().name());
        }
    }
}
