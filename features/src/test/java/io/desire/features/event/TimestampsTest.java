package io.desire.features.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @ParameterizedTest
    @CsvSource({
        "2025-05-31T10:00:00Z,          2025-05-31T10:00:00Z",
        "2025-05-31T10:00:00.5Z,        2025-05-31T10:00:00.500Z",
        "2025-05-31T10:00:00.123456789Z, 2025-05-31T10:00:00.123Z",
        "2025-05-31t10:00:00z,          2025-05-31T10:00:00Z",
        "2025-05-31T12:00:00+02:00,     2025-05-31T10:00:00Z",
        "2025-05-31T04:30:00-05:30,     2025-05-31T10:00:00Z",
        "2024-02-29T00:00:00Z,          2024-02-29T00:00:00Z",
        "2000-02-29T23:59:59.999Z,      2000-02-29T23:59:59.999Z",
        "1969-12-31T23:59:59.500Z,      1969-12-31T23:59:59.500Z",
        "2025-05-31T10:00Z,             2025-05-31T10:00:00Z",
        "2025-05-31T10:00:00+05:30:15,  2025-05-31T04:29:45Z",
    })
    void parsesIsoWithOffset(String text, String expected) {
        assertThat(Timestamps.parseIso(text)).isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2025-05-31T10:00:00",
                "2025-05-31",
                "2025-02-29T00:00:00Z",
                "1900-02-29T00:00:00Z",
                "2025-13-01T00:00:00Z",
                "2025-05-31T24:00:00Z",
                "2025-05-31T10:60:00Z",
                "2025-05-31T10:00:60Z",
                "2025-05-31T10:00:00+19:00",
                "2025-05-31T10:00:00+0200",
                "2025-05-31 10:00:00Z",
                "2025-05-31T10:00:00Zjunk",
                "yesterday",
                "",
                "2025-05-31T10:00:00.1234567890Z"
            })
    void rejectsOtherText(String text) {
        assertThat(Timestamps.parseIso(text)).isEqualTo(Timestamps.INVALID);
    }

    @Test
    void fastPathAgreesWithTheJdkOnRandomInstants() {
        Random random = new Random(3);
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        for (int i = 0; i < 20_000; i++) {
            long ms = (long) (random.nextDouble() * 4_000_000_000_000L) - 500_000_000_000L;
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);
            String text =
                    OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms), offset).format(iso);
            // the JDK omits zero seconds ("10:00Z"): the fallback reads that form
            assertThat(Timestamps.parseIsoFast(text)).as(text).isIn(ms, Timestamps.INVALID);
            assertThat(Timestamps.parseIso(text)).as(text).isEqualTo(ms);
        }
    }

    @Test
    void epochMillisText() {
        assertThat(Timestamps.isIntegerText("1748685600000")).isTrue();
        assertThat(Timestamps.isIntegerText("-5")).isTrue();
        assertThat(Timestamps.isIntegerText("-")).isFalse();
        assertThat(Timestamps.isIntegerText("17e3")).isFalse();
        assertThat(Timestamps.isIntegerText("+5")).isFalse();
        assertThat(Timestamps.parseEpochMillisText("1748685600000")).isEqualTo(1_748_685_600_000L);
        assertThat(Timestamps.parseEpochMillisText("-5")).isEqualTo(-5L);
        assertThat(Timestamps.parseEpochMillisText("0000000000000000000001748685600000"))
                .isEqualTo(1_748_685_600_000L);
        assertThat(Timestamps.parseEpochMillisText("9999999999999999999")).isEqualTo(Timestamps.TOO_LARGE);
    }

    @Test
    void epochDayMatchesTheJdk() {
        for (int y = 1600; y <= 2400; y += 7) {
            for (int m = 1; m <= 12; m++) {
                assertThat(Timestamps.epochDay(y, m, 28))
                        .isEqualTo(java.time.LocalDate.of(y, m, 28).toEpochDay());
            }
        }
    }

    @Test
    void decimalText() {
        assertThat(NumberText.isDecimal("4.5")).isTrue();
        assertThat(NumberText.isDecimal("-0.5e-3")).isTrue();
        assertThat(NumberText.isDecimal(".5")).isTrue();
        assertThat(NumberText.isDecimal("5.")).isTrue();
        assertThat(NumberText.isDecimal("+3")).isTrue();
        assertThat(NumberText.isDecimal("")).isFalse();
        assertThat(NumberText.isDecimal(".")).isFalse();
        assertThat(NumberText.isDecimal("4.5d")).isFalse();
        assertThat(NumberText.isDecimal("0x10")).isFalse();
        assertThat(NumberText.isDecimal(" 4")).isFalse();
        assertThat(NumberText.isDecimal("1e")).isFalse();
        assertThat(NumberText.isDecimal("NaN")).isFalse();
    }
}
