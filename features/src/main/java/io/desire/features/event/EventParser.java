package io.desire.features.event;

import static io.desire.features.event.Details.describe;
import static io.desire.features.event.Details.shorten;
import static io.desire.features.event.Details.where;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.desire.features.context.ContextResolver;
import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses and validates one record of the event contract ({@code docs/events.md}) and
 * resolves its context.
 *
 * <p>Guarantees: {@link #parse(RawRecord)} never throws; it returns either a valid {@link Event} whose
 * required fields are set and whose context parts ({@code geoCell}, {@code timeBucket},
 * {@code deviceClass}) are never {@code null}, or a {@link DeadLetter} with one {@link RejectReason},
 * a detail that names the field and the problem (never the whole payload), and the record's raw bytes
 * and source. Raw coordinates never leave the parser: only their geohash cell does. Keys of
 * {@code context} beyond the resolved ones become the event's custom attributes
 * ({@link ContextAttributes}), normalised and sorted. When a record has several problems, the first
 * one found is reported: field problems in the order the fields appear, then missing required fields.
 *
 * <p>The payload is read in one streaming pass with Jackson's {@link JsonParser}, after a strict
 * UTF-8 check of the bytes; valid input takes no exception path and no regular expression.
 *
 * <p>A driver over the field table {@link EventField}: each known key is looked up there, checked for
 * duplicates by its bit and read by its reader ({@link FieldReaders}, {@link TimestampReader},
 * {@link ContextReader}) into a reused {@link ParseState}; {@link EventAssembler} then checks the whole
 * record and builds the event.
 *
 * <p>{@link Serializable} so a Flink function can hold it, but not thread-safe: use one instance per
 * thread (per subtask), as Flink does.
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EventParser.class);

    private final ParserConfig config;
    private final ContextResolver context;
    private transient JsonFactory json;
    private transient ParseState scratch;
    private transient FieldReaders readers;
    private transient EventAssembler assembler;

    /** A parser with the given limits and defaults. */
    public EventParser(ParserConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.context = new ContextResolver(config.geohashPrecision(), config.timeBucketScheme(), config.defaultZone());
    }

    public ParserConfig config() {
        return config;
    }

    /** The context resolver this parser uses, for code that must compute the same context parts. */
    public ContextResolver contextResolver() {
        return context;
    }

    /**
     * Parses one record. Never throws: every problem, including a {@code null} record, yields a
     * {@link DeadLetter}.
     */
    public ParseOutcome parse(RawRecord record) {
        RawRecord rec = record != null ? record : new RawRecord(null, null, 0L);
        try {
            return parseRecord(rec);
        } catch (RuntimeException e) {
            // A bug, not bad input: keep the job running and the record replayable.
            LOG.warn("Event parser failed unexpectedly on a record from {}", rec.source, e);
            return reject(
                    RejectReason.INTERNAL_ERROR, "unexpected " + e.getClass().getSimpleName() + " in the parser", rec);
        }
    }

    private ParseOutcome parseRecord(RawRecord rec) {
        byte[] b = rec.payload;
        ParseOutcome unreadable = checkBytes(b, rec);
        if (unreadable != null) {
            return unreadable;
        }
        if (readers == null) {
            readers = new FieldReaders(config, context);
            assembler = new EventAssembler(config, context);
            scratch = new ParseState();
        }
        ParseState s = scratch;
        s.reset();
        try (JsonParser p = json().createParser(b)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return reject(RejectReason.EMPTY, "payload has no JSON value", rec);
            }
            if (t != JsonToken.START_OBJECT) {
                return reject(
                        RejectReason.NOT_AN_OBJECT, "payload is " + describe(t) + ", expected a JSON object", rec);
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                EventField field = EventField.topLevel(p.currentName());
                JsonToken v = p.nextToken();
                if (field == null) {
                    p.skipChildren(); // unknown fields are ignored, nested or not
                } else if (!s.firstTime(field) || !field.read(readers, p, v, s)) {
                    return reject(s.reason, s.detail, rec);
                }
            }
            if (!nothingFollows(p, s)) {
                return reject(s.reason, s.detail, rec);
            }
        } catch (JsonProcessingException e) {
            return reject(
                    RejectReason.NOT_JSON,
                    "not well-formed JSON" + where(e.getLocation()) + ": " + shorten(e.getOriginalMessage(), 120),
                    rec);
        } catch (IOException e) {
            return reject(RejectReason.NOT_JSON, "not readable as JSON: " + shorten(e.getMessage(), 120), rec);
        }
        return assembler.finish(s, rec);
    }

    /** The dead letter of a payload that is empty, too large or not UTF-8; {@code null} when it may be JSON. */
    private ParseOutcome checkBytes(byte[] b, RawRecord rec) {
        if (b == null || b.length == 0) {
            return reject(RejectReason.EMPTY, "payload is empty", rec);
        }
        if (b.length > config.maxRecordBytes()) {
            return reject(
                    RejectReason.TOO_LARGE,
                    "payload is " + b.length + " bytes, the limit is " + config.maxRecordBytes(),
                    rec);
        }
        int bad = Utf8.firstInvalid(b, b.length);
        if (bad >= 0) {
            return reject(
                    RejectReason.NOT_UTF8,
                    String.format("byte 0x%02X at offset %d is not valid UTF-8", b[bad] & 0xFF, bad),
                    rec);
        }
        // Jackson guesses UTF-16/32 from NUL bytes among the first four; JSON text never has a raw NUL,
        // so one there means another encoding. A later NUL is a JSON syntax error (NOT_JSON).
        for (int i = 0, n = Math.min(4, b.length); i < n; i++) {
            if (b[i] == 0) {
                return reject(
                        RejectReason.NOT_UTF8,
                        "NUL byte at offset " + i + ": payload looks UTF-16 or UTF-32 encoded, only UTF-8 is accepted",
                        rec);
            }
        }
        int first = 0;
        while (first < b.length && (b[first] == ' ' || b[first] == '\n' || b[first] == '\r' || b[first] == '\t')) {
            first++;
        }
        if (first == b.length) {
            return reject(RejectReason.EMPTY, "payload has only whitespace", rec);
        }
        return null;
    }

    private static boolean nothingFollows(JsonParser p, ParseState s) {
        try {
            JsonToken extra = p.nextToken();
            if (extra != null) {
                return s.fail(
                        RejectReason.TRAILING_GARBAGE,
                        describe(extra) + " follows the JSON object; one object per record");
            }
            return true;
        } catch (IOException e) {
            return s.fail(
                    RejectReason.TRAILING_GARBAGE,
                    "text that is not JSON follows the JSON object" + where(Details.currentLocation(p)));
        }
    }

    static ParseOutcome reject(RejectReason reason, String detail, RawRecord rec) {
        return ParseOutcome.invalid(new DeadLetter(reason, detail, rec));
    }

    private JsonFactory json() {
        if (json == null) {
            // Python's json.dumps writes NaN and Infinity: read them so they are reported as
            // VALUE_OUT_OF_RANGE rather than as unreadable JSON.
            json = JsonFactory.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build();
        }
        return json;
    }
}
