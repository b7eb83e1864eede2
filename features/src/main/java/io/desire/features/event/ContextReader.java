package io.desire.features.event;

import static io.desire.features.event.Details.describe;
import static io.desire.features.event.Details.snippet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.desire.features.context.ContextResolver;
import io.desire.features.context.GeoHash;
import java.io.IOException;
import java.time.ZoneId;

/**
 * Reads the {@code context} object: its resolved keys through their {@link EventField fields} (the
 * geohash and time zone checks are here), every other key as a custom attribute
 * ({@link ContextAttributes}). Raw coordinates stay in the {@link ParseState}; only the cell they fall
 * in reaches the event.
 */
final class ContextReader {
    /** Longest given geohash considered (longer is not a cell of any real precision). */
    private static final int MAX_GEO_CHARS = 24;

    private final FieldReaders fields;
    private final ParserConfig config;
    private final ContextResolver resolver;

    ContextReader(FieldReaders fields, ParserConfig config, ContextResolver resolver) {
        this.fields = fields;
        this.config = config;
        this.resolver = resolver;
    }

    /** Reads the value of {@code context}: {@code null} or an object. */
    boolean read(JsonParser p, JsonToken v, ParseState s) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return true;
        }
        if (v != JsonToken.START_OBJECT) {
            return s.fail(RejectReason.BAD_FIELD_TYPE, "context must be an object, got " + describe(v));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken cv = p.nextToken();
            EventField field = EventField.inContext(name);
            boolean ok =
                    field == null ? readAttribute(p, name, cv, s) : s.firstTime(field) && field.read(fields, p, cv, s);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code context.geo}: a geohash at least as precise as the configured cells; kept as its cell. */
    boolean readGeo(JsonParser p, JsonToken v, ParseState s) throws IOException {
        String geo = FieldReaders.optionalString(p, v, EventField.CONTEXT_GEO.path, s);
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
        s.geoCell = resolver.geoCell(geo);
        return true;
    }

    /** {@code context.tz}: a time zone id or offset. */
    boolean readZone(JsonParser p, JsonToken v, ParseState s) throws IOException {
        String tz = FieldReaders.optionalString(p, v, EventField.CONTEXT_TZ.path, s);
        if (tz == null) {
            return s.ok();
        }
        ZoneId zone = resolver.zone(tz);
        if (zone == null) {
            return s.fail(
                    RejectReason.BAD_TIMEZONE,
                    "context.tz " + snippet(tz) + " is not a time zone id (e.g. Europe/Paris, UTC, +09:00)");
        }
        s.zone = zone;
        return true;
    }

    /**
     * A custom context attribute ({@link ContextAttributes}): a string, number or boolean under a key
     * the contract does not resolve. {@code null} and blank strings are absent; objects, arrays, keys
     * or values out of bounds, and one attribute too many are {@code BAD_CONTEXT_ATTRIBUTE}; a key seen
     * twice (after normalisation) is {@code DUPLICATE_FIELD}. Details name the key, never the value.
     */
    private static boolean readAttribute(JsonParser p, String rawKey, JsonToken v, ParseState s) throws IOException {
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
        String text = scalarText(p, v);
        if (text == null) {
            if (v == JsonToken.VALUE_NULL) {
                return true;
            }
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
        return addAttribute(key, value, s);
    }

    /** The text of a string, number or boolean; {@code null} for any other token. */
    private static String scalarText(JsonParser p, JsonToken v) throws IOException {
        switch (v) {
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getText();
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            default:
                return null;
        }
    }

    private static boolean addAttribute(String key, String value, ParseState s) {
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
}
