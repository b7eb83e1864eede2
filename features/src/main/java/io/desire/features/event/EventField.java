package io.desire.features.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of the event contract (docs/events.md) the parser reads: the top-level ones and those it
 * resolves under {@code context}. Each has its JSON name, its path in details ({@code context.lat}),
 * a bit of its own (to catch a field given twice) and its reader, which checks the value and stores
 * it in the {@link ParseState}. Keys not listed here are ignored at the top level and become custom
 * attributes under {@code context} ({@link ContextReader}).
 */
enum EventField {
    EVENT_ID("event_id") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.eventId = r.id(p, v, this, s);
            if (s.ok() && s.isBlank(this)) {
                return s.fail(RejectReason.EMPTY_FIELD, "event_id is blank");
            }
            return s.ok();
        }
    },
    TS("ts") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.timestamps().read(p, v, s);
        }
    },
    TYPE("type") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.type(p, v, s);
        }
    },
    USER_ID("user_id") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.userId = r.id(p, v, this, s);
            return s.ok();
        }
    },
    ITEM_ID("item_id") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.itemId = r.id(p, v, this, s);
            return s.ok();
        }
    },
    VALUE("value") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            if (!r.amount(p, v, path, s)) {
                return false;
            }
            s.value = s.number;
            s.hasValue = s.numberPresent;
            return true;
        }
    },
    REQUEST_ID("request_id") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.requestId = r.id(p, v, this, s);
            return s.ok();
        }
    },
    SESSION_ID("session_id") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.sessionId = r.id(p, v, this, s);
            return s.ok();
        }
    },
    CONTEXT("context") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.context().read(p, v, s);
        }
    },
    CATEGORY("category") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.category = FieldReaders.optionalString(p, v, path, s);
            return s.ok();
        }
    },
    TAGS("tags") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.tags = FieldReaders.stringArray(p, v, path, s);
            return s.ok();
        }
    },
    PRICE("price") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            if (!r.amount(p, v, path, s)) {
                return false;
            }
            if (s.numberPresent) {
                if (s.number < 0) {
                    return s.fail(RejectReason.VALUE_OUT_OF_RANGE, "price " + s.number + " is negative");
                }
                s.price = s.number;
            }
            return true;
        }
    },
    AVAILABLE("available") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) {
            if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                s.available = v == JsonToken.VALUE_TRUE;
                return true;
            }
            return v == JsonToken.VALUE_NULL
                    || s.fail(
                            RejectReason.BAD_FIELD_TYPE, "available must be true or false, got " + Details.describe(v));
        }
    },
    SEGMENT("segment") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.segment = FieldReaders.optionalString(p, v, path, s);
            return s.ok();
        }
    },
    LOCALE("locale") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.locale = FieldReaders.optionalString(p, v, path, s);
            return s.ok();
        }
    },
    INTERESTS("interests") {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.interests = FieldReaders.stringArray(p, v, path, s);
            return s.ok();
        }
    },

    // Under context: the parts the parser resolves itself (ContextAttributes.RESERVED_KEYS).

    CONTEXT_LAT("lat", true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            if (r.coordinate(p, v, path, 90.0, s) && s.numberPresent) {
                s.lat = s.number;
                s.hasLat = true;
            }
            return s.ok();
        }
    },
    CONTEXT_LON("lon", true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            if (r.coordinate(p, v, path, 180.0, s) && s.numberPresent) {
                s.lon = s.number;
                s.hasLon = true;
            }
            return s.ok();
        }
    },
    CONTEXT_GEO("geo", true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.context().readGeo(p, v, s);
        }
    },
    CONTEXT_DEVICE("device", true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.device = FieldReaders.optionalString(p, v, path, s);
            return s.ok();
        }
    },
    CONTEXT_OS("os", true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.os = FieldReaders.optionalString(p, v, path, s);
            return s.ok();
        }
    },
    CONTEXT_SESSION_ID("session_id", true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            s.contextSessionId = r.id(p, v, this, s);
            return s.ok();
        }
    },
    CONTEXT_TZ("tz", true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.context().readZone(p, v, s);
        }
    };

    private static final Map<String, EventField> TOP_LEVEL = new HashMap<>();
    private static final Map<String, EventField> IN_CONTEXT = new HashMap<>();

    static {
        for (EventField f : values()) {
            (f.inContext ? IN_CONTEXT : TOP_LEVEL).put(f.jsonName, f);
        }
    }

    /** The key in its JSON object. */
    final String jsonName;
    /** How details name it: the key, prefixed with {@code context.} under {@code context}. */
    final String path;
    /** Whether it is a key of {@code context} rather than of the record. */
    final boolean inContext;
    /** Its bit in {@link ParseState#seen} and {@link ParseState#blank}. */
    final int bit;

    EventField(String jsonName) {
        this(jsonName, false);
    }

    EventField(String jsonName, boolean inContext) {
        this.jsonName = jsonName;
        this.path = inContext ? "context." + jsonName : jsonName;
        this.inContext = inContext;
        this.bit = 1 << ordinal();
    }

    /**
     * Reads the field's value, whose first token {@code v} is current in {@code p}, into {@code s};
     * false, with the problem recorded in {@code s}, when the value is not acceptable.
     */
    abstract boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException;

    /** The top-level field named {@code key}, or {@code null} when the contract has none. */
    static EventField topLevel(String key) {
        return TOP_LEVEL.get(key);
    }

    /** The resolved {@code context} field named {@code key}, or {@code null} for a custom attribute. */
    static EventField inContext(String key) {
        return IN_CONTEXT.get(key);
    }
}
