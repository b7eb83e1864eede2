package io.desire.features.context;

/** Documented defaults for missing context, and the one place that formats a context key. */
public final class ContextDefaults {
    /** Geo cell of events that carry neither {@code lat}/{@code lon} nor {@code geo}. */
    public static final String UNKNOWN_GEO = "unknown";
    /** Device class of events that carry neither {@code device} nor {@code os}. */
    public static final String OTHER_DEVICE = "other";
    /** Separator between the parts of a context key; never part of a geo cell, bucket or device class. */
    public static final char SEPARATOR = ':';

    private ContextDefaults() {}

    /** Formats {@code geoCell:timeBucket:deviceClass}. */
    public static String contextKey(String geoCell, String timeBucket, String deviceClass) {
        return geoCell + SEPARATOR + timeBucket + SEPARATOR + deviceClass;
    }
}
