package io.desire.features.context;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Maps an instant, seen in a time zone, to its time bucket.
 *
 * <p>{@link TimeBucketScheme#DAYPART_WEEKPART} buckets are {@code <weekpart>-<daypart>}: the week part
 * is {@code weekday} (Monday to Friday) or {@code weekend} (Saturday, Sunday) and the day part is, by
 * local hour (start inclusive, end exclusive):
 *
 * <pre>
 *   night      00:00 - 06:00
 *   morning    06:00 - 12:00
 *   afternoon  12:00 - 17:00
 *   evening    17:00 - 22:00
 *   late       22:00 - 24:00
 * </pre>
 *
 * The week part follows the calendar day, so Friday 23:30 is {@code weekday-late} and Saturday 01:00
 * is {@code weekend-night}.
 *
 * <p>{@link TimeBucketScheme#HOUR_OF_WEEK} buckets are {@code how-NNN} with {@code NNN = 24 × (ISO day
 * of week − 1) + hour}, zero-padded to three digits: Monday 00h is {@code how-000}, Sunday 23h is
 * {@code how-167}.
 *
 * <p>Bucket names are interned constants: computing one allocates nothing for fixed-offset zones. All
 * methods are static and thread-safe.
 */
public final class TimeBuckets {
    /** First hour of the night day part. */
    public static final int NIGHT_START = 0;
    /** First hour of the morning day part. */
    public static final int MORNING_START = 6;
    /** First hour of the afternoon day part. */
    public static final int AFTERNOON_START = 12;
    /** First hour of the evening day part. */
    public static final int EVENING_START = 17;
    /** First hour of the late day part; it runs to midnight. */
    public static final int LATE_START = 22;

    public static final String WEEKDAY = "weekday";
    public static final String WEEKEND = "weekend";

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final long MILLIS_PER_HOUR = 3_600_000L;

    private static final String[] DAYPARTS = {"night", "morning", "afternoon", "evening", "late"};
    /** [weekend ? 1 : 0][hour] → bucket name. */
    private static final String[][] DAYPART_WEEKPART = new String[2][24];
    /** [hour of week] → bucket name. */
    private static final String[] HOUR_OF_WEEK = new String[168];

    static {
        for (int hour = 0; hour < 24; hour++) {
            String part = DAYPARTS[daypartIndex(hour)];
            DAYPART_WEEKPART[0][hour] = (WEEKDAY + '-' + part).intern();
            DAYPART_WEEKPART[1][hour] = (WEEKEND + '-' + part).intern();
        }
        for (int h = 0; h < HOUR_OF_WEEK.length; h++) {
            HOUR_OF_WEEK[h] = String.format("how-%03d", h).intern();
        }
    }

    private TimeBuckets() {}

    /**
     * The bucket of an instant in a zone.
     *
     * @param epochMillis the instant, epoch milliseconds
     * @param zone the zone whose local time decides the bucket
     * @param scheme the bucketing scheme
     * @return a bucket name of {@link #all(TimeBucketScheme)}
     */
    public static String bucket(long epochMillis, ZoneId zone, TimeBucketScheme scheme) {
        Objects.requireNonNull(zone, "zone");
        long local = epochMillis + offsetSeconds(epochMillis, zone) * 1000L;
        long epochDay = Math.floorDiv(local, MILLIS_PER_DAY);
        int hour = (int) (Math.floorMod(local, MILLIS_PER_DAY) / MILLIS_PER_HOUR);
        // 1970-01-01 was a Thursday (ISO day 4).
        int isoDayOfWeek = (int) Math.floorMod(epochDay + 3, 7L) + 1;
        return bucket(isoDayOfWeek, hour, scheme);
    }

    /**
     * The bucket of a local day of week and hour.
     *
     * @param isoDayOfWeek 1 (Monday) to 7 (Sunday)
     * @param hour 0 to 23
     */
    public static String bucket(int isoDayOfWeek, int hour, TimeBucketScheme scheme) {
        if (isoDayOfWeek < 1 || isoDayOfWeek > 7) {
            throw new IllegalArgumentException("isoDayOfWeek must be 1 (Monday) to 7 (Sunday), got " + isoDayOfWeek);
        }
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("hour must be 0 to 23, got " + hour);
        }
        switch (Objects.requireNonNull(scheme, "scheme")) {
            case HOUR_OF_WEEK:
                return HOUR_OF_WEEK[(isoDayOfWeek - 1) * 24 + hour];
            case DAYPART_WEEKPART:
            default:
                return DAYPART_WEEKPART[isoDayOfWeek >= 6 ? 1 : 0][hour];
        }
    }

    /** The day part of a local hour (0-23): night, morning, afternoon, evening or late. */
    public static String daypart(int hour) {
        if (hour < 0 || hour > 23) {
            throw new IllegalArgumentException("hour must be 0 to 23, got " + hour);
        }
        return DAYPARTS[daypartIndex(hour)];
    }

    /** Every bucket name of a scheme, in week order, without duplicates. */
    public static List<String> all(TimeBucketScheme scheme) {
        List<String> out = new ArrayList<>();
        if (scheme == TimeBucketScheme.HOUR_OF_WEEK) {
            Collections.addAll(out, HOUR_OF_WEEK);
        } else {
            for (String week : new String[] {WEEKDAY, WEEKEND}) {
                for (String part : DAYPARTS) {
                    out.add(week + '-' + part);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static int daypartIndex(int hour) {
        if (hour < MORNING_START) {
            return 0;
        } else if (hour < AFTERNOON_START) {
            return 1;
        } else if (hour < EVENING_START) {
            return 2;
        } else if (hour < LATE_START) {
            return 3;
        }
        return 4;
    }

    private static int offsetSeconds(long epochMillis, ZoneId zone) {
        if (zone instanceof ZoneOffset) {
            return ((ZoneOffset) zone).getTotalSeconds();
        }
        ZoneRules rules = zone.getRules();
        if (rules.isFixedOffset()) {
            return rules.getOffset(Instant.EPOCH).getTotalSeconds();
        }
        return rules.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds();
    }
}
