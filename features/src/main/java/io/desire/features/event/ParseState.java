package io.desire.features.event;

import java.time.ZoneId;
import java.util.Arrays;

/**
 * What has been read of the current record: the values of its fields, which fields were seen (to
 * catch duplicates) or blank, and the first problem found. One instance per parser, reset and reused
 * for every record (the parser is thread-confined), so valid input allocates no state of its own.
 */
final class ParseState {
    private static final int FIELDS = EventField.values().length;

    RejectReason reason;
    String detail;
    /** The {@link EventField#bit bits} of the fields seen so far, top-level and in {@code context}. */
    int seen;
    /** The {@link EventField#bit bits} of the id fields that were given but blank. */
    int blank;

    /** The ids and strings read, by {@link EventField#ordinal()}; {@code null} when absent or blank. */
    private final String[] text = new String[FIELDS];
    /** The arrays of strings read, by {@link EventField#ordinal()}; {@code null} when absent. */
    private final String[][] list = new String[FIELDS][];

    long ts;
    boolean hasTs;
    EventType type;
    double value;
    boolean hasValue;

    double lat;
    double lon;
    boolean hasLat;
    boolean hasLon;
    String geoCell;
    ZoneId zone;
    /** Custom context attributes read so far: the first {@link #attributeCount} entries. */
    final String[] attributeKeys = new String[ContextAttributes.MAX_ATTRIBUTES];

    final String[] attributeValues = new String[ContextAttributes.MAX_ATTRIBUTES];
    int attributeCount;

    Double price;
    Boolean available;

    /** The last number read by {@link FieldReaders#amount} or {@link FieldReaders#coordinate}. */
    double number;
    /** Whether that number was given (false for {@code null}). */
    boolean numberPresent;

    void reset() {
        reason = null;
        detail = null;
        seen = 0;
        blank = 0;
        Arrays.fill(text, null);
        Arrays.fill(list, null);
        ts = 0;
        hasTs = false;
        type = null;
        value = 0;
        hasValue = false;
        lat = 0;
        lon = 0;
        hasLat = false;
        hasLon = false;
        geoCell = null;
        zone = null;
        for (int a = 0; a < attributeCount; a++) {
            attributeKeys[a] = null;
            attributeValues[a] = null;
        }
        attributeCount = 0;
        price = null;
        available = null;
        number = 0;
        numberPresent = false;
    }

    /** The id or string read for {@code field}, or {@code null}. */
    String text(EventField field) {
        return text[field.ordinal()];
    }

    void setText(EventField field, String value) {
        text[field.ordinal()] = value;
    }

    /** The array of strings read for {@code field}, or {@code null}. */
    String[] list(EventField field) {
        return list[field.ordinal()];
    }

    void setList(EventField field, String[] value) {
        list[field.ordinal()] = value;
    }

    /** Keeps {@code context.lat} or {@code context.lon}. */
    void setCoordinate(EventField field, double degrees) {
        if (field == EventField.CONTEXT_LAT) {
            lat = degrees;
            hasLat = true;
        } else {
            lon = degrees;
            hasLon = true;
        }
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

    /** Marks {@code field} seen; false, with {@code DUPLICATE_FIELD}, when it was seen before. */
    boolean firstTime(EventField field) {
        if ((seen & field.bit) != 0) {
            return fail(RejectReason.DUPLICATE_FIELD, field.path + " appears more than once");
        }
        seen |= field.bit;
        return true;
    }

    void markBlank(EventField field) {
        blank |= field.bit;
    }

    boolean isBlank(EventField field) {
        return (blank & field.bit) != 0;
    }
}
