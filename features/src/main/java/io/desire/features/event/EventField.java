package io.desire.features.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of the event contract (docs/events.md) the parser reads: the top-level ones and those it
 * resolves under {@code context}. Each has its JSON name, its path in details ({@code context.lat}),
 * a bit of its own (to catch a field given twice) and its reader: the one of its {@link Kind}, which
 * keeps the value in the {@link ParseState} by field, or, for a field with rules of its own, its own.
 * Keys not listed here are ignored at the top level and become custom attributes under
 * {@code context} ({@link ContextReader}).
 */
enum EventField {
    EVENT_ID("event_id", Kind.ID) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            // unlike the other ids, which a type may not need, an event id is never blank
            return super.read(r, p, v, s)
                    && (!s.isBlank(this) || s.fail(RejectReason.EMPTY_FIELD, "event_id is blank"));
        }
    },
    TS("ts", Kind.OWN) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.timestamps().read(p, v, s);
        }
    },
    TYPE("type", Kind.OWN) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.type(p, v, s);
        }
    },
    USER_ID("user_id", Kind.ID),
    ITEM_ID("item_id", Kind.ID),
    VALUE("value", Kind.OWN) {
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
    REQUEST_ID("request_id", Kind.ID),
    SESSION_ID("session_id", Kind.ID),
    CONTEXT("context", Kind.OWN) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.context().read(p, v, s);
        }
    },
    CATEGORY("category", Kind.TEXT),
    TAGS("tags", Kind.LIST),
    PRICE("price", Kind.OWN) {
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
    AVAILABLE("available", Kind.OWN) {
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
    SEGMENT("segment", Kind.TEXT),
    LOCALE("locale", Kind.TEXT),
    INTERESTS("interests", Kind.LIST),

    // Under context (the third argument): the keys the parser resolves itself, ContextAttributes.RESERVED_KEYS.

    CONTEXT_LAT("lat", Kind.OWN, true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.coordinate(p, v, this, 90.0, s);
        }
    },
    CONTEXT_LON("lon", Kind.OWN, true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.coordinate(p, v, this, 180.0, s);
        }
    },
    CONTEXT_GEO("geo", Kind.OWN, true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.context().readGeo(p, v, s);
        }
    },
    CONTEXT_DEVICE("device", Kind.TEXT, true),
    CONTEXT_OS("os", Kind.TEXT, true),
    CONTEXT_SESSION_ID("session_id", Kind.ID, true),
    CONTEXT_TZ("tz", Kind.OWN, true) {
        @Override
        boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
            return r.context().readZone(p, v, s);
        }
    };

    /** How a field's value is read and kept. */
    enum Kind {
        /** {@link FieldReaders#id}, kept as {@link ParseState#text}. */
        ID,
        /** {@link FieldReaders#optionalString}, kept as {@link ParseState#text}. */
        TEXT,
        /** {@link FieldReaders#stringArray}, kept as {@link ParseState#list}. */
        LIST,
        /** Read and kept by the field's own {@link #read}. */
        OWN
    }

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

    private final Kind kind;

    EventField(String jsonName, Kind kind) {
        this(jsonName, kind, false);
    }

    EventField(String jsonName, Kind kind, boolean inContext) {
        this.jsonName = jsonName;
        this.path = inContext ? "context." + jsonName : jsonName;
        this.inContext = inContext;
        this.bit = 1 << ordinal();
        this.kind = kind;
    }

    /**
     * Reads the field's value, whose first token {@code v} is current in {@code p}, into {@code s};
     * false, with the problem recorded in {@code s}, when the value is not acceptable.
     */
    boolean read(FieldReaders r, JsonParser p, JsonToken v, ParseState s) throws IOException {
        switch (kind) {
            case ID:
                s.setText(this, r.id(p, v, this, s));
                break;
            case TEXT:
                s.setText(this, FieldReaders.optionalString(p, v, path, s));
                break;
            case LIST:
                s.setList(this, FieldReaders.stringArray(p, v, path, s));
                break;
            default:
                throw new IllegalStateException(this + " has no reader");
        }
        return s.ok();
    }

    /** The top-level field named {@code key}, or {@code null} when the contract has none. */
    static EventField topLevel(String key) {
        return TOP_LEVEL.get(key);
    }

    /** The resolved {@code context} field named {@code key}, or {@code null} for a custom attribute. */
    static EventField inContext(String key) {
        return IN_CONTEXT.get(key);
    }
}
