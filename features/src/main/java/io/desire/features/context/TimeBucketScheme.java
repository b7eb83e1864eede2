package io.desire.features.context;

/**
 * How event time is cut into the time part of a context key. Every bucket name is a fixed,
 * lowercase ASCII label without {@code ':'}; see {@link TimeBuckets} for the exact boundaries.
 */
public enum TimeBucketScheme {
    /**
     * Part of the week and part of the day, e.g. {@code weekday-morning}: 2 × 5 = 10 buckets. Coarse on
     * purpose, so every context cell collects enough events to be useful.
     */
    DAYPART_WEEKPART,
    /** Hour of the ISO week, {@code how-000} (Monday 00h) to {@code how-167} (Sunday 23h): 168 buckets. */
    HOUR_OF_WEEK
}
