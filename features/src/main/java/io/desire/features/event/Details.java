package io.desire.features.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.time.Duration;

/**
 * The pieces of a dead letter's detail: how a JSON token is named, how an input value is quoted, where
 * in the payload a problem is. A detail quotes at most {@value #SNIPPET_CHARS} characters of a value,
 * on one line, so it never carries the whole payload.
 */
final class Details {
    /** Longest excerpt of an input value quoted in a detail. */
    static final int SNIPPET_CHARS = 40;

    private Details() {}

    /** What a token is, in words: "an object", "a string", "null", "the end of input", … */
    static String describe(JsonToken t) {
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
    static String snippet(String text) {
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

    /** The first line of {@code msg}, cut to {@code max} characters; "" for {@code null}. */
    static String shorten(String msg, int max) {
        if (msg == null) {
            return "";
        }
        int nl = msg.indexOf('\n');
        String line = nl >= 0 ? msg.substring(0, nl) : msg;
        return line.length() <= max ? line : line.substring(0, max) + "...";
    }

    /** " at line L, column C", or "" when the location is unknown. */
    static String where(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** The parser's location, or {@code null} when it cannot tell. */
    static JsonLocation currentLocation(JsonParser p) {
        try {
            return p.currentLocation();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** "7 days" for whole days, else the ISO-8601 form of the duration. */
    static String humanize(Duration d) {
        if (d.toMinutes() % (24 * 60) == 0 && !d.isZero()) {
            long days = d.toDays();
            return days + (days == 1 ? " day" : " days");
        }
        return d.toString();
    }
}
