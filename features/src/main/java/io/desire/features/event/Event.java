package io.desire.features.event;

import io.desire.features.context.ContextDefaults;
import java.util.Arrays;
import java.util.Objects;

/**
 * A validated event of the contract ({@code docs/events.md}), after context resolution.
 *
 * <p>A Flink POJO (public no-arg constructor, public fields) so Flink serialises it without Kryo.
 * Raw coordinates never appear here: {@link #geoCell}, {@link #timeBucket} and {@link #deviceClass}
 * are the resolved context. Optional fields are {@code null} when the event did not carry them.
 */
public class Event {
    /** Producer-assigned id; the same id seen twice counts once. */
    public String eventId;
    /** Event time, epoch milliseconds UTC. */
    public long ts;

    public EventType type;
    /** Absent for {@code item} events. */
    public String userId;
    /** Absent for {@code user} and {@code forget_user} events. */
    public String itemId;
    /** Rating ({@code rate}) or price ({@code purchase}, {@code add_to_cart}); {@code null} when absent. */
    public Double value;
    /** Links impressions to the clicks and purchases they led to. */
    public String requestId;

    public String sessionId;

    /** Resolved context: geo cell (geohash) or {@link ContextDefaults#UNKNOWN_GEO}. */
    public String geoCell;
    /** Resolved context: time bucket of the event time in the event's time zone. */
    public String timeBucket;
    /** Resolved context: mobile, tablet, desktop, tv or other. */
    public String deviceClass;

    /**
     * Custom context attributes ({@link ContextAttributes}): the keys of {@code context} beyond the
     * resolved ones, normalised, distinct and sorted; {@code null} when the event has none.
     */
    public String[] attributeKeys;
    /** The values of {@link #attributeKeys}, normalised, at the same positions; {@code null} when none. */
    public String[] attributeValues;

    /** Item category: carried by {@code item} events, filled in on behaviour events by catalog enrichment. */
    public String category;
    /** Item tags ({@code item} events). */
    public String[] tags;
    /** Item price ({@code item} events). */
    public Double price;
    /** Item availability ({@code item} events); {@code null} means unchanged / unknown. */
    public Boolean available;

    /** User attributes ({@code user} events). */
    public String segment;

    public String locale;
    public String[] interests;

    public Event() {}

    /** The context key {@code geoCell:timeBucket:deviceClass} this event belongs to. */
    public String contextKey() {
        return ContextDefaults.contextKey(geoCell, timeBucket, deviceClass);
    }

    /** The value of the custom context attribute {@code key}, or {@code null} when the event lacks it. */
    public String attribute(String key) {
        return ContextAttributes.valueOf(attributeKeys, attributeValues, key);
    }

    /** A field-by-field copy, so operators can enrich without mutating their input. */
    public Event copy() {
        Event e = new Event();
        e.eventId = eventId;
        e.ts = ts;
        e.type = type;
        e.userId = userId;
        e.itemId = itemId;
        e.value = value;
        e.requestId = requestId;
        e.sessionId = sessionId;
        e.geoCell = geoCell;
        e.timeBucket = timeBucket;
        e.deviceClass = deviceClass;
        e.attributeKeys = attributeKeys == null ? null : attributeKeys.clone();
        e.attributeValues = attributeValues == null ? null : attributeValues.clone();
        e.category = category;
        e.tags = tags == null ? null : tags.clone();
        e.price = price;
        e.available = available;
        e.segment = segment;
        e.locale = locale;
        e.interests = interests == null ? null : interests.clone();
        return e;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Event)) {
            return false;
        }
        Event e = (Event) o;
        return ts == e.ts
                && Objects.equals(eventId, e.eventId)
                && type == e.type
                && Objects.equals(userId, e.userId)
                && Objects.equals(itemId, e.itemId)
                && Objects.equals(value, e.value)
                && Objects.equals(requestId, e.requestId)
                && Objects.equals(sessionId, e.sessionId)
                && Objects.equals(geoCell, e.geoCell)
                && Objects.equals(timeBucket, e.timeBucket)
                && Objects.equals(deviceClass, e.deviceClass)
                && Arrays.equals(attributeKeys, e.attributeKeys)
                && Arrays.equals(attributeValues, e.attributeValues)
                && Objects.equals(category, e.category)
                && Arrays.equals(tags, e.tags)
                && Objects.equals(price, e.price)
                && Objects.equals(available, e.available)
                && Objects.equals(segment, e.segment)
                && Objects.equals(locale, e.locale)
                && Arrays.equals(interests, e.interests);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, ts, type, userId, itemId);
    }

    @Override
    public String toString() {
        return "Event{" + eventId + ' ' + (type == null ? null : type.wireName()) + " user=" + userId + " item="
                + itemId + " ts=" + ts + " ctx=" + contextKey() + '}';
    }
}
