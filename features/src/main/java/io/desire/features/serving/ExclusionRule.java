package io.desire.features.serving;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.io.Serializable;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which behaviour events make their item "consumed" for the user, so that it is never served to the
 * user again ({@code recs.exclude}). The default excludes rated and purchased items: a film already
 * rated or a product already bought is not a recommendation. Views, clicks and carts stay allowed
 * unless listed ("continue shopping" lists want them); impressions can never be listed, since being
 * shown an item is not consuming it.
 *
 * <p>Immutable and serializable, so operators hold one as configuration.
 */
public final class ExclusionRule implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The default of {@code recs.exclude}. */
    public static final String DEFAULT = "rate,purchase";

    private final EnumSet<EventType> types;

    private ExclusionRule(EnumSet<EventType> types) {
        this.types = types;
    }

    /** The default rule: rated and purchased items are consumed. */
    public static ExclusionRule defaults() {
        return parse(DEFAULT);
    }

    /**
     * Parses a comma-separated list of behaviour event types ({@code view, click, add_to_cart,
     * purchase, rate}); {@code none} or an empty list excludes nothing.
     *
     * @throws IllegalArgumentException naming the bad entry and what is allowed
     */
    public static ExclusionRule parse(String spec) {
        EnumSet<EventType> types = EnumSet.noneOf(EventType.class);
        String trimmed = spec == null ? "" : spec.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
            return new ExclusionRule(types);
        }
        for (String part : trimmed.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            EventType t = EventType.fromWireName(name);
            if (t == null || !t.isBehaviour() || t == EventType.IMPRESSION) {
                throw new IllegalArgumentException("recs.exclude lists '" + part.trim()
                        + "'; expected event types among view, click, add_to_cart, purchase, rate (or none)");
            }
            types.add(t);
        }
        return new ExclusionRule(types);
    }

    /** Whether {@code e} makes its item consumed for its user. */
    public boolean consumes(Event e) {
        return e != null && e.type != null && e.itemId != null && types.contains(e.type);
    }

    /** The event types that consume, in declaration order. */
    public Set<EventType> types() {
        return EnumSet.copyOf(types.isEmpty() ? EnumSet.noneOf(EventType.class) : types);
    }

    /** Whether nothing is ever excluded. */
    public boolean isEmpty() {
        return types.isEmpty();
    }

    @Override
    public String toString() {
        return types.isEmpty()
                ? "none"
                : types.stream().map(EventType::wireName).collect(Collectors.joining(","));
    }
}
