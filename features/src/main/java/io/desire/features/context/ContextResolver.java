package io.desire.features.context;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the raw context of an event (position, device, OS, time zone) into the three parts of a
 * context key: geo cell, time bucket and device class, with the documented defaults for what is
 * missing ({@link ContextDefaults#UNKNOWN_GEO}, {@link ContextDefaults#OTHER_DEVICE}, the default
 * zone). No part it returns contains {@link ContextDefaults#SEPARATOR}.
 *
 * <p>Serializable, and safe to share between threads: the only mutable state is a bounded cache of
 * time-zone lookups.
 */
public final class ContextResolver implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Distinct zone ids remembered; beyond that lookups still work, just uncached. */
    private static final int ZONE_CACHE_LIMIT = 1024;
    /** Zone ids longer than this are not looked up (the longest tz database id has 32 characters). */
    private static final int MAX_ZONE_ID_LENGTH = 64;

    private final int geohashPrecision;
    private final TimeBucketScheme scheme;
    private final ZoneId defaultZone;
    private transient volatile Map<String, ZoneId> zones;

    /**
     * @param geohashPrecision characters of a geo cell, {@value GeoHash#MIN_PRECISION} to
     *     {@value GeoHash#MAX_PRECISION}
     * @param scheme how event time is bucketed
     * @param defaultZone zone of events that name none
     */
    public ContextResolver(int geohashPrecision, TimeBucketScheme scheme, ZoneId defaultZone) {
        if (geohashPrecision < GeoHash.MIN_PRECISION || geohashPrecision > GeoHash.MAX_PRECISION) {
            throw new IllegalArgumentException("geohash precision must be " + GeoHash.MIN_PRECISION + " to "
                    + GeoHash.MAX_PRECISION + ", got " + geohashPrecision);
        }
        this.geohashPrecision = geohashPrecision;
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.defaultZone = Objects.requireNonNull(defaultZone, "defaultZone");
    }

    public int geohashPrecision() {
        return geohashPrecision;
    }

    public TimeBucketScheme scheme() {
        return scheme;
    }

    public ZoneId defaultZone() {
        return defaultZone;
    }

    /**
     * The cell of a position.
     *
     * @throws IllegalArgumentException if a coordinate is out of range or not finite
     */
    public String geoCell(double lat, double lon) {
        return GeoHash.encode(lat, lon, geohashPrecision);
    }

    /**
     * The cell of a given geohash: lowercased and truncated to the configured precision.
     *
     * @return the cell, or {@code null} if {@code geohash} is not a geohash or is shorter than the
     *     configured precision
     */
    public String geoCell(String geohash) {
        return GeoHash.normalize(geohash, geohashPrecision);
    }

    /**
     * The time bucket of an instant.
     *
     * @param zone the event's zone, or {@code null} for the default zone
     */
    public String timeBucket(long epochMillis, ZoneId zone) {
        return TimeBuckets.bucket(epochMillis, zone == null ? defaultZone : zone, scheme);
    }

    /** The device class; {@link ContextDefaults#OTHER_DEVICE} when neither argument is recognised. */
    public String deviceClass(String device, String os) {
        return DeviceClassifier.classify(device, os);
    }

    /**
     * Looks a time-zone id up: a tz database region such as {@code Europe/Paris}, {@code UTC}, or an
     * offset such as {@code +09:00} (anything {@link ZoneId#of(String)} accepts).
     *
     * @return the zone, or {@code null} if the id is unknown
     */
    public ZoneId zone(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ZONE_ID_LENGTH) {
            return null;
        }
        Map<String, ZoneId> cache = zones;
        if (cache == null) {
            cache = new ConcurrentHashMap<>();
            zones = cache;
        }
        ZoneId z = cache.get(id);
        if (z != null) {
            return z;
        }
        try {
            z = ZoneId.of(id);
        } catch (DateTimeException e) {
            // only reached for ids that are not zones; valid ids are served from the cache
            return null;
        }
        if (cache.size() < ZONE_CACHE_LIMIT) {
            cache.put(id, z);
        }
        return z;
    }

    @Override
    public String toString() {
        return "ContextResolver{geohashPrecision=" + geohashPrecision + ", scheme=" + scheme + ", defaultZone="
                + defaultZone + '}';
    }
}
