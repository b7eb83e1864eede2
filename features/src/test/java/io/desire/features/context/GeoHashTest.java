package io.desire.features.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeoHashTest {

    @ParameterizedTest
    @CsvSource({
        "57.64911,   10.40744,  11, u4pruydqqvj",
        "42.6,       -5.6,       5, ezs42",
        "48.8566,    2.3522,     5, u09tv",
        "-25.382708, -49.265506, 8, 6gkzwgjz",
        "0,          0,          1, s",
        "-90,        -180,       4, 0000",
        "90,         180,        4, zzzz",
        "40.7128,    -74.0060,   6, dr5reg",
        "35.6762,    139.6503,   5, xn76c",
    })
    void encodesKnownValues(double lat, double lon, int precision, String expected) {
        assertThat(GeoHash.encode(lat, lon, precision)).isEqualTo(expected);
    }

    @Test
    void aShorterHashIsAPrefixOfALongerOne() {
        String full = GeoHash.encode(57.64911, 10.40744, 12);
        for (int p = 1; p <= 12; p++) {
            assertThat(full).startsWith(GeoHash.encode(57.64911, 10.40744, p));
        }
    }

    @Test
    void decodeThenEncodeRoundTrips() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            double lat = random.nextDouble() * 180 - 90;
            double lon = random.nextDouble() * 360 - 180;
            int precision = 1 + random.nextInt(12);
            String hash = GeoHash.encode(lat, lon, precision);

            GeoHash.Box box = GeoHash.decode(hash);

            assertThat(box.contains(lat, lon))
                    .as("%s contains %s,%s", hash, lat, lon)
                    .isTrue();
            assertThat(GeoHash.encode(box.centerLat(), box.centerLon(), precision))
                    .isEqualTo(hash);
        }
    }

    @Test
    void decodeKnownCell() {
        GeoHash.Box box = GeoHash.decode("u4pruydqqvj");
        assertThat(box.centerLat()).isCloseTo(57.64911, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(box.centerLon()).isCloseTo(10.40744, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void validatesGivenHashes() {
        assertThat(GeoHash.isValid("u4pruydqqvj")).isTrue();
        assertThat(GeoHash.isValid("U4PRU")).isTrue();
        assertThat(GeoHash.isValid("")).isFalse();
        assertThat(GeoHash.isValid(null)).isFalse();
        for (String bad : new String[] {"u4pa", "u4pi", "u4pl", "u4po", "u4p:", "u4p ", "u4pé"}) {
            assertThat(GeoHash.isValid(bad)).as(bad).isFalse();
        }
        assertThat(GeoHash.indexOfInvalidChar("u4pa1")).isEqualTo(3);
    }

    @Test
    void normalizeLowercasesTruncatesAndRefusesCoarserCells() {
        assertThat(GeoHash.normalize("U4PRUYDQQVJ", 5)).isEqualTo("u4pru");
        assertThat(GeoHash.normalize("u4pru", 5)).isEqualTo("u4pru");
        assertThat(GeoHash.normalize("u4prU", 5)).isEqualTo("u4pru");
        assertThat(GeoHash.normalize("u4pr", 5)).isNull();
        assertThat(GeoHash.normalize("u4pruaaa", 5)).as("invalid tail").isNull();
        assertThat(GeoHash.normalize(null, 5)).isNull();
    }

    @Test
    void cellsNeverCollideWithThePlaceholders() {
        assertThat(GeoHash.isValid("unknown")).isFalse();
        assertThat(GeoHash.encode(0, 0, 12)).doesNotContain(":");
    }

    @Test
    void rejectsOutOfRangeInput() {
        assertThatThrownBy(() -> GeoHash.encode(90.0001, 0, 5)).hasMessageContaining("lat");
        assertThatThrownBy(() -> GeoHash.encode(0, -180.5, 5)).hasMessageContaining("lon");
        assertThatThrownBy(() -> GeoHash.encode(Double.NaN, 0, 5)).hasMessageContaining("lat");
        assertThatThrownBy(() -> GeoHash.encode(0, 0, 13)).hasMessageContaining("1 to 12");
        assertThatThrownBy(() -> GeoHash.decode("abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
