package io.desire.features.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.context.TimeBucketScheme;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ParserConfigTest {

    @Test
    void defaultsAreTheNamedConstants() {
        ParserConfig c = ParserConfig.defaults();

        assertThat(c.maxRecordBytes())
                .isEqualTo(ParserConfig.DEFAULT_MAX_RECORD_BYTES)
                .isEqualTo(65_536);
        assertThat(c.maxIdLength())
                .isEqualTo(ParserConfig.DEFAULT_MAX_ID_LENGTH)
                .isEqualTo(128);
        assertThat(c.earliestTimestamp()).isEqualTo(Instant.parse("1990-01-01T00:00:00Z"));
        assertThat(c.maxFutureSkew()).isEqualTo(Duration.ofDays(1));
        assertThat(c.ratingMin()).isEqualTo(0.0);
        assertThat(c.ratingMax()).isEqualTo(5.0);
        assertThat(c.geohashPrecision()).isEqualTo(5);
        assertThat(c.timeBucketScheme()).isEqualTo(TimeBucketScheme.DAYPART_WEEKPART);
        assertThat(c.defaultZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(c.clock().getZone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void builderSetsEveryOption() {
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        ParserConfig c = ParserConfig.builder()
                .maxRecordBytes(1024)
                .maxIdLength(64)
                .earliestTimestamp(Instant.parse("2000-01-01T00:00:00Z"))
                .maxFutureSkew(Duration.ofMinutes(5))
                .clock(clock)
                .ratingScale(1, 10)
                .geohashPrecision(12)
                .timeBucketScheme(TimeBucketScheme.HOUR_OF_WEEK)
                .defaultZone(ZoneId.of("America/New_York"))
                .build();

        assertThat(c.maxRecordBytes()).isEqualTo(1024);
        assertThat(c.maxIdLength()).isEqualTo(64);
        assertThat(c.earliestTimestampMillis())
                .isEqualTo(Instant.parse("2000-01-01T00:00:00Z").toEpochMilli());
        assertThat(c.maxFutureSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.clock()).isSameAs(clock);
        assertThat(c.ratingMin()).isEqualTo(1.0);
        assertThat(c.ratingMax()).isEqualTo(10.0);
        assertThat(c.geohashPrecision()).isEqualTo(12);
        assertThat(c.timeBucketScheme()).isEqualTo(TimeBucketScheme.HOUR_OF_WEEK);
        assertThat(c.defaultZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
    }

    @Test
    void settersRejectWhatIsNotAllowedAndSayWhatIs() {
        ParserConfig.Builder b = ParserConfig.builder();

        assertThatThrownBy(() -> b.maxRecordBytes(0)).hasMessageContaining("maxRecordBytes must be 1 to");
        assertThatThrownBy(() -> b.maxRecordBytes(ParserConfig.MAX_RECORD_BYTES_LIMIT + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxIdLength(0)).hasMessageContaining("maxIdLength must be 1 to 4096");
        assertThatThrownBy(() -> b.earliestTimestamp(Instant.parse("1969-12-31T23:59:59Z")))
                .hasMessageContaining("from 1970-01-01");
        assertThatThrownBy(() -> b.earliestTimestamp(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.maxFutureSkew(Duration.ofSeconds(-1))).hasMessageContaining("zero or positive");
        assertThatThrownBy(() -> b.ratingScale(5, 5)).hasMessageContaining("min < max");
        assertThatThrownBy(() -> b.ratingScale(0, Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> b.geohashPrecision(0)).hasMessageContaining("1 to 12");
        assertThatThrownBy(() -> b.geohashPrecision(13)).hasMessageContaining("1 to 12");
        assertThatThrownBy(() -> b.timeBucketScheme(null)).hasMessageContaining("DAYPART_WEEKPART, HOUR_OF_WEEK");
        assertThatThrownBy(() -> b.defaultZone(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.clock(new NotSerializableClock())).hasMessageContaining("Serializable");
    }

    @Test
    void configAndParserSurviveJavaSerialization() throws Exception {
        ParserConfig c =
                Corpus.config().toBuilder().defaultZone(ZoneId.of("Asia/Tokyo")).build();
        EventParser parser = new EventParser(c);
        parser.parse(Corpus.record("{}")); // initialise the transient parts first

        EventParser copy = roundTrip(parser);

        assertThat(copy.config().toString()).isEqualTo(c.toString());
        Event e = copy.parse(Corpus.record("""
                {"event_id":"e","ts":"2025-05-31T23:30:00Z","type":"view","user_id":"u","item_id":"i"}""")).event();
        assertThat(e.timeBucket).isEqualTo("weekend-morning");
        assertThat(roundTrip(ParserConfig.defaults()).toString())
                .isEqualTo(ParserConfig.defaults().toString());
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    private static final class NotSerializableClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH;
        }
    }
}
