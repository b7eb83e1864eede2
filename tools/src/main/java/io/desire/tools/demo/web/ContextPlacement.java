package io.desire.tools.demo.web;

import io.desire.features.context.ContextDefaults;
import io.desire.features.context.DeviceClassifier;
import io.desire.features.context.GeoHash;
import io.desire.features.context.TimeBucketScheme;
import io.desire.features.context.TimeBuckets;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Where an event sent from the page lands: the page asks to act in a context (geo cell, time bucket,
 * device class) and this class chooses the event's {@code lat}/{@code lon} (the cell's centre),
 * {@code device} and {@code tz} so that the job files the event under that context at the current
 * instant. A time bucket is a local time of day and week: when no time zone puts "now" in the asked
 * bucket (a weekend bucket on a Monday, say), the event lands in the bucket of the zone nearest the
 * cell's longitude, and {@link Placement#key()} says which one, so the page follows the document the
 * event really updates.
 */
public final class ContextPlacement {
    private final TimeBucketScheme scheme;

    public ContextPlacement(TimeBucketScheme scheme) {
        this.scheme = scheme;
    }

    /** The event's context fields and the context key the job derives from them. */
    public record Placement(
            Double lat, Double lon, String device, String tz, String geoCell, String timeBucket, String deviceClass) {
        /** {@code <geo cell>:<time bucket>:<device class>}, the document id's context part. */
        public String key() {
            return geoCell + ":" + timeBucket + ":" + deviceClass;
        }
    }

    /**
     * The placement of an event at {@code epochMillis} asked to land in the given context.
     *
     * @param geoCell a geohash, or {@value ContextDefaults#UNKNOWN_GEO} for events without a location
     * @param timeBucket a bucket name of the scheme; unknown names fall back to the nearest zone's bucket
     * @param deviceClass mobile, tablet, desktop, tv or other
     */
    public Placement place(String geoCell, String timeBucket, String deviceClass, long epochMillis) {
        Double lat = null;
        Double lon = null;
        String cell = ContextDefaults.UNKNOWN_GEO;
        double longitude = 0;
        if (geoCell != null && !geoCell.isEmpty() && GeoHash.isValid(geoCell)) {
            GeoHash.Box box = GeoHash.decode(geoCell);
            lat = box.centerLat();
            lon = box.centerLon();
            longitude = lon;
            cell = GeoHash.encode(lat, lon, geoCell.length());
        }
        int preferred = (int) Math.round(longitude / 15.0);
        ZoneOffset chosen = null;
        for (int distance = 0; distance <= 26 && chosen == null; distance++) {
            for (int sign : new int[] {1, -1}) {
                int hours = preferred + sign * distance;
                if (hours < -12 || hours > 14) {
                    continue;
                }
                ZoneOffset zone = ZoneOffset.ofHours(hours);
                if (TimeBuckets.bucket(epochMillis, zone, scheme).equals(timeBucket)) {
                    chosen = zone;
                    break;
                }
            }
        }
        ZoneId zone = chosen != null ? chosen : ZoneOffset.ofHours(Math.max(-12, Math.min(14, preferred)));
        String device = deviceOf(deviceClass);
        return new Placement(
                lat,
                lon,
                device,
                zone.getId(),
                cell,
                TimeBuckets.bucket(epochMillis, zone, scheme),
                DeviceClassifier.classify(device, null));
    }

    /** A device name the job classifies as {@code deviceClass} (the class's own name when it knows it). */
    static String deviceOf(String deviceClass) {
        if (DeviceClassifier.MOBILE.equals(deviceClass)) {
            return "phone";
        }
        return deviceClass == null || DeviceClassifier.fromDevice(deviceClass) == null ? "other" : deviceClass;
    }
}
