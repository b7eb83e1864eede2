package io.desire.features.event;

import io.desire.features.context.ContextDefaults;
import io.desire.features.context.ContextResolver;

/**
 * The checks that need the whole record, once every field is read (required fields per type, the
 * rating scale, coordinates in pairs), and the {@link Event} built from what was read, with its
 * context parts resolved. Missing fields are reported in a fixed order: {@code event_id}, {@code ts},
 * {@code type}, then the ids the type needs.
 */
final class EventAssembler {
    private final ParserConfig config;
    private final ContextResolver resolver;

    EventAssembler(ParserConfig config, ContextResolver resolver) {
        this.config = config;
        this.resolver = resolver;
    }

    /** The event of a record whose fields were all read without a problem, or its dead letter. */
    ParseOutcome finish(ParseState s, RawRecord rec) {
        if (s.text(EventField.EVENT_ID) == null) {
            return EventParser.reject(RejectReason.MISSING_FIELD, "event_id is missing or null", rec);
        }
        if (!s.hasTs) {
            return EventParser.reject(RejectReason.MISSING_FIELD, "ts is missing or null", rec);
        }
        EventType type = s.type;
        if (type == null) {
            return EventParser.reject(RejectReason.MISSING_FIELD, "type is missing or null", rec);
        }
        boolean needsUser = type != EventType.ITEM;
        boolean needsItem = type.isBehaviour() || type == EventType.ITEM;
        if (needsUser && s.text(EventField.USER_ID) == null) {
            return requiredAbsent(EventField.USER_ID, type, s, rec);
        }
        if (needsItem && s.text(EventField.ITEM_ID) == null) {
            return requiredAbsent(EventField.ITEM_ID, type, s, rec);
        }
        if (type == EventType.RATE && !s.hasValue) {
            return EventParser.reject(
                    RejectReason.MISSING_FIELD, "value (the rating) is missing or null; rate events need it", rec);
        }
        if (s.hasValue && type.isBehaviour()) {
            if (type == EventType.RATE) {
                if (s.value < config.ratingMin() || s.value > config.ratingMax()) {
                    return EventParser.reject(
                            RejectReason.VALUE_OUT_OF_RANGE,
                            "value " + s.value + " is outside the rating scale [" + config.ratingMin() + ", "
                                    + config.ratingMax() + ']',
                            rec);
                }
            } else if (s.value < 0) {
                return EventParser.reject(
                        RejectReason.VALUE_OUT_OF_RANGE,
                        "value " + s.value + " is negative; for " + type.wireName()
                                + " events it is an amount and must be >= 0",
                        rec);
            }
        }
        if (s.hasLat != s.hasLon) {
            return EventParser.reject(
                    RejectReason.BAD_COORDINATES,
                    (s.hasLat ? "context.lat is given without context.lon" : "context.lon is given without context.lat")
                            + "; give both or neither",
                    rec);
        }
        return ParseOutcome.valid(toEvent(s, type));
    }

    private static ParseOutcome requiredAbsent(EventField field, EventType type, ParseState s, RawRecord rec) {
        if (s.isBlank(field)) {
            return EventParser.reject(
                    RejectReason.EMPTY_FIELD, field.path + " is blank; " + type.wireName() + " events need it", rec);
        }
        return EventParser.reject(
                RejectReason.MISSING_FIELD,
                field.path + " is missing or null; " + type.wireName() + " events need it",
                rec);
    }

    private Event toEvent(ParseState s, EventType type) {
        Event e = new Event();
        e.eventId = s.text(EventField.EVENT_ID);
        e.ts = s.ts;
        e.type = type;
        e.userId = type == EventType.ITEM ? null : s.text(EventField.USER_ID);
        e.itemId = type == EventType.USER || type == EventType.FORGET_USER ? null : s.text(EventField.ITEM_ID);
        e.value = s.hasValue && type.isBehaviour() ? s.value : null;
        e.requestId = s.text(EventField.REQUEST_ID);
        String sessionId = s.text(EventField.SESSION_ID);
        e.sessionId = sessionId != null ? sessionId : s.text(EventField.CONTEXT_SESSION_ID);
        if (s.hasLat) {
            e.geoCell = resolver.geoCell(s.lat, s.lon);
        } else if (s.geoCell != null) {
            e.geoCell = s.geoCell;
        } else {
            e.geoCell = ContextDefaults.UNKNOWN_GEO;
        }
        e.timeBucket = resolver.timeBucket(s.ts, s.zone);
        e.deviceClass = resolver.deviceClass(s.text(EventField.CONTEXT_DEVICE), s.text(EventField.CONTEXT_OS));
        if (s.attributeCount > 0) {
            String[][] attributes = ContextAttributes.sorted(s.attributeKeys, s.attributeValues, s.attributeCount);
            e.attributeKeys = attributes[0];
            e.attributeValues = attributes[1];
        }
        if (type == EventType.ITEM) {
            e.category = s.text(EventField.CATEGORY);
            e.tags = s.list(EventField.TAGS);
            e.price = s.price;
            e.available = s.available;
        } else if (type == EventType.USER) {
            e.segment = s.text(EventField.SEGMENT);
            e.locale = s.text(EventField.LOCALE);
            e.interests = s.list(EventField.INTERESTS);
        }
        return e;
    }
}
