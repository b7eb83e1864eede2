package io.desire.features.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ContextResolverTest {
    private final ContextResolver resolver = new ContextResolver(5, TimeBucketScheme.DAYPART_WEEKPART, ZoneOffset.UTC);

    @Test
    void resolvesEachPart() {
        long t = Instant.parse("2025-06-02T23:30:00Z").toEpochMilli();

        assertThat(resolver.geoCell(57.64911, 10.40744)).isEqualTo("u4pru");
        assertThat(resolver.geoCell("U4PRUYDQQVJ")).isEqualTo("u4pru");
        assertThat(resolver.geoCell("u4p")).isNull();
        assertThat(resolver.timeBucket(t, null)).isEqualTo("weekday-late");
        assertThat(resolver.timeBucket(t, ZoneId.of("Asia/Tokyo"))).isEqualTo("weekday-morning");
        assertThat(resolver.deviceClass(null, null)).isEqualTo(ContextDefaults.OTHER_DEVICE);
        assertThat(ContextDefaults.contextKey(
                        resolver.geoCell(57.64911, 10.40744),
                        resolver.timeBucket(t, null),
                        resolver.deviceClass("ipad", null)))
                .isEqualTo("u4pru:weekday-late:tablet");
    }

    @Test
    void looksZonesUpAndRefusesUnknownOnes() {
        assertThat(resolver.zone("Asia/Tokyo")).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(resolver.zone("Asia/Tokyo")).isSameAs(resolver.zone("Asia/Tokyo"));
        assertThat(resolver.zone("UTC")).isEqualTo(ZoneId.of("UTC"));
        assertThat(resolver.zone("+09:00")).isEqualTo(ZoneOffset.ofHours(9));
        assertThat(resolver.zone("Mars/Olympus")).isNull();
        assertThat(resolver.zone("asia/tokyo")).as("tz ids are case-sensitive").isNull();
        assertThat(resolver.zone("")).isNull();
        assertThat(resolver.zone(null)).isNull();
        assertThat(resolver.zone("x".repeat(100))).isNull();
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> new ContextResolver(0, TimeBucketScheme.HOUR_OF_WEEK, ZoneOffset.UTC))
                .hasMessageContaining("1 to 12");
        assertThatThrownBy(() -> new ContextResolver(5, null, ZoneOffset.UTC)).isInstanceOf(NullPointerException.class);
    }
}
