package io.desire.features.event;

import static io.desire.features.event.Details.describe;
import static io.desire.features.event.Details.snippet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Reads {@code ts}: integer epoch milliseconds (as a JSON integer or a string of digits) or an
 * ISO-8601 string with an offset ({@link Timestamps}), within the configured range from
 * {@link ParserConfig#earliestTimestamp()} to now plus {@link ParserConfig#maxFutureSkew()}. A value
 * out of range that would fit as epoch seconds or microseconds says so in its detail.
 */
final class TimestampReader {
    private final ParserConfig config;

    TimestampReader(ParserConfig config) {
        this.config = config;
    }

    /** Reads the value into {@code s.ts}/{@code s.hasTs}; false, with the problem in {@code s}, if it is not one. */
    boolean read(JsonParser p, JsonToken v, ParseState s) throws IOException {
        long ms;
        switch (v) {
            case VALUE_NULL:
                return true;
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return s.fail(
                            RejectReason.TIMESTAMP_OUT_OF_RANGE,
                            "ts " + snippet(p.getText()) + " is too large for epoch milliseconds");
                }
                ms = p.getLongValue();
                break;
            case VALUE_NUMBER_FLOAT:
                return s.fail(
                        RejectReason.BAD_TIMESTAMP,
                        "ts is the fractional number " + snippet(p.getText())
                                + "; use integer epoch milliseconds or an ISO-8601 string with offset");
            case VALUE_STRING: {
                String text = p.getText();
                if (text.isBlank()) {
                    return s.fail(RejectReason.EMPTY_FIELD, "ts is blank");
                }
                if (Timestamps.isIntegerText(text)) {
                    ms = Timestamps.parseEpochMillisText(text);
                    if (ms == Timestamps.TOO_LARGE) {
                        return s.fail(
                                RejectReason.TIMESTAMP_OUT_OF_RANGE,
                                "ts " + snippet(text) + " is too large for epoch milliseconds");
                    }
                } else {
                    ms = Timestamps.parseIso(text);
                    if (ms == Timestamps.INVALID) {
                        return s.fail(RejectReason.BAD_TIMESTAMP, badTimestampDetail(text));
                    }
                }
                break;
            }
            default:
                return s.fail(
                        RejectReason.BAD_FIELD_TYPE,
                        "ts must be an ISO-8601 string or integer epoch milliseconds, got " + describe(v));
        }
        if (!inRange(ms, s)) {
            return false;
        }
        s.ts = ms;
        s.hasTs = true;
        return true;
    }

    private boolean inRange(long ms, ParseState s) {
        long earliest = config.earliestTimestampMillis();
        long latest = config.clock().millis() + config.maxFutureSkew().toMillis();
        if (ms < earliest) {
            String detail =
                    "ts " + Instant.ofEpochMilli(ms) + " is before the earliest accepted " + config.earliestTimestamp();
            if (ms >= 0 && ms <= Long.MAX_VALUE / 1000 && ms * 1000 >= earliest && ms * 1000 <= latest) {
                detail += "; it looks like epoch seconds, but ts must be epoch milliseconds";
            }
            return s.fail(RejectReason.TIMESTAMP_OUT_OF_RANGE, detail);
        }
        if (ms > latest) {
            String detail = "ts " + Instant.ofEpochMilli(ms) + " is more than "
                    + Details.humanize(config.maxFutureSkew()) + " after now ("
                    + Instant.ofEpochMilli(config.clock().millis()) + ')';
            if (ms / 1000 >= earliest && ms / 1000 <= latest) {
                detail += "; it looks like epoch microseconds, but ts must be epoch milliseconds";
            }
            return s.fail(RejectReason.TIMESTAMP_OUT_OF_RANGE, detail);
        }
        return true;
    }

    private static String badTimestampDetail(String text) {
        String hint = "; use ISO-8601 with offset (e.g. 2024-05-01T08:30:00Z) or epoch milliseconds";
        try {
            DateTimeFormatter.ISO_LOCAL_DATE_TIME.parse(text);
            return "ts " + snippet(text) + " has no zone offset" + hint;
        } catch (DateTimeException e) {
            return "ts " + snippet(text) + " is not a timestamp" + hint;
        }
    }
}
