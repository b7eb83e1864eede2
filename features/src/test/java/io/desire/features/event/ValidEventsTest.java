package io.desire.features.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.context.ContextDefaults;
import io.desire.features.context.GeoHash;
import io.desire.features.context.TimeBucketScheme;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Valid events of every type: parsed fields, resolved context and documented defaults. */
class ValidEventsTest {
    private static final long TS = Instant.parse("2025-05-31T10:00:00Z").toEpochMilli(); // a Saturday

    private final EventParser parser = new EventParser(Corpus.config());

    private Event parse(String json) {
        ParseOutcome out = parser.parse(Corpus.record(json));
        assertThat(out.deadLetter()).as("dead letter").isNull();
        assertThat(out.isValid()).isTrue();
        return out.event();
    }

    @Test
    void minimalBehaviourEventGetsContextDefaults() {
        Event e = parse("""
                {"event_id":"e1","ts":"2025-05-31T10:00:00Z","type":"view","user_id":"u1","item_id":"i1"}""");

        assertThat(e.eventId).isEqualTo("e1");
        assertThat(e.ts).isEqualTo(TS);
        assertThat(e.type).isEqualTo(EventType.VIEW);
        assertThat(e.userId).isEqualTo("u1");
        assertThat(e.itemId).isEqualTo("i1");
        assertThat(e.value).isNull();
        assertThat(e.requestId).isNull();
        assertThat(e.sessionId).isNull();
        assertThat(e.geoCell).isEqualTo(ContextDefaults.UNKNOWN_GEO);
        assertThat(e.deviceClass).isEqualTo(ContextDefaults.OTHER_DEVICE);
        assertThat(e.timeBucket).isEqualTo("weekend-morning");
        assertThat(e.contextKey()).isEqualTo("unknown:weekend-morning:other");
        assertThat(e.category).isNull();
        assertThat(e.tags).isNull();
        assertThat(e.price).isNull();
        assertThat(e.available).isNull();
        assertThat(e.segment).isNull();
        assertThat(e.locale).isNull();
        assertThat(e.interests).isNull();
    }

    @Test
    void clickWithFullContextResolvesCellBucketAndDevice() {
        Event e = parse("""
                {"event_id":"e2","ts":1748685600000,"type":"click","user_id":"u1","item_id":"i1",
                 "request_id":"r-77",
                 "context":{"lat":48.8566,"lon":2.3522,"device":"phone","os":"iOS 17.4",
                            "session_id":"s-1","tz":"Europe/Paris"}}""");

        assertThat(e.type).isEqualTo(EventType.CLICK);
        assertThat(e.ts).isEqualTo(TS);
        assertThat(e.requestId).isEqualTo("r-77");
        assertThat(e.sessionId).isEqualTo("s-1");
        assertThat(e.geoCell).isEqualTo("u09tv");
        assertThat(e.timeBucket).as("12:00 in Paris (CEST)").isEqualTo("weekend-afternoon");
        assertThat(e.deviceClass).isEqualTo("mobile");
    }

    @Test
    void eachBehaviourTypeIsAccepted() {
        for (String type : List.of("view", "click", "add_to_cart", "purchase", "rate", "impression")) {
            Event e = parse("{\"event_id\":\"e\",\"ts\":1748685600000,\"type\":\"" + type
                    + "\",\"user_id\":\"u\",\"item_id\":\"i\",\"value\":2}");
            assertThat(e.type.wireName()).isEqualTo(type);
            assertThat(e.type.isBehaviour()).isTrue();
            assertThat(e.value).isEqualTo(2.0);
        }
    }

    @Test
    void purchaseAcceptsNumericStringValueAndFractionalIsoTime() {
        Event e = parse("""
                {"event_id":"e3","ts":"2025-05-31T12:00:00.123456+02:00","type":"purchase",
                 "user_id":"u2","item_id":"i9","value":"19.99","session_id":"s-2"}""");

        assertThat(e.ts).isEqualTo(TS + 123);
        assertThat(e.value).isEqualTo(19.99);
        assertThat(e.sessionId).isEqualTo("s-2");
    }

    @Test
    void rateKeepsRatingAndAcceptsHistoricalTimes() {
        Event e = parse("""
                {"event_id":"ml-1","ts":"874449310000","type":"rate","user_id":"196","item_id":"242","value":3}""");

        assertThat(e.type).isEqualTo(EventType.RATE);
        assertThat(e.value).isEqualTo(3.0);
        assertThat(Instant.ofEpochMilli(e.ts)).isEqualTo(Instant.parse("1997-09-16T22:35:10Z"));
    }

    @Test
    void ratingScaleIsInclusive() {
        assertThat(parse(rate("0")).value).isEqualTo(0.0);
        assertThat(parse(rate("5")).value).isEqualTo(5.0);
        assertThat(parse(rate("\"4.5\"")).value).isEqualTo(4.5);
        assertThat(parser.parse(Corpus.record(rate("5.0001"))).reason()).isEqualTo(RejectReason.VALUE_OUT_OF_RANGE);
    }

    @Test
    void ratingScaleIsConfigurable() {
        EventParser tenStars =
                new EventParser(Corpus.config().toBuilder().ratingScale(1, 10).build());

        assertThat(tenStars.parse(Corpus.record(rate("10"))).event().value).isEqualTo(10.0);
        assertThat(tenStars.parse(Corpus.record(rate("0.5"))).reason()).isEqualTo(RejectReason.VALUE_OUT_OF_RANGE);
    }

    private static String rate(String value) {
        return "{\"event_id\":\"e\",\"ts\":1748685600000,\"type\":\"rate\",\"user_id\":\"u\",\"item_id\":\"i\",\"value\":"
                + value + "}";
    }

    @Test
    void itemEventCarriesCatalogAttributesOnly() {
        Event e = parse("""
                {"event_id":"e10","ts":1748685600000,"type":"item","item_id":"i1","user_id":"editor-7",
                 "category":"books","tags":["scifi","classic",""],"price":12.5,"available":true,
                 "segment":"ignored","value":3}""");

        assertThat(e.type).isEqualTo(EventType.ITEM);
        assertThat(e.itemId).isEqualTo("i1");
        assertThat(e.userId).as("no user on item events").isNull();
        assertThat(e.value).isNull();
        assertThat(e.category).isEqualTo("books");
        assertThat(e.tags).containsExactly("scifi", "classic");
        assertThat(e.price).isEqualTo(12.5);
        assertThat(e.available).isTrue();
        assertThat(e.segment).isNull();
    }

    @Test
    void itemEventDefaults() {
        Event e = parse("""
                {"event_id":"e11","ts":1748685600000,"type":"item","item_id":"i2","tags":[],"price":"0"}""");

        assertThat(e.category).isNull();
        assertThat(e.tags).isEmpty();
        assertThat(e.price).isEqualTo(0.0);
        assertThat(e.available).as("unknown availability").isNull();
    }

    @Test
    void userEventCarriesUserAttributesOnly() {
        Event e = parse("""
                {"event_id":"e12","ts":1748685600000,"type":"user","user_id":"u1","item_id":"i1",
                 "segment":"vip","locale":"fr-FR","interests":["jazz","cooking"],"category":"ignored"}""");

        assertThat(e.type).isEqualTo(EventType.USER);
        assertThat(e.userId).isEqualTo("u1");
        assertThat(e.itemId).as("no item on user events").isNull();
        assertThat(e.segment).isEqualTo("vip");
        assertThat(e.locale).isEqualTo("fr-FR");
        assertThat(e.interests).containsExactly("jazz", "cooking");
        assertThat(e.category).isNull();
    }

    @Test
    void forgetUserNeedsOnlyTheUser() {
        Event e = parse("""
                {"event_id":"e13","ts":1748685600000,"type":"forget_user","user_id":"u1"}""");

        assertThat(e.type).isEqualTo(EventType.FORGET_USER);
        assertThat(e.userId).isEqualTo("u1");
        assertThat(e.itemId).isNull();
        assertThat(e.geoCell).isEqualTo(ContextDefaults.UNKNOWN_GEO);
        assertThat(e.timeBucket).isEqualTo("weekend-morning");
    }

    @Test
    void integerIdsAreTakenAsTheirDecimalText() {
        Event e = parse("""
                {"event_id":42,"ts":1748685600000,"type":"view","user_id":1001,"item_id":2002}""");

        assertThat(e.eventId).isEqualTo("42");
        assertThat(e.userId).isEqualTo("1001");
        assertThat(e.itemId).isEqualTo("2002");
    }

    @Test
    void nullAndBlankOptionalFieldsAreAbsent() {
        Event e = parse("""
                {"event_id":"e","ts":1748685600000,"type":"view","user_id":"u","item_id":"i",
                 "context":null,"value":null,"request_id":"","session_id":" "}""");

        assertThat(e.value).isNull();
        assertThat(e.requestId).isNull();
        assertThat(e.sessionId).isNull();
        assertThat(e.contextKey()).isEqualTo("unknown:weekend-morning:other");
    }

    @Test
    void unknownFieldsAreSkippedWhateverTheirShape() {
        Event e = parse("""
                {"extra":{"nested":[1,{"deep":{"user_id":"not-me"}}],"x":null},"event_id":"e",
                 "ts":1748685600000,"type":"view","user_id":"u","item_id":"i","Type":"bogus",
                 "context":{"device":"tablet"},"list":[[],[[]]]}""");

        assertThat(e.userId).isEqualTo("u");
        assertThat(e.type).isEqualTo(EventType.VIEW);
        assertThat(e.deviceClass).isEqualTo("tablet");
        assertThat(e.geoCell).isEqualTo(ContextDefaults.UNKNOWN_GEO);
    }

    @Test
    void typeIsCaseInsensitive() {
        assertThat(parse("""
                {"event_id":"e","ts":1748685600000,"type":"Add_To_Cart","user_id":"u","item_id":"i"}""").type).isEqualTo(EventType.ADD_TO_CART);
    }

    @Test
    void topLevelSessionIdWinsOverContextSessionId() {
        Event e = parse("""
                {"event_id":"e","ts":1748685600000,"type":"view","user_id":"u","item_id":"i",
                 "session_id":"top","context":{"session_id":"ctx"}}""");

        assertThat(e.sessionId).isEqualTo("top");
    }

    @Test
    void givenGeohashIsLowercasedAndTruncatedToPrecision() {
        Event e = parse("""
                {"event_id":"e","ts":1748685600000,"type":"view","user_id":"u","item_id":"i",
                 "context":{"geo":"U09TVQ"}}""");

        assertThat(e.geoCell).isEqualTo("u09tv");
    }

    @Test
    void coordinatesWinOverGeohashAndLeaveOnlyTheCell() {
        Event e = parse("""
                {"event_id":"e","ts":1748685600000,"type":"view","user_id":"u","item_id":"i",
                 "context":{"geo":"u4pru","lat":48.8566,"lon":2.3522}}""");

        assertThat(e.geoCell).isEqualTo("u09tv").hasSize(ParserConfig.DEFAULT_GEOHASH_PRECISION);
        assertThat(e.toString()).doesNotContain("48.8566").doesNotContain("2.3522");
    }

    @Test
    void numericStringCoordinatesAndPoleAndAntimeridianAreAccepted() {
        Event e = parse("""
                {"event_id":"e","ts":1748685600000,"type":"view","user_id":"u","item_id":"i",
                 "context":{"lat":"-90","lon":180}}""");

        assertThat(e.geoCell).isEqualTo(GeoHash.encode(-90, 180, 5));
    }

    @Test
    void deviceFallsBackToOs() {
        Event e = parse("""
                {"event_id":"e","ts":1748685600000,"type":"view","user_id":"u","item_id":"i",
                 "context":{"device":"fridge","os":"Tizen 7"}}""");

        assertThat(e.deviceClass).isEqualTo("tv");
    }

    @Test
    void timeBucketUsesContextZoneThenDefaultZone() {
        String json = """
                {"event_id":"e","ts":"2025-05-31T23:30:00Z","type":"view","user_id":"u","item_id":"i"%s}""";
        assertThat(parse(String.format(json, "")).timeBucket).isEqualTo("weekend-late");
        assertThat(parse(String.format(json, ",\"context\":{\"tz\":\"Asia/Tokyo\"}")).timeBucket)
                .as("08:30 on Sunday in Tokyo")
                .isEqualTo("weekend-morning");
        assertThat(parse(String.format(json, ",\"context\":{\"tz\":\"-05:00\"}")).timeBucket)
                .isEqualTo("weekend-evening");

        EventParser paris = new EventParser(Corpus.config().toBuilder()
                .defaultZone(ZoneId.of("Europe/Paris"))
                .build());
        assertThat(paris.parse(Corpus.record(String.format(json, ""))).event().timeBucket)
                .as("01:30 on Sunday in Paris")
                .isEqualTo("weekend-night");
    }

    @Test
    void offsetOfIsoTimestampFixesTheInstantNotTheBucketZone() {
        Event e = parse("""
                {"event_id":"e","ts":"2025-06-02T08:00:00+09:00","type":"view","user_id":"u","item_id":"i"}""");

        assertThat(Instant.ofEpochMilli(e.ts)).isEqualTo(Instant.parse("2025-06-01T23:00:00Z"));
        assertThat(e.timeBucket).as("default zone UTC: Sunday 23h").isEqualTo("weekend-late");
    }

    @Test
    void hourOfWeekScheme() {
        EventParser how = new EventParser(Corpus.config().toBuilder()
                .timeBucketScheme(TimeBucketScheme.HOUR_OF_WEEK)
                .geohashPrecision(7)
                .build());

        Event e = how.parse(Corpus.record("""
                {"event_id":"e","ts":"2025-06-02T07:15:00Z","type":"view","user_id":"u","item_id":"i",
                 "context":{"lat":57.64911,"lon":10.40744}}""")).event();

        assertThat(e.timeBucket).as("Monday 07h").isEqualTo("how-007");
        assertThat(e.geoCell).isEqualTo("u4pruyd");
    }

    @Test
    void timestampLimitsAreInclusive() {
        String json = "{\"event_id\":\"e\",\"ts\":%d,\"type\":\"view\",\"user_id\":\"u\",\"item_id\":\"i\"}";
        long earliest = ParserConfig.DEFAULT_EARLIEST_TIMESTAMP.toEpochMilli();
        long latest = Corpus.NOW.plus(ParserConfig.DEFAULT_MAX_FUTURE_SKEW).toEpochMilli();

        assertThat(parser.parse(Corpus.record(String.format(json, earliest))).isValid())
                .isTrue();
        assertThat(parser.parse(Corpus.record(String.format(json, earliest - 1)))
                        .reason())
                .isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
        assertThat(parser.parse(Corpus.record(String.format(json, latest))).isValid())
                .isTrue();
        assertThat(parser.parse(Corpus.record(String.format(json, latest + 1))).reason())
                .isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
    }

    @Test
    void payloadAtTheSizeLimitIsAccepted() {
        String head =
                "{\"event_id\":\"e\",\"ts\":1748685600000,\"type\":\"view\",\"user_id\":\"u\",\"item_id\":\"i\",\"pad\":\"";
        int padding = ParserConfig.DEFAULT_MAX_RECORD_BYTES - head.length() - 2;
        String json = head + "x".repeat(padding) + "\"}";

        assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSize(ParserConfig.DEFAULT_MAX_RECORD_BYTES);
        assertThat(parser.parse(Corpus.record(json)).isValid()).isTrue();
        assertThat(parser.parse(Corpus.record(json + " ")).reason()).isEqualTo(RejectReason.TOO_LARGE);
    }

    @Test
    void leadingByteOrderMarkAndTrailingNewlineAreAccepted() {
        assertThat(parse("\uFEFF{\"event_id\":\"e\",\"ts\":1748685600000,\"type\":\"view\",\"user_id\":\"u\","
                                + "\"item_id\":\"i\"}\r\n")
                        .eventId)
                .isEqualTo("e");
    }

    @Test
    void nonAsciiIdsAreKept() {
        Event e = parse("""
                {"event_id":"e","ts":1748685600000,"type":"view","user_id":"ユーザー","item_id":"商品-1 \uD83D\uDE00"}""");

        assertThat(e.userId).isEqualTo("ユーザー");
        assertThat(e.itemId).isEqualTo("商品-1 \uD83D\uDE00");
    }

    @Test
    void everyLineOfTheValidCorpusParsesToAWellFormedContext() {
        List<String> lines = Corpus.lines("corpus/valid.jsonl");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(20);
        for (String line : lines) {
            ParseOutcome out = parser.parse(Corpus.record(line));
            assertThat(out.deadLetter()).as(line).isNull();
            Event e = out.event();
            assertThat(e.eventId).isNotBlank();
            assertThat(List.of(e.geoCell, e.timeBucket, e.deviceClass))
                    .allSatisfy(part -> assertThat(part).isNotBlank().doesNotContain(":"));
            assertThat(e.deviceClass).isIn("mobile", "tablet", "desktop", "tv", "other");
            if (e.type.isBehaviour()) {
                assertThat(e.userId).isNotBlank();
                assertThat(e.itemId).isNotBlank();
            }
        }
    }

    @Test
    void parserKeepsNothingFromOneRecordToTheNext() {
        String rich = """
                {"event_id":"a","ts":1748685600000,"type":"item","item_id":"i","category":"c","tags":["t"],
                 "price":1,"available":true,"context":{"lat":1,"lon":2,"device":"tv","tz":"Asia/Tokyo"}}""";
        String broken = """
                {"event_id":"b","ts":1748685600000,"type":"view","user_id":"u","context":{"lat":1}}""";
        String plain = """
                {"event_id":"c","ts":1748685600000,"type":"item","item_id":"i"}""";

        assertThat(parser.parse(Corpus.record(rich)).isValid()).isTrue();
        assertThat(parser.parse(Corpus.record(broken)).isValid()).isFalse();
        Event e = parse(plain);

        assertThat(e.category).isNull();
        assertThat(e.tags).isNull();
        assertThat(e.price).isNull();
        assertThat(e.available).isNull();
        assertThat(e.contextKey()).isEqualTo("unknown:weekend-morning:other");
    }
}
