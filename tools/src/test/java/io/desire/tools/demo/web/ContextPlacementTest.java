package io.desire.tools.demo.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.context.ContextResolver;
import io.desire.features.context.TimeBucketScheme;
import io.desire.features.context.TimeBuckets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** An event placed by the page lands in the context the page asked for whenever "now" allows it. */
class ContextPlacementTest {
    private final ContextPlacement placement = new ContextPlacement(TimeBucketScheme.DAYPART_WEEKPART);
    /** A Monday, 04:10 UTC. */
    private final long monday = Instant.parse("2026-12-07T04:10:00Z").toEpochMilli();

    @Test
    void landsInTheAskedCellBucketAndDevice() {
        ContextPlacement.Placement p = placement.place("u09tv", "weekday-evening", "mobile", monday);
        assertThat(p.key()).isEqualTo("u09tv:weekday-evening:mobile");
        assertThat(p.device()).isEqualTo("phone");
        assertThat(TimeBuckets.bucket(monday, ZoneId.of(p.tz()), TimeBucketScheme.DAYPART_WEEKPART))
                .isEqualTo("weekday-evening");
        assertThat(p.lat()).isBetween(48.0, 49.5);
        assertThat(p.lon()).isBetween(2.0, 3.0);
    }

    @Test
    void prefersTheZoneOfTheCellWhenSeveralFit() {
        // 04:10 UTC is night in UTC+1 (Paris) as in UTC: the cell's own zone wins
        ContextPlacement.Placement p = placement.place("u09tv", "weekday-night", "desktop", monday);
        assertThat(p.tz()).isEqualTo("Z");
        assertThat(p.key()).isEqualTo("u09tv:weekday-night:desktop");
    }

    @Test
    void saysWhereTheEventLandsWhenNowHasNoSuchBucket() {
        // no zone puts a Monday 04:10 UTC on a weekend morning
        ContextPlacement.Placement p = placement.place("u09tv", "weekend-morning", "tv", monday);
        assertThat(p.timeBucket()).isNotEqualTo("weekend-morning");
        assertThat(p.key()).isEqualTo("u09tv:" + p.timeBucket() + ":tv");
    }

    @Test
    void aContextWithoutLocationOrKnownDeviceStaysSo() {
        ContextPlacement.Placement p = placement.place("unknown", "weekday-night", "other", monday);
        assertThat(p.lat()).isNull();
        assertThat(p.key()).isEqualTo("unknown:weekday-night:other");
    }

    @Test
    void theJobDerivesTheSameKey() {
        ContextResolver resolver = new ContextResolver(5, TimeBucketScheme.DAYPART_WEEKPART, ZoneId.of("UTC"));
        for (String bucket : TimeBuckets.all(TimeBucketScheme.DAYPART_WEEKPART)) {
            ContextPlacement.Placement p = placement.place("dr5re", bucket, "tablet", monday);
            String derived = resolver.geoCell(p.lat(), p.lon()) + ":"
                    + resolver.timeBucket(monday, resolver.zone(p.tz())) + ":" + resolver.deviceClass(p.device(), null);
            assertThat(derived).isEqualTo(p.key());
        }
    }
}
