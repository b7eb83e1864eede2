package io.desire.features.event;

import static io.desire.features.event.Details.describe;
import static io.desire.features.event.Details.snippet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.desire.features.context.ContextResolver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The readers of the values the {@link EventField fields} hold: ids, strings, arrays of strings, the
 * event type, amounts and coordinates; and, for the fields that need more, the timestamp and context
 * readers. Each reader takes the value's first token, consumes the whole value, and on a problem
 * records the reason and a detail that names the field in the {@link ParseState}.
 *
 * <p>Built from one parser's configuration; as thread-confined as the parser.
 */
final class FieldReaders {
    private static final String TYPE_NAMES;

    static {
        StringBuilder sb = new StringBuilder();
        for (EventType t : EventType.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(t.wireName());
        }
        TYPE_NAMES = sb.toString();
    }

    private final ParserConfig config;
    private final TimestampReader timestamps;
    private final ContextReader context;

    FieldReaders(ParserConfig config, ContextResolver resolver) {
        this.config = config;
        this.timestamps = new TimestampReader(config);
        this.context = new ContextReader(this, config, resolver);
    }

    TimestampReader timestamps() {
        return timestamps;
    }

    ContextReader context() {
        return context;
    }

    /**
     * An id: a string, or a JSON integer taken as its decimal text. A blank id is marked blank for
     * {@code field} in {@code s} and returned as {@code null}.
     */
    String id(JsonParser p, JsonToken v, EventField field, ParseState s) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NUMBER_INT) {
            s.fail(RejectReason.BAD_FIELD_TYPE, field.path + " must be a string, got " + describe(v));
            return null;
        }
        String id = p.getText();
        int n = id.length();
        if (n > config.maxIdLength()) {
            s.fail(
                    RejectReason.ID_TOO_LONG,
                    field.path + " has " + n + " characters, the limit is " + config.maxIdLength());
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
            s.markBlank(field);
            return null;
        }
        if (control >= 0) {
            s.fail(
                    RejectReason.ID_CONTROL_CHARS,
                    String.format(
                            "%s contains the control character U+%04X at index %d",
                            field.path, (int) id.charAt(control), control));
            return null;
        }
        return id;
    }

    /** {@code type}: one of the {@link EventType} wire names. */
    boolean type(JsonParser p, JsonToken v, ParseState s) throws IOException {
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
    boolean amount(JsonParser p, JsonToken v, String field, ParseState s) throws IOException {
        if (!number(p, v, field, RejectReason.NON_NUMERIC_VALUE, s)) {
            return false;
        }
        if (s.numberPresent && !Double.isFinite(s.number)) {
            return s.fail(RejectReason.VALUE_OUT_OF_RANGE, field + " is " + s.number + "; it must be a finite number");
        }
        return true;
    }

    /**
     * {@code context.lat} or {@code context.lon}: a number (or a string holding one) within
     * {@code [-limit, limit]}, kept in {@code s} as that coordinate.
     */
    boolean coordinate(JsonParser p, JsonToken v, EventField field, double limit, ParseState s) throws IOException {
        if (!number(p, v, field.path, RejectReason.BAD_COORDINATES, s)) {
            return false;
        }
        if (!s.numberPresent) {
            return true;
        }
        if (!(s.number >= -limit && s.number <= limit)) {
            // the value itself is not echoed: coordinates are personal data
            return s.fail(
                    RejectReason.BAD_COORDINATES,
                    field.path + " is outside [-" + (int) limit + ", " + (int) limit + ']');
        }
        s.setCoordinate(field, s.number);
        return true;
    }

    /**
     * A JSON number, or a string holding a {@link NumberText#isDecimal decimal number}, into
     * {@code s.number} ({@code s.numberPresent} false for {@code null}); anything else is
     * {@code notANumber}. An amount spelt as NaN or an infinity in a string is out of range instead.
     */
    private static boolean number(JsonParser p, JsonToken v, String field, RejectReason notANumber, ParseState s)
            throws IOException {
        s.numberPresent = false;
        switch (v) {
            case VALUE_NULL:
                return true;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                s.number = p.getDoubleValue();
                break;
            case VALUE_STRING: {
                String text = p.getText();
                if (NumberText.isDecimal(text)) {
                    s.number = Double.parseDouble(text);
                } else if (notANumber == RejectReason.NON_NUMERIC_VALUE && NumberText.isNonFinite(text)) {
                    return s.fail(
                            RejectReason.VALUE_OUT_OF_RANGE,
                            field + " is " + snippet(text) + "; it must be a finite number");
                } else {
                    return s.fail(notANumber, field + " must be a number, got the string " + snippet(text));
                }
                break;
            }
            default:
                return s.fail(notANumber, field + " must be a number, got " + describe(v));
        }
        s.numberPresent = true;
        return true;
    }

    /** A string, or {@code null} when null or blank; other JSON types are {@code BAD_FIELD_TYPE}. */
    static String optionalString(JsonParser p, JsonToken v, String field, ParseState s) throws IOException {
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
    static String[] stringArray(JsonParser p, JsonToken v, String field, ParseState s) throws IOException {
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
}
