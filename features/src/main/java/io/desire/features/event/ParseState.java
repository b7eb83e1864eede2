package io.desire.features.event;

import java.time.ZoneId;

/**
 * What has been read of the current record: the values of its fields, which fields were seen (to
 * catch duplicates) or blank, and the first problem found. One instance per parser, reset and reused
 * for every record (the parser is thread-confined), so valid input allocates no state of its own.
 */
final class ParseState {
    RejectReason reason;
    String detail;
    /** The {@link EventField#bit bits} of the fields seen so far, top-level and in {@code context}. */
    int seen;
    /** The {@link EventField#bit bits} of the id fields that were given but blank. */
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

    /** The last number read by {@link FieldReaders#amount} or {@link FieldReaders#coordinate}. */
    double number;
    /** Whether that number was given (false for {@code null}). */
    boolean numberPresent;

    void reset() {
        reason = null;
        detail = null;
        seen = 0;
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
