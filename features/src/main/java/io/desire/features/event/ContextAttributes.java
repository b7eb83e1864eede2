package io.desire.features.event;

import java.util.Arrays;
import java.util.Locale;

/**
 * Custom context attributes: the keys of an event's {@code context} other than the ones the contract
 * resolves ({@link #RESERVED_KEYS}), e.g. {@code weather}, {@code companion}, {@code country}. Each is a
 * categorical attribute of the event, kept on {@link Event#attributeKeys} / {@link Event#attributeValues}.
 *
 * <p>Guarantees of what the {@link EventParser} accepts (docs/events.md): keys and values are
 * {@link #normalize normalised} (surrounding blanks removed, lower-cased in {@link Locale#ROOT}); a key
 * has 1 to {@value #MAX_KEY_CHARS} characters, a value 1 to {@value #MAX_VALUE_CHARS}, neither holds a
 * control character; an event carries at most {@value #MAX_ATTRIBUTES} attributes; keys are distinct
 * and sorted ({@link String#compareTo}), values parallel to them. An event without attributes has
 * {@code null} for both arrays.
 */
public final class ContextAttributes {
    /** Longest attribute key, in characters after normalisation. */
    public static final int MAX_KEY_CHARS = 64;
    /** Longest attribute value, in characters after normalisation. */
    public static final int MAX_VALUE_CHARS = 128;
    /** Most attributes one event may carry. */
    public static final int MAX_ATTRIBUTES = 16;
    /** The {@code context} keys the contract resolves itself; never attributes, in any case. */
    public static final java.util.List<String> RESERVED_KEYS =
            java.util.List.of("lat", "lon", "geo", "device", "os", "tz", "session_id");

    private ContextAttributes() {}

    /** {@code text} without surrounding blanks, lower-cased; how keys and values are compared and stored. */
    public static String normalize(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }

    /** Index of the first control character of {@code text}, or -1. */
    static int indexOfControl(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The value of attribute {@code key} (normalised or not) in the sorted parallel arrays of an
     * {@link Event}, or {@code null} when absent.
     */
    public static String valueOf(String[] keys, String[] values, String key) {
        if (keys == null || values == null || key == null) {
            return null;
        }
        int at = Arrays.binarySearch(keys, normalize(key));
        return at >= 0 && at < values.length ? values[at] : null;
    }

    /**
     * Sorts the first {@code n} entries of the parallel arrays by key (insertion sort: {@code n} is at
     * most {@value #MAX_ATTRIBUTES}) and returns them as two new arrays, or {@code null} pairs when
     * {@code n} is 0: element 0 the keys, element 1 the values.
     */
    static String[][] sorted(String[] keys, String[] values, int n) {
        if (n == 0) {
            return new String[][] {null, null};
        }
        String[] k = Arrays.copyOf(keys, n);
        String[] v = Arrays.copyOf(values, n);
        for (int a = 1; a < n; a++) {
            String kk = k[a];
            String vv = v[a];
            int b = a - 1;
            while (b >= 0 && k[b].compareTo(kk) > 0) {
                k[b + 1] = k[b];
                v[b + 1] = v[b];
                b--;
            }
            k[b + 1] = kk;
            v[b + 1] = vv;
        }
        return new String[][] {k, v};
    }

    /** Separates a key from its value in {@link #encode}: a control character, which neither may hold. */
    private static final char KEY_VALUE = '\u0001';
    /** Separates two attributes in {@link #encode}. */
    private static final char NEXT = '\u0002';

    /**
     * The attributes of an event as one string, for state that keeps them per context; {@code null}
     * for none. {@link #decode} gives the parallel arrays back. Relies on the guarantee above: no key
     * or value holds a control character.
     */
    public static String encode(String[] keys, String[] values) {
        if (keys == null || values == null || keys.length == 0 || keys.length != values.length) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int a = 0; a < keys.length; a++) {
            if (a > 0) {
                sb.append(NEXT);
            }
            sb.append(keys[a]).append(KEY_VALUE).append(values[a]);
        }
        return sb.toString();
    }

    /** {@code {keys, values}} of an {@link #encode encoded} string; {@code {null, null}} for null or empty. */
    public static String[][] decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return new String[][] {null, null};
        }
        String[] pairs = encoded.split(String.valueOf(NEXT), -1);
        String[] keys = new String[pairs.length];
        String[] values = new String[pairs.length];
        for (int a = 0; a < pairs.length; a++) {
            int at = pairs[a].indexOf(KEY_VALUE);
            if (at < 0) {
                throw new IllegalArgumentException("not an encoded attribute: " + pairs[a]);
            }
            keys[a] = pairs[a].substring(0, at);
            values[a] = pairs[a].substring(at + 1);
        }
        return new String[][] {keys, values};
    }
}
