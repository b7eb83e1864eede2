package io.desire.features.event;

import io.desire.features.context.GeoHash;
import io.desire.features.context.TimeBucketScheme;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Limits and defaults of the {@link EventParser}. Immutable and {@link Serializable}, so a job can build
 * it once and ship it to its tasks. Start from {@link #defaults()} or {@link #builder()}; every setter
 * of the {@link Builder} checks its argument at once and says what is allowed.
 */
public final class ParserConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Largest accepted payload: 64 KiB. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;
    /** Upper bound for {@link Builder#maxRecordBytes(int)}: 16 MiB. */
    public static final int MAX_RECORD_BYTES_LIMIT = 16 * 1024 * 1024;
    /** Longest accepted id (event, user, item, request, session), in characters. */
    public static final int DEFAULT_MAX_ID_LENGTH = 128;
    /** Upper bound for {@link Builder#maxIdLength(int)}. */
    public static final int MAX_ID_LENGTH_LIMIT = 4096;
    /**
     * Earliest plausible event time, 1990-01-01T00:00Z: history such as MovieLens goes back to 1996,
     * and epoch <em>seconds</em> mistaken for milliseconds land in January 1970, before it.
     */
    public static final Instant DEFAULT_EARLIEST_TIMESTAMP = Instant.parse("1990-01-01T00:00:00Z");
    /** How far past the clock's now an event time may be: producers' clocks drift. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofDays(1);
    /** Lowest valid rating, inclusive. */
    public static final double DEFAULT_RATING_MIN = 0.0;
    /** Highest valid rating, inclusive. */
    public static final double DEFAULT_RATING_MAX = 5.0;
    /** Geohash characters of a geo cell: about 4.9 km × 4.9 km. */
    public static final int DEFAULT_GEOHASH_PRECISION = 5;

    public static final TimeBucketScheme DEFAULT_TIME_BUCKET_SCHEME = TimeBucketScheme.DAYPART_WEEKPART;
    /** Zone of events whose context names none. */
    public static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;

    private static final ParserConfig DEFAULTS = new Builder().build();

    private final int maxRecordBytes;
    private final int maxIdLength;
    private final long earliestTimestampMillis;
    private final Duration maxFutureSkew;
    private final Clock clock;
    private final double ratingMin;
    private final double ratingMax;
    private final int geohashPrecision;
    private final TimeBucketScheme timeBucketScheme;
    private final ZoneId defaultZone;

    private ParserConfig(Builder b) {
        this.maxRecordBytes = b.maxRecordBytes;
        this.maxIdLength = b.maxIdLength;
        this.earliestTimestampMillis = b.earliestTimestamp.toEpochMilli();
        this.maxFutureSkew = b.maxFutureSkew;
        this.clock = b.clock;
        this.ratingMin = b.ratingMin;
        this.ratingMax = b.ratingMax;
        this.geohashPrecision = b.geohashPrecision;
        this.timeBucketScheme = b.timeBucketScheme;
        this.defaultZone = b.defaultZone;
    }

    /** The defaults: every {@code DEFAULT_*} constant, and the system clock in UTC. */
    public static ParserConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder()
                .maxRecordBytes(maxRecordBytes)
                .maxIdLength(maxIdLength)
                .earliestTimestamp(earliestTimestamp())
                .maxFutureSkew(maxFutureSkew)
                .clock(clock)
                .ratingScale(ratingMin, ratingMax)
                .geohashPrecision(geohashPrecision)
                .timeBucketScheme(timeBucketScheme)
                .defaultZone(defaultZone);
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public int maxIdLength() {
        return maxIdLength;
    }

    public Instant earliestTimestamp() {
        return Instant.ofEpochMilli(earliestTimestampMillis);
    }

    /** {@link #earliestTimestamp()} in epoch milliseconds. */
    public long earliestTimestampMillis() {
        return earliestTimestampMillis;
    }

    public Duration maxFutureSkew() {
        return maxFutureSkew;
    }

    /** The clock that "now" is read from when checking {@link #maxFutureSkew()}. */
    public Clock clock() {
        return clock;
    }

    public double ratingMin() {
        return ratingMin;
    }

    public double ratingMax() {
        return ratingMax;
    }

    public int geohashPrecision() {
        return geohashPrecision;
    }

    public TimeBucketScheme timeBucketScheme() {
        return timeBucketScheme;
    }

    public ZoneId defaultZone() {
        return defaultZone;
    }

    @Override
    public String toString() {
        return "ParserConfig{maxRecordBytes=" + maxRecordBytes
                + ", maxIdLength=" + maxIdLength
                + ", earliestTimestamp=" + earliestTimestamp()
                + ", maxFutureSkew=" + maxFutureSkew
                + ", clock=" + clock
                + ", ratingScale=[" + ratingMin + ", " + ratingMax + ']'
                + ", geohashPrecision=" + geohashPrecision
                + ", timeBucketScheme=" + timeBucketScheme
                + ", defaultZone=" + defaultZone + '}';
    }

    /** Builds a {@link ParserConfig}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private int maxIdLength = DEFAULT_MAX_ID_LENGTH;
        private Instant earliestTimestamp = DEFAULT_EARLIEST_TIMESTAMP;
        private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
        private Clock clock = Clock.systemUTC();
        private double ratingMin = DEFAULT_RATING_MIN;
        private double ratingMax = DEFAULT_RATING_MAX;
        private int geohashPrecision = DEFAULT_GEOHASH_PRECISION;
        private TimeBucketScheme timeBucketScheme = DEFAULT_TIME_BUCKET_SCHEME;
        private ZoneId defaultZone = DEFAULT_ZONE;

        private Builder() {}

        /** Largest accepted payload in bytes, 1 to {@value ParserConfig#MAX_RECORD_BYTES_LIMIT} (16 MiB). */
        public Builder maxRecordBytes(int bytes) {
            if (bytes < 1 || bytes > MAX_RECORD_BYTES_LIMIT) {
                throw new IllegalArgumentException(
                        "maxRecordBytes must be 1 to " + MAX_RECORD_BYTES_LIMIT + " (16 MiB), got " + bytes);
            }
            this.maxRecordBytes = bytes;
            return this;
        }

        /** Longest accepted id in characters, 1 to {@value ParserConfig#MAX_ID_LENGTH_LIMIT}. */
        public Builder maxIdLength(int chars) {
            if (chars < 1 || chars > MAX_ID_LENGTH_LIMIT) {
                throw new IllegalArgumentException(
                        "maxIdLength must be 1 to " + MAX_ID_LENGTH_LIMIT + " characters, got " + chars);
            }
            this.maxIdLength = chars;
            return this;
        }

        /** Event times before this instant are rejected; must not be before 1970-01-01T00:00Z. */
        public Builder earliestTimestamp(Instant earliest) {
            Objects.requireNonNull(earliest, "earliestTimestamp must not be null");
            if (earliest.isBefore(Instant.EPOCH) || earliest.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                throw new IllegalArgumentException(
                        "earliestTimestamp must be from 1970-01-01T00:00Z to 9999-12-31, got " + earliest);
            }
            this.earliestTimestamp = earliest;
            return this;
        }

        /** How far past now an event time may be; zero or positive, at most 3650 days. */
        public Builder maxFutureSkew(Duration skew) {
            Objects.requireNonNull(skew, "maxFutureSkew must not be null");
            if (skew.isNegative() || skew.compareTo(Duration.ofDays(3650)) > 0) {
                throw new IllegalArgumentException(
                        "maxFutureSkew must be zero or positive and at most 3650 days, got " + skew);
            }
            this.maxFutureSkew = skew;
            return this;
        }

        /**
         * The clock "now" is read from; must be {@link Serializable} (every clock of {@code java.time}
         * is) because the configuration travels with the job. Tests pass {@link Clock#fixed}.
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock must not be null");
            if (!(clock instanceof Serializable)) {
                throw new IllegalArgumentException("clock must be Serializable (e.g. Clock.systemUTC(), "
                        + "Clock.fixed(...)), got " + clock.getClass().getName());
            }
            this.clock = clock;
            return this;
        }

        /** Valid ratings, inclusive: finite numbers with {@code min < max}. */
        public Builder ratingScale(double min, double max) {
            if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
                throw new IllegalArgumentException(
                        "rating scale must be two finite numbers with min < max, got [" + min + ", " + max + ']');
            }
            this.ratingMin = min;
            this.ratingMax = max;
            return this;
        }

        /** Characters of a geo cell, {@value GeoHash#MIN_PRECISION} to {@value GeoHash#MAX_PRECISION}. */
        public Builder geohashPrecision(int precision) {
            if (precision < GeoHash.MIN_PRECISION || precision > GeoHash.MAX_PRECISION) {
                throw new IllegalArgumentException("geohashPrecision must be " + GeoHash.MIN_PRECISION + " to "
                        + GeoHash.MAX_PRECISION + ", got " + precision);
            }
            this.geohashPrecision = precision;
            return this;
        }

        /** How event time is bucketed; one of {@link TimeBucketScheme}. */
        public Builder timeBucketScheme(TimeBucketScheme scheme) {
            this.timeBucketScheme = Objects.requireNonNull(
                    scheme, "timeBucketScheme must be one of DAYPART_WEEKPART, HOUR_OF_WEEK, got null");
            return this;
        }

        /** Zone of events whose context names none, e.g. {@code ZoneId.of("Europe/Paris")}. */
        public Builder defaultZone(ZoneId zone) {
            this.defaultZone = Objects.requireNonNull(zone, "defaultZone must not be null");
            return this;
        }

        public ParserConfig build() {
            return new ParserConfig(this);
        }
    }
}
