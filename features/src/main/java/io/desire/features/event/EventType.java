package io.desire.features.event;

import java.util.Locale;

/**
 * The kinds of event in the event contract. The wire name is the value of the JSON field {@code type}.
 *
 * <p>Behaviour events ({@link #isBehaviour()}) link a user to an item; {@link #ITEM} carries catalog
 * attributes, {@link #USER} carries user attributes and {@link #FORGET_USER} asks for erasure.
 */
public enum EventType {
    VIEW("view"),
    CLICK("click"),
    ADD_TO_CART("add_to_cart"),
    PURCHASE("purchase"),
    RATE("rate"),
    IMPRESSION("impression"),
    ITEM("item"),
    USER("user"),
    FORGET_USER("forget_user");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the JSON {@code type} field. */
    public String wireName() {
        return wireName;
    }

    /** True for events that link a user to an item (view, click, cart, purchase, rate, impression). */
    public boolean isBehaviour() {
        return this != ITEM && this != USER && this != FORGET_USER;
    }

    /**
     * Looks a wire name up, case-insensitively.
     *
     * @return the type, or {@code null} when the name is not part of the contract
     */
    public static EventType fromWireName(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (EventType t : values()) {
            if (t.wireName.equals(lower)) {
                return t;
            }
        }
        return null;
    }
}
