package io.desire.features.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.desire.features.context.ContextDefaults;
import io.desire.features.context.ContextResolver;
import io.desire.features.context.GeoHash;
import java.io.IOException;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses and validates one record of the event contract (DESIGN §4, {@code docs/events.md}) and
 * resolves its context.
 *
 * <p>Guarantees: {@link #parse(RawRecord)} never throws; it returns either a valid {@link Event} whose
 * required fields are set and whose context parts ({@code geoCell}, {@code timeBucket},
 * {@code deviceClass}) are never {@code null}, or a {@link DeadLetter} with one {@link RejectReason},
 * a detail that names the field and the problem (never the whole payload), and the record's raw bytes
 * and source. Raw coordinates never leave the parser: only their geohash cell does. Keys of
 * {@code context} beyond the resolved ones become the event's custom attributes ({@link ContextAttributes}),
 * normalised and sorted. When a record has
 * several problems, the first one found is reported: field problems in the order the fields appear,
 * then missing required fields.
 *
 * <p>The payload is read in one streaming pass with Jackson's {@link JsonParser}, after a strict
 * UTF-8 check of the bytes; valid input takes no exception path and no regular expression.
 *
 * <p>{@link Serializable} so a Flink function can hold it, but not thread-safe: use one instance per
 * thread (per subtask), as Flink does.
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EventParser.class);

    /** Longest excerpt of an input value quoted in a detail. */
    private static final int SNIPPET_CHARS = 40;
    /** Longest given geohash considered (longer is not a cell of any real precision). */
    private static final int MAX_GEO_CHARS = 24;

    private static final String EVENT_ID = "event_id";
    private static final String TS = "ts";
    private static final String TYPE = "type";
    private static final String USER_ID = "user_id";
    private static final String ITEM_ID = "item_id";
    private static final String VALUE = "value";
    private static final String REQUEST_ID = "request_id";
    private static final String SESSION_ID = "session_id";
    private static final String CONTEXT = "context";
    private static final String CATEGORY = "category";
    private static final String TAGS = "tags";
    private static final String PRICE = "price";
    private static final String AVAILABLE = "available";
    private static final String SEGMENT = "segment";
    private static final String LOCALE = "locale";
    private static final String INTERESTS = "interests";

    // One bit per known field, to detect duplicates; context fields have their own mask.
    private static final int B_EVENT_ID = 1;
    private static final int B_TS = 1 << 1;
    private static final int B_TYPE = 1 << 2;
    private static final int B_USER_ID = 1 << 3;
    private static final int B_ITEM_ID = 1 << 4;
    private static final int B_VALUE = 1 << 5;
    private static final int B_REQUEST_ID = 1 << 6;
    private static final int B_SESSION_ID = 1 << 7;
    private static final int B_CONTEXT = 1 << 8;
    private static final int B_CATEGORY = 1 << 9;
    private static final int B_TAGS = 1 << 10;
    private static final int B_PRICE = 1 << 11;
    private static final int B_AVAILABLE = 1 << 12;
    private static final int B_SEGMENT = 1 << 13;
    private static final int B_LOCALE = 1 << 14;
    private static final int B_INTERESTS = 1 << 15;
    private static final int C_LAT = 1;
    private static final int C_LON = 1 << 1;
    private static final int C_GEO = 1 << 2;
    private static final int C_DEVICE = 1 << 3;
    private static final int C_OS = 1 << 4;
    private static final int C_SESSION_ID = 1 << 5;
    private static final int C_TZ = 1 << 6;

    private final ParserConfig config;
    private final ContextResolver context;
    private transient JsonFactory json;
    private transient Scratch scratch;

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

        Scratch s = scratch();
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
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (!topField(p, name, v, s)) {
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
        return finish(s, rec);
    }

    private boolean nothingFollows(JsonParser p, Scratch s) {
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
                    "text that is not JSON follows the JSON object" + where(currentLocation(p)));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fields

    private boolean topField(JsonParser p, String name, JsonToken v, Scratch s) throws IOException {
        switch (name) {
            case EVENT_ID:
                if (!firstTime(s, B_EVENT_ID, name)) {
                    return false;
                }
                s.eventId = readId(p, v, name, s, B_EVENT_ID);
                if (s.ok() && (s.blank & B_EVENT_ID) != 0) {
                    return s.fail(RejectReason.EMPTY_FIELD, "event_id is blank");
                }
                return s.ok();
            case TS:
                return firstTime(s, B_TS, name) && readTs(p, v, s);
            case TYPE:
                return firstTime(s, B_TYPE, name) && readType(p, v, s);
            case USER_ID:
                if (!firstTime(s, B_USER_ID, name)) {
                    return false;
                }
                s.userId = readId(p, v, name, s, B_USER_ID);
                return s.ok();
            case ITEM_ID:
                if (!firstTime(s, B_ITEM_ID, name)) {
                    return false;
                }
                s.itemId = readId(p, v, name, s, B_ITEM_ID);
                return s.ok();
            case REQUEST_ID:
                if (!firstTime(s, B_REQUEST_ID, name)) {
                    return false;
                }
                s.requestId = readId(p, v, name, s, B_REQUEST_ID);
                return s.ok();
            case SESSION_ID:
                if (!firstTime(s, B_SESSION_ID, name)) {
                    return false;
                }
                s.sessionId = readId(p, v, name, s, B_SESSION_ID);
                return s.ok();
            case VALUE:
                if (!firstTime(s, B_VALUE, name) || !readAmount(p, v, name, s)) {
                    return false;
                }
                s.value = s.number;
                s.hasValue = s.numberPresent;
                return true;
            case PRICE:
                if (!firstTime(s, B_PRICE, name) || !readAmount(p, v, name, s)) {
                    return false;
                }
                if (s.numberPresent) {
                    if (s.number < 0) {
                        return s.fail(RejectReason.VALUE_OUT_OF_RANGE, "price " + s.number + " is negative");
                    }
                    s.price = s.number;
                }
                return true;
            case CONTEXT:
                return firstTime(s, B_CONTEXT, name) && readContext(p, v, s);
            case CATEGORY:
                if (!firstTime(s, B_CATEGORY, name)) {
                    return false;
                }
                s.category = readOptionalString(p, v, name, s);
                return s.ok();
            case SEGMENT:
                if (!firstTime(s, B_SEGMENT, name)) {
                    return false;
                }
                s.segment = readOptionalString(p, v, name, s);
                return s.ok();
            case LOCALE:
                if (!firstTime(s, B_LOCALE, name)) {
                    return false;
                }
                s.locale = readOptionalString(p, v, name, s);
                return s.ok();
            case TAGS:
                if (!firstTime(s, B_TAGS, name)) {
                    return false;
                }
                s.tags = readStringArray(p, v, name, s);
                return s.ok();
            case INTERESTS:
                if (!firstTime(s, B_INTERESTS, name)) {
                    return false;
                }
                s.interests = readStringArray(p, v, name, s);
                return s.ok();
            case AVAILABLE:
                if (!firstTime(s, B_AVAILABLE, name)) {
                    return false;
                }
                if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                    s.available = v == JsonToken.VALUE_TRUE;
                    return true;
                }
                return v == JsonToken.VALUE_NULL
                        || s.fail(RejectReason.BAD_FIELD_TYPE, "available must be true or false, got " + describe(v));
            default:
                p.skipChildren(); // unknown fields are ignored, nested or not
                return true;
        }
    }

    private boolean readContext(JsonParser p, JsonToken v, Scratch s) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return true;
        }
        if (v != JsonToken.START_OBJECT) {
            return s.fail(RejectReason.BAD_FIELD_TYPE, "context must be an object, got " + describe(v));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken cv = p.nextToken();
            boolean ok;
            switch (name) {
                case "lat":
                    ok = firstTimeInContext(s, C_LAT, name) && readCoordinate(p, cv, "context.lat", 90.0, s);
                    if (ok && s.numberPresent) {
                        s.lat = s.number;
                        s.hasLat = true;
                    }
                    break;
                case "lon":
                    ok = firstTimeInContext(s, C_LON, name) && readCoordinate(p, cv, "context.lon", 180.0, s);
                    if (ok && s.numberPresent) {
                        s.lon = s.number;
                        s.hasLon = true;
                    }
                    break;
                case "geo":
                    ok = firstTimeInContext(s, C_GEO, name) && readGeo(p, cv, s);
                    break;
                case "device":
                    ok = firstTimeInContext(s, C_DEVICE, name);
                    if (ok) {
                        s.device = readOptionalString(p, cv, "context.device", s);
                        ok = s.ok();
                    }
                    break;
                case "os":
                    ok = firstTimeInContext(s, C_OS, name);
                    if (ok) {
                        s.os = readOptionalString(p, cv, "context.os", s);
                        ok = s.ok();
                    }
                    break;
                case SESSION_ID:
                    ok = firstTimeInContext(s, C_SESSION_ID, name);
                    if (ok) {
                        s.contextSessionId = readId(p, cv, "context.session_id", s, 0);
                        ok = s.ok();
                    }
                    break;
                case "tz":
                    ok = firstTimeInContext(s, C_TZ, name) && readZone(p, cv, s);
                    break;
                default:
                    ok = readAttribute(p, name, cv, s);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * A custom context attribute ({@link ContextAttributes}): a string, number or boolean under a key
     * the contract does not resolve. {@code null} and blank strings are absent; objects, arrays, keys
     * or values out of bounds, and one attribute too many are {@code BAD_CONTEXT_ATTRIBUTE}; a key seen
     * twice (after normalisation) is {@code DUPLICATE_FIELD}. Details name the key, never the value.
     */
    private static boolean readAttribute(JsonParser p, String rawKey, JsonToken v, Scratch s) throws IOException {
        String key = ContextAttributes.normalize(rawKey);
        if (key.isEmpty()) {
            p.skipChildren();
            return s.fail(RejectReason.BAD_CONTEXT_ATTRIBUTE, "context has a blank key");
        }
        if (key.length() > ContextAttributes.MAX_KEY_CHARS) {
            p.skipChildren();
            return s.fail(
                    RejectReason.BAD_CONTEXT_ATTRIBUTE,
                    "context key " + snippet(key) + " has " + key.length() + " characters, the limit is "
                            + ContextAttributes.MAX_KEY_CHARS);
        }
        int control = ContextAttributes.indexOfControl(key);
        if (control >= 0) {
            p.skipChildren();
            return s.fail(
                    RejectReason.BAD_CONTEXT_ATTRIBUTE,
                    String.format(
                            "context key %s contains the control character U+%04X",
                            snippet(key), (int) key.charAt(control)));
        }
        if (ContextAttributes.RESERVED_KEYS.contains(key)) {
            p.skipChildren();
            return s.fail(
                    RejectReason.BAD_CONTEXT_ATTRIBUTE,
                    "context key " + snippet(rawKey) + " is context." + key
                            + " in another case or with blanks; context keys are case-sensitive");
        }
        String text;
        switch (v) {
            case VALUE_NULL:
                return true;
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                text = p.getText();
                break;
            case VALUE_TRUE:
                text = "true";
                break;
            case VALUE_FALSE:
                text = "false";
                break;
            default:
                p.skipChildren();
                return s.fail(
                        RejectReason.BAD_CONTEXT_ATTRIBUTE,
                        "context." + key + " must be a string, number or boolean, got " + describe(v));
        }
        String value = ContextAttributes.normalize(text);
        if (value.isEmpty()) {
            return true;
        }
        if (value.length() > ContextAttributes.MAX_VALUE_CHARS) {
            return s.fail(
                    RejectReason.BAD_CONTEXT_ATTRIBUTE,
                    "context." + key + " has " + value.length() + " characters, the limit is "
                            + ContextAttributes.MAX_VALUE_CHARS);
        }
        control = ContextAttributes.indexOfControl(value);
        if (control >= 0) {
            return s.fail(
                    RejectReason.BAD_CONTEXT_ATTRIBUTE,
                    String.format(
                            "context.%s contains the control character U+%04X at index %d",
                            key, (int) value.charAt(control), control));
        }
        for (int a = 0; a < s.attributeCount; a++) {
            if (s.attributeKeys[a].equals(key)) {
                return s.fail(RejectReason.DUPLICATE_FIELD, "context." + key + " appears more than once");
            }
        }
        if (s.attributeCount == ContextAttributes.MAX_ATTRIBUTES) {
            return s.fail(
                    RejectReason.BAD_CONTEXT_ATTRIBUTE,
                    "context has more than " + ContextAttributes.MAX_ATTRIBUTES + " custom attributes (at context."
                            + key + ")");
        }
        s.attributeKeys[s.attributeCount] = key;
        s.attributeValues[s.attributeCount] = value;
        s.attributeCount++;
        return true;
    }

    /**
     * An id: a string, or a JSON integer taken as its decimal text. Blank ids are recorded in
     * {@code s.blank} under {@code bit} and returned as {@code null}.
     */
    private String readId(JsonParser p, JsonToken v, String field, Scratch s, int bit) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NUMBER_INT) {
            s.fail(RejectReason.BAD_FIELD_TYPE, field + " must be a string, got " + describe(v));
            return null;
        }
        String id = p.getText();
        int n = id.length();
        if (n > config.maxIdLength()) {
            s.fail(RejectReason.ID_TOO_LONG, field + " has " + n + " characters, the limit is " + config.maxIdLength());
            return null;
        }
        boolean blank = true;
        int control = -1;
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (control < 0 && Character.isISOControl(c)) {
                control = i;
            }
            if (blank && !Character.isWhitespace(c)) {
                blank = false;
            }
        }
        if (blank) {
            s.blank |= bit;
            return null;
        }
        if (control >= 0) {
            s.fail(
                    RejectReason.ID_CONTROL_CHARS,
                    String.format(
                            "%s contains the control character U+%04X at index %d",
                            field, (int) id.charAt(control), control));
            return null;
        }
        return id;
    }

    private boolean readTs(JsonParser p, JsonToken v, Scratch s) throws IOException {
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

    private boolean inRange(long ms, Scratch s) {
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
            String detail = "ts " + Instant.ofEpochMilli(ms) + " is more than " + humanize(config.maxFutureSkew())
                    + " after now (" + Instant.ofEpochMilli(config.clock().millis()) + ')';
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

    private boolean readType(JsonParser p, JsonToken v, Scratch s) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return true;
        }
        if (v != JsonToken.VALUE_STRING) {
            return s.fail(RejectReason.BAD_FIELD_TYPE, "type must be a string, got " + describe(v));
        }
        String text = p.getText();
        EventType type = typeOf(text);
        if (type == null) {
            if (text.isBlank()) {
                return s.fail(RejectReason.EMPTY_FIELD, "type is blank");
            }
            return s.fail(RejectReason.UNKNOWN_TYPE, "type " + snippet(text) + " is not one of " + TYPE_NAMES);
        }
        s.type = type;
        return true;
    }

    private static final String TYPE_NAMES;

    static {
        StringBuilder sb = new StringBuilder();
        for (EventType t : EventType.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(t.wireName());
        }
        TYPE_NAMES = sb.toString();
    }

    private static EventType typeOf(String text) {
        // the exact lowercase names first: no allocation on the common path
        switch (text) {
            case "view":
                return EventType.VIEW;
            case "click":
                return EventType.CLICK;
            case "add_to_cart":
                return EventType.ADD_TO_CART;
            case "purchase":
                return EventType.PURCHASE;
            case "rate":
                return EventType.RATE;
            case "impression":
                return EventType.IMPRESSION;
            case "item":
                return EventType.ITEM;
            case "user":
                return EventType.USER;
            case "forget_user":
                return EventType.FORGET_USER;
            default:
                return EventType.fromWireName(text);
        }
    }

    /**
     * {@code value} or {@code price}: a JSON number or a string holding a decimal number. Sets
     * {@code s.number}/{@code s.numberPresent}; NaN and infinities are rejected.
     */
    private boolean readAmount(JsonParser p, JsonToken v, String field, Scratch s) throws IOException {
        s.numberPresent = false;
        double d;
        switch (v) {
            case VALUE_NULL:
                return true;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                d = p.getDoubleValue();
                break;
            case VALUE_STRING: {
                String text = p.getText();
                if (isDecimalText(text)) {
                    d = Double.parseDouble(text);
                } else if (isNonFiniteText(text)) {
                    return s.fail(
                            RejectReason.VALUE_OUT_OF_RANGE,
                            field + " is " + snippet(text) + "; it must be a finite number");
                } else {
                    return s.fail(
                            RejectReason.NON_NUMERIC_VALUE,
                            field + " must be a number, got the string " + snippet(text));
                }
                break;
            }
            default:
                return s.fail(RejectReason.NON_NUMERIC_VALUE, field + " must be a number, got " + describe(v));
        }
        if (!Double.isFinite(d)) {
            return s.fail(RejectReason.VALUE_OUT_OF_RANGE, field + " is " + d + "; it must be a finite number");
        }
        s.number = d;
        s.numberPresent = true;
        return true;
    }

    private boolean readCoordinate(JsonParser p, JsonToken v, String field, double limit, Scratch s)
            throws IOException {
        s.numberPresent = false;
        double d;
        switch (v) {
            case VALUE_NULL:
                return true;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                d = p.getDoubleValue();
                break;
            case VALUE_STRING: {
                String text = p.getText();
                if (!isDecimalText(text)) {
                    return s.fail(
                            RejectReason.BAD_COORDINATES, field + " must be a number, got the string " + snippet(text));
                }
                d = Double.parseDouble(text);
                break;
            }
            default:
                return s.fail(RejectReason.BAD_COORDINATES, field + " must be a number, got " + describe(v));
        }
        if (!(d >= -limit && d <= limit)) {
            // the value itself is not echoed: coordinates are personal data
            return s.fail(
                    RejectReason.BAD_COORDINATES, field + " is outside [-" + (int) limit + ", " + (int) limit + ']');
        }
        s.number = d;
        s.numberPresent = true;
        return true;
    }

    private boolean readGeo(JsonParser p, JsonToken v, Scratch s) throws IOException {
        String geo = readOptionalString(p, v, "context.geo", s);
        if (geo == null) {
            return s.ok();
        }
        int badChar = GeoHash.indexOfInvalidChar(geo);
        if (badChar >= 0) {
            return s.fail(
                    RejectReason.BAD_GEO,
                    "context.geo has " + snippet(String.valueOf(geo.charAt(badChar))) + " at index " + badChar
                            + ", not a geohash character (0-9 and b-z without i, l, o)");
        }
        if (geo.length() < config.geohashPrecision()) {
            return s.fail(
                    RejectReason.BAD_GEO,
                    "context.geo has " + geo.length() + " characters, fewer than the configured precision "
                            + config.geohashPrecision());
        }
        if (geo.length() > MAX_GEO_CHARS) {
            return s.fail(
                    RejectReason.BAD_GEO,
                    "context.geo has " + geo.length() + " characters, more than " + MAX_GEO_CHARS);
        }
        s.geoCell = context.geoCell(geo);
        return true;
    }

    private boolean readZone(JsonParser p, JsonToken v, Scratch s) throws IOException {
        String tz = readOptionalString(p, v, "context.tz", s);
        if (tz == null) {
            return s.ok();
        }
        ZoneId zone = context.zone(tz);
        if (zone == null) {
            return s.fail(
                    RejectReason.BAD_TIMEZONE,
                    "context.tz " + snippet(tz) + " is not a time zone id (e.g. Europe/Paris, UTC, +09:00)");
        }
        s.zone = zone;
        return true;
    }

    /** A string, or {@code null} when null or blank; other JSON types are {@code BAD_FIELD_TYPE}. */
    private static String readOptionalString(JsonParser p, JsonToken v, String field, Scratch s) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            String text = p.getText();
            return text.isBlank() ? null : text;
        }
        if (v != JsonToken.VALUE_NULL) {
            s.fail(RejectReason.BAD_FIELD_TYPE, field + " must be a string, got " + describe(v));
        }
        return null;
    }

    /** An array of strings (blank ones dropped), or {@code null} when null. */
    private static String[] readStringArray(JsonParser p, JsonToken v, String field, Scratch s) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.START_ARRAY) {
            s.fail(RejectReason.BAD_FIELD_TYPE, field + " must be an array of strings, got " + describe(v));
            return null;
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        int index = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                s.fail(
                        RejectReason.BAD_FIELD_TYPE,
                        field + " must be an array of strings; element " + index + " is " + describe(t));
                return null;
            }
            String e = p.getText();
            if (!e.isBlank()) {
                out.add(e);
            }
            index++;
        }
        return out.toArray(new String[0]);
    }

    // ---------------------------------------------------------------------------------------------
    // Whole-record checks and the event

    private ParseOutcome finish(Scratch s, RawRecord rec) {
        if (s.eventId == null) {
            return reject(RejectReason.MISSING_FIELD, "event_id is missing or null", rec);
        }
        if (!s.hasTs) {
            return reject(RejectReason.MISSING_FIELD, "ts is missing or null", rec);
        }
        EventType type = s.type;
        if (type == null) {
            return reject(RejectReason.MISSING_FIELD, "type is missing or null", rec);
        }
        boolean needsUser = type != EventType.ITEM;
        boolean needsItem = type.isBehaviour() || type == EventType.ITEM;
        if (needsUser && s.userId == null) {
            return requiredAbsent(USER_ID, B_USER_ID, type, s, rec);
        }
        if (needsItem && s.itemId == null) {
            return requiredAbsent(ITEM_ID, B_ITEM_ID, type, s, rec);
        }
        if (type == EventType.RATE && !s.hasValue) {
            return reject(
                    RejectReason.MISSING_FIELD, "value (the rating) is missing or null; rate events need it", rec);
        }
        if (s.hasValue && type.isBehaviour()) {
            if (type == EventType.RATE) {
                if (s.value < config.ratingMin() || s.value > config.ratingMax()) {
                    return reject(
                            RejectReason.VALUE_OUT_OF_RANGE,
                            "value " + s.value + " is outside the rating scale [" + config.ratingMin() + ", "
                                    + config.ratingMax() + ']',
                            rec);
                }
            } else if (s.value < 0) {
                return reject(
                        RejectReason.VALUE_OUT_OF_RANGE,
                        "value " + s.value + " is negative; for " + type.wireName()
                                + " events it is an amount and must be >= 0",
                        rec);
            }
        }
        if (s.hasLat != s.hasLon) {
            return reject(
                    RejectReason.BAD_COORDINATES,
                    (s.hasLat ? "context.lat is given without context.lon" : "context.lon is given without context.lat")
                            + "; give both or neither",
                    rec);
        }
        return ParseOutcome.valid(toEvent(s, type));
    }

    private ParseOutcome requiredAbsent(String field, int bit, EventType type, Scratch s, RawRecord rec) {
        if ((s.blank & bit) != 0) {
            return reject(RejectReason.EMPTY_FIELD, field + " is blank; " + type.wireName() + " events need it", rec);
        }
        return reject(
                RejectReason.MISSING_FIELD, field + " is missing or null; " + type.wireName() + " events need it", rec);
    }

    private Event toEvent(Scratch s, EventType type) {
        Event e = new Event();
        e.eventId = s.eventId;
        e.ts = s.ts;
        e.type = type;
        e.userId = type == EventType.ITEM ? null : s.userId;
        e.itemId = type == EventType.USER || type == EventType.FORGET_USER ? null : s.itemId;
        e.value = s.hasValue && type.isBehaviour() ? s.value : null;
        e.requestId = s.requestId;
        e.sessionId = s.sessionId != null ? s.sessionId : s.contextSessionId;
        if (s.hasLat) {
            e.geoCell = context.geoCell(s.lat, s.lon);
        } else if (s.geoCell != null) {
            e.geoCell = s.geoCell;
        } else {
            e.geoCell = ContextDefaults.UNKNOWN_GEO;
        }
        e.timeBucket = context.timeBucket(s.ts, s.zone);
        e.deviceClass = context.deviceClass(s.device, s.os);
        if (s.attributeCount > 0) {
            String[][] attributes = ContextAttributes.sorted(s.attributeKeys, s.attributeValues, s.attributeCount);
            e.attributeKeys = attributes[0];
            e.attributeValues = attributes[1];
        }
        if (type == EventType.ITEM) {
            e.category = s.category;
            e.tags = s.tags;
            e.price = s.price;
            e.available = s.available;
        } else if (type == EventType.USER) {
            e.segment = s.segment;
            e.locale = s.locale;
            e.interests = s.interests;
        }
        return e;
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private static boolean firstTime(Scratch s, int bit, String field) {
        if ((s.seen & bit) != 0) {
            return s.fail(RejectReason.DUPLICATE_FIELD, field + " appears more than once");
        }
        s.seen |= bit;
        return true;
    }

    private static boolean firstTimeInContext(Scratch s, int bit, String field) {
        if ((s.contextSeen & bit) != 0) {
            return s.fail(RejectReason.DUPLICATE_FIELD, "context." + field + " appears more than once");
        }
        s.contextSeen |= bit;
        return true;
    }

    /**
     * A plain decimal number: optional sign, digits with an optional fraction, optional exponent;
     * no spaces, hex, or Java suffixes such as {@code d} that {@link Double#parseDouble} would accept.
     */
    static boolean isDecimalText(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        int digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                i++;
            }
            int exp = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    /** NaN or an infinity as producers spell them in strings. */
    private static boolean isNonFiniteText(String s) {
        String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        return t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("infinity") || t.equalsIgnoreCase("inf");
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of input";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
                return "an integer";
            case VALUE_NUMBER_FLOAT:
                return "a fractional number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.name();
        }
    }

    /** A short, single-line, quoted excerpt of an input value for a detail. */
    private static String snippet(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), SNIPPET_CHARS) + 5).append('\'');
        int n = Math.min(text.length(), SNIPPET_CHARS);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > SNIPPET_CHARS) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }

    private static String shorten(String msg, int max) {
        if (msg == null) {
            return "";
        }
        int nl = msg.indexOf('\n');
        String line = nl >= 0 ? msg.substring(0, nl) : msg;
        return line.length() <= max ? line : line.substring(0, max) + "...";
    }

    private static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static JsonLocation currentLocation(JsonParser p) {
        try {
            return p.currentLocation();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String humanize(Duration d) {
        if (d.toMinutes() % (24 * 60) == 0 && !d.isZero()) {
            long days = d.toDays();
            return days + (days == 1 ? " day" : " days");
        }
        return d.toString();
    }

    private static ParseOutcome reject(RejectReason reason, String detail, RawRecord rec) {
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

    private Scratch scratch() {
        if (scratch == null) {
            scratch = new Scratch();
        }
        return scratch;
    }

    /** What has been read of the current record; reused across records (the parser is thread-confined). */
    private static final class Scratch {
        RejectReason reason;
        String detail;
        int seen;
        int contextSeen;
        int blank;

        String eventId;
        long ts;
        boolean hasTs;
        EventType type;
        String userId;
        String itemId;
        double value;
        boolean hasValue;
        String requestId;
        String sessionId;
        String contextSessionId;

        double lat;
        double lon;
        boolean hasLat;
        boolean hasLon;
        String geoCell;
        String device;
        String os;
        ZoneId zone;
        /** Custom context attributes read so far: the first {@link #attributeCount} entries. */
        final String[] attributeKeys = new String[ContextAttributes.MAX_ATTRIBUTES];

        final String[] attributeValues = new String[ContextAttributes.MAX_ATTRIBUTES];
        int attributeCount;

        String category;
        String[] tags;
        Double price;
        Boolean available;
        String segment;
        String locale;
        String[] interests;

        double number;
        boolean numberPresent;

        void reset() {
            reason = null;
            detail = null;
            seen = 0;
            contextSeen = 0;
            blank = 0;
            eventId = null;
            ts = 0;
            hasTs = false;
            type = null;
            userId = null;
            itemId = null;
            value = 0;
            hasValue = false;
            requestId = null;
            sessionId = null;
            contextSessionId = null;
            lat = 0;
            lon = 0;
            hasLat = false;
            hasLon = false;
            geoCell = null;
            device = null;
            os = null;
            zone = null;
            for (int a = 0; a < attributeCount; a++) {
                attributeKeys[a] = null;
                attributeValues[a] = null;
            }
            attributeCount = 0;
            category = null;
            tags = null;
            price = null;
            available = null;
            segment = null;
            locale = null;
            interests = null;
            number = 0;
            numberPresent = false;
        }

        boolean ok() {
            return reason == null;
        }

        /** Records the first problem; always returns false so callers can {@code return s.fail(...)}. */
        boolean fail(RejectReason r, String d) {
            if (reason == null) {
                reason = r;
                detail = d;
            }
            return false;
        }
    }
}
