package io.desire.features.ranking;

/** Stable reason codes attached to recommended items; apps and dashboards rely on these strings. */
public final class Reasons {
    /** The user interacted with the item itself. */
    public static final String AFFINITY_ITEM = "affinity_item";
    /** The item is in a category the user likes (or declared interest in). */
    public static final String AFFINITY_CATEGORY = "affinity_category";
    /** The item is trending in the user's current context (place, time bucket, device). */
    public static final String CONTEXT_TRENDING = "context_trending";
    /** The item is popular across all contexts. */
    public static final String POPULAR = "popular";
    /** The item scores high for the user in the ALS factor model (people with similar taste chose it). */
    public static final String ALS = "als";
    /** The item often follows items the user interacted with recently (co-visitation). */
    public static final String SEQUENCE = "sequence";

    private Reasons() {}
}
