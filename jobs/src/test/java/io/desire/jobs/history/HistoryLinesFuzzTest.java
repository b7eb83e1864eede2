package io.desire.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.desire.features.event.EventParser;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the history line converters, one file at a time as the backfill reads
 * them: whatever the format, file name and lines, {@link HistoryLines#convert} throws nothing, answers
 * null only for a blank line or the file's first non-blank line (a header), and whatever it answers
 * the event parser turns into an event or a dead letter with a reason. CI replays the seed inputs
 * under {@code HistoryLinesFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md).
 */
class HistoryLinesFuzzTest {
    private static final String[] FILES = {
        "events.csv", "ratings.csv", "u.data", "ratings.dat", "movies.csv", "movies.dat", "u.item", "events.jsonl"
    };
    private static final HistoryFormat[] FORMATS = {HistoryFormat.CSV, HistoryFormat.MOVIELENS, HistoryFormat.JSONL};
    private static final EventParser PARSER = new EventParser(ParserConfig.defaults());

    @FuzzTest(maxDuration = "10m")
    void everyLineBecomesAnEventOrADeadLetter(FuzzedDataProvider data) {
        HistoryFormat format = data.pickValue(FORMATS);
        HistoryLines lines = HistoryLines.forFile(format, data.pickValue(FILES));
        boolean seenData = false;
        int count = data.consumeInt(1, 4);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            byte[] line = i == count - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 200));
            byte[] payload = lines.convert(line);
            boolean blank = new String(line, StandardCharsets.ISO_8859_1).isBlank();
            if (payload == null) {
                assertThat(blank || !seenData)
                        .as("null only for a blank line or a header")
                        .isTrue();
            } else {
                ParseOutcome outcome = PARSER.parse(new RawRecord(payload, "file:fuzz#" + i, 0L));
                assertThat(outcome.isValid() ? outcome.event() : outcome.reason())
                        .isNotNull();
            }
            seenData |= !blank;
        }
    }
}
