package io.desire.features.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeBucketsTest {
    private static final TimeBucketScheme DW = TimeBucketScheme.DAYPART_WEEKPART;

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // 2025-06-02 is a Monday
        "2025-06-02T00:00:00Z,     weekday-night",
        "2025-06-02T05:59:59.999Z, weekday-night",
        "2025-06-02T06:00:00Z,     weekday-morning",
        "2025-06-02T11:59:59.999Z, weekday-morning",
        "2025-06-02T12:00:00Z,     weekday-afternoon",
        "2025-06-02T16:59:59.999Z, weekday-afternoon",
        "2025-06-02T17:00:00Z,     weekday-evening",
        "2025-06-02T21:59:59.999Z, weekday-evening",
        "2025-06-02T22:00:00Z,     weekday-late",
        "2025-06-02T23:59:59.999Z, weekday-late",
        // the week part follows the calendar day
        "2025-06-06T23:30:00Z,     weekday-late",
        "2025-06-07T00:00:00Z,     weekend-night",
        "2025-06-07T10:00:00Z,     weekend-morning",
        "2025-06-08T23:59:59Z,     weekend-late",
        "2025-06-09T00:00:00Z,     weekday-night",
        // before 1970 too
        "1969-12-31T23:00:00Z,     weekday-late",
    })
    void daypartBoundariesInUtc(String iso, String bucket) {
        assertThat(TimeBuckets.bucket(at(iso), ZoneOffset.UTC, DW)).isEqualTo(bucket);
    }

    @Test
    void zoneDecidesTheLocalDayAndHour() {
        long t = at("2025-06-02T23:30:00Z"); // Monday late in UTC

        assertThat(TimeBuckets.bucket(t, ZoneOffset.UTC, DW)).isEqualTo("weekday-late");
        assertThat(TimeBuckets.bucket(t, ZoneId.of("Asia/Tokyo"), DW))
                .as("Tuesday 08:30")
                .isEqualTo("weekday-morning");
        assertThat(TimeBuckets.bucket(at("2025-06-06T23:30:00Z"), ZoneId.of("Asia/Tokyo"), DW))
                .as("Saturday 08:30 in Tokyo, still Friday in UTC")
                .isEqualTo("weekend-morning");
        assertThat(TimeBuckets.bucket(at("2025-06-09T02:00:00Z"), ZoneId.of("America/Los_Angeles"), DW))
                .as("Sunday 19:00 in Los Angeles")
                .isEqualTo("weekend-evening");
    }

    @Test
    void daylightSavingTimeIsApplied() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        // 05:30Z is 06:30 in winter (CET) and 07:30 in summer (CEST): both morning; 04:30Z differs
        assertThat(TimeBuckets.bucket(at("2025-01-15T04:30:00Z"), paris, DW)).isEqualTo("weekday-night");
        assertThat(TimeBuckets.bucket(at("2025-07-15T04:30:00Z"), paris, DW)).isEqualTo("weekday-morning");
    }

    @Test
    void hourOfWeek() {
        TimeBucketScheme how = TimeBucketScheme.HOUR_OF_WEEK;
        assertThat(TimeBuckets.bucket(at("2025-06-02T00:00:00Z"), ZoneOffset.UTC, how))
                .isEqualTo("how-000");
        assertThat(TimeBuckets.bucket(at("2025-06-03T07:59:00Z"), ZoneOffset.UTC, how))
                .isEqualTo("how-031");
        assertThat(TimeBuckets.bucket(at("2025-06-08T23:00:00Z"), ZoneOffset.UTC, how))
                .isEqualTo("how-167");
        assertThat(TimeBuckets.bucket(at("2025-06-08T23:00:00Z"), ZoneId.of("Asia/Tokyo"), how))
                .as("Monday 08h in Tokyo")
                .isEqualTo("how-008");
    }

    @Test
    void agreesWithJavaTimeOnRandomInstantsAndZones() {
        Random random = new Random(5);
        String[] zones = {
            "UTC",
            "Asia/Tokyo",
            "Europe/Paris",
            "America/New_York",
            "Australia/Lord_Howe",
            "Asia/Kathmandu",
            "Pacific/Chatham",
            "-03:30"
        };
        for (int i = 0; i < 20_000; i++) {
            long ms = (long) (random.nextDouble() * 3_000_000_000_000L) - 200_000_000_000L;
            ZoneId zone = ZoneId.of(zones[random.nextInt(zones.length)]);
            ZonedDateTime local = Instant.ofEpochMilli(ms).atZone(zone);
            int dow = local.getDayOfWeek().getValue();

            assertThat(TimeBuckets.bucket(ms, zone, TimeBucketScheme.HOUR_OF_WEEK))
                    .isEqualTo(String.format("how-%03d", (dow - 1) * 24 + local.getHour()));
            assertThat(TimeBuckets.bucket(ms, zone, DW))
                    .isEqualTo((dow >= 6 ? "weekend-" : "weekday-") + TimeBuckets.daypart(local.getHour()));
        }
    }

    @Test
    void allListsEveryBucketOnceAndNoneHasTheSeparator() {
        assertThat(TimeBuckets.all(DW)).hasSize(10).doesNotHaveDuplicates().contains("weekday-morning", "weekend-late");
        assertThat(TimeBuckets.all(TimeBucketScheme.HOUR_OF_WEEK))
                .hasSize(168)
                .doesNotHaveDuplicates()
                .startsWith("how-000")
                .endsWith("how-167");
        Set<String> seen = new HashSet<>();
        for (int d = 1; d <= 7; d++) {
            for (int h = 0; h < 24; h++) {
                seen.add(TimeBuckets.bucket(d, h, DW));
                assertThat(TimeBuckets.bucket(d, h, DW)).doesNotContain(":");
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(TimeBuckets.all(DW));
    }
}
