package io.desire.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventParser;
import io.desire.features.event.EventType;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.features.event.RejectReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HistoryLinesTest {

    private static final EventParser PARSER = new EventParser(ParserConfig.defaults());
    private static final String HEADER = "event_id,ts,type,user_id,item_id,value,lat,lon,device,tz,shop_notes";

    @Test
    void jsonLinesPassAsTheyAreAndBlankLinesGiveNothing() {
        HistoryLines lines = HistoryLines.forFile(HistoryFormat.JSONL, "a.jsonl");
        byte[] line = bytes("{\"event_id\":\"e1\"}");
        assertThat(lines.convert(line)).isSameAs(line);
        assertThat(lines.convert(bytes(""))).isNull();
        assertThat(lines.convert(bytes("  \t"))).isNull();
        assertThat(lines.convert(bytes("not json"))).isEqualTo(bytes("not json"));
    }

    @Test
    void csvRowsBecomeEventsUnderTheirHeader() {
        HistoryLines lines = HistoryLines.forFile(HistoryFormat.CSV, "events.csv");
        assertThat(lines.convert(bytes(HEADER))).isNull();

        byte[] json = lines.convert(
                bytes("e1,2025-05-31T10:00:00Z,rate,u-1,sku-42,4.5,48.8566,2.3522,phone,Europe/Paris,ignored"));

        assertThat(text(json))
                .isEqualTo("{\"event_id\":\"e1\",\"ts\":\"2025-05-31T10:00:00Z\",\"type\":\"rate\","
                        + "\"user_id\":\"u-1\",\"item_id\":\"sku-42\",\"value\":4.5,"
                        + "\"context\":{\"lat\":48.8566,\"lon\":2.3522,\"device\":\"phone\",\"tz\":\"Europe/Paris\","
                        + "\"shop_notes\":\"ignored\"}}");
        Event e = valid(json);
        assertThat(e.value).isEqualTo(4.5);
        assertThat(e.deviceClass).isEqualTo("mobile");
        assertThat(e.geoCell).isNotEqualTo("unknown");
        assertThat(e.attribute("shop_notes")).isEqualTo("ignored");
    }

    @Test
    void csvColumnsThatAreNotEventFieldsBecomeContextAttributes() {
        HistoryLines lines = HistoryLines.forFile(HistoryFormat.CSV, "events.csv");
        lines.convert(bytes(",event_id,ts,type,user_id,item_id,Weather,companion,temperature,device"));

        Event e = valid(lines.convert(bytes("0,e1,1767225600000,view,u1,i1, Rain ,Kids,21.5,phone")));

        assertThat(e.attributeKeys)
                .as("the unnamed index column is not an attribute")
                .containsExactly("companion", "temperature", "weather");
        assertThat(e.attributeValues).containsExactly("kids", "21.5", "rain");
        assertThat(e.deviceClass).isEqualTo("mobile");
        Event empty = valid(lines.convert(bytes("1,e2,1767225600000,view,u1,i1,,,,")));
        assertThat(empty.attributeKeys).as("empty cells are absent").isNull();
    }

    @Test
    void onlyTheConfiguredContextColumnsBecomeAttributes() {
        String header = "event_id,ts,type,user_id,item_id,weather,companion,comment";
        String row = "e1,1767225600000,view,u1,i1,rain,kids,a long free text that is not an attribute";

        HistoryLines listed =
                HistoryLines.forFile(HistoryFormat.CSV, "events.csv", ContextColumns.parse(" Weather, companion "));
        listed.convert(bytes(header));
        Event e = valid(listed.convert(bytes(row)));
        assertThat(e.attributeKeys).containsExactly("companion", "weather");

        HistoryLines none = HistoryLines.forFile(HistoryFormat.CSV, "events.csv", ContextColumns.parse("none"));
        none.convert(bytes(header));
        assertThat(text(none.convert(bytes(row)))).doesNotContain("context");
        assertThat(valid(none.convert(bytes(row))).attributeKeys).isNull();
    }

    @Test
    void csvAttributeValuesOutOfBoundsBecomeDeadLetters() {
        HistoryLines lines = HistoryLines.forFile(HistoryFormat.CSV, "events.csv");
        lines.convert(bytes("event_id,ts,type,user_id,item_id,comment"));

        assertThat(reason(lines.convert(bytes("e1,1767225600000,view,u1,i1," + "x".repeat(129)))))
                .isEqualTo(RejectReason.BAD_CONTEXT_ATTRIBUTE);
    }

    @Test
    void csvQuotedCellsHoldCommasAndQuotesAndEmptyCellsAreAbsent() {
        HistoryLines lines = HistoryLines.forFile(HistoryFormat.CSV, "events.csv");
        lines.convert(bytes(" Event_ID , ts,type,user_id,item_id,value,request_id"));

        Event e = valid(lines.convert(bytes("\"e,1\",1767225600000,view,\"u \"\"q\"\"\",i1,,")));

        assertThat(e.eventId).isEqualTo("e,1");
        assertThat(e.userId).isEqualTo("u \"q\"");
        assertThat(e.ts).isEqualTo(1_767_225_600_000L);
        assertThat(e.value).isNull();
        assertThat(e.requestId).isNull();
    }

    @Test
    void csvColumnNamesAreReadStrippedAndLowerCased() {
        assertThat(CsvCells.columns("\"Event_ID\", TS ,type")).containsExactly("event_id", "ts", "type");
        assertThat(CsvCells.columns("\"unclosed,ts")).isNull();
    }

    @Test
    void csvItemAttributesTakeTheirJsonTypes() {
        HistoryLines lines = HistoryLines.forFile(HistoryFormat.CSV, "items.csv");
        lines.convert(bytes("event_id,ts,type,item_id,category,price,available,tags"));

        byte[] json = lines.convert(bytes("c1,1767225600000,item,sku-1,books,12.50,TRUE,fiction|| classics"));

        assertThat(text(json))
                .contains("\"price\":12.50", "\"available\":true", "\"tags\":[\"fiction\",\"\",\" classics\"]");
        Event e = valid(json);
        assertThat(e.type).isEqualTo(EventType.ITEM);
        assertThat(e.price).isEqualTo(12.5);
        assertThat(e.available).isTrue();
        assertThat(e.tags).contains("fiction");
    }

    @Test
    void csvValuesThatAreNotNumbersStayStringsForTheParserToReject() {
        HistoryLines lines = HistoryLines.forFile(HistoryFormat.CSV, "events.csv");
        lines.convert(bytes("event_id,ts,type,user_id,item_id,value,available"));

        assertThat(reason(lines.convert(bytes("e1,1767225600000,rate,u,i,five,"))))
                .isEqualTo(RejectReason.NON_NUMERIC_VALUE);
        assertThat(reason(lines.convert(bytes("e2,1767225600000,rate,u,i,NaN,"))))
                .isEqualTo(RejectReason.VALUE_OUT_OF_RANGE);
        assertThat(reason(lines.convert(bytes("e3,1767225600000,view,u,i,,yes"))))
                .isEqualTo(RejectReason.BAD_FIELD_TYPE);
    }

    @Test
    void malformedCsvRowsPassThroughAsTheirOwnBytes() {
        HistoryLines lines = HistoryLines.forFile(HistoryFormat.CSV, "events.csv");
        lines.convert(bytes("event_id,ts,type,user_id,item_id"));

        byte[] tooFew = bytes("e1,1767225600000,view,u1");
        byte[] tooMany = bytes("e1,1767225600000,view,u1,i1,extra");
        byte[] openQuote = bytes("e1,1767225600000,view,\"u1,i1");
        byte[] afterQuote = bytes("e1,1767225600000,view,\"u1\"x,i1");
        byte[] notUtf8 = {'e', '1', ',', (byte) 0xC3, (byte) 0x28, ',', 'v', ',', 'u', ',', 'i'};
        for (byte[] line : new byte[][] {tooFew, tooMany, openQuote, afterQuote, notUtf8}) {
            assertThat(lines.convert(line)).as(text(line)).isEqualTo(line);
        }
        assertThat(reason(notUtf8)).isEqualTo(RejectReason.NOT_UTF8);
        assertThat(reason(tooFew)).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void splitCsvFollowsRfc4180OnOneLine() {
        assertThat(CsvCells.split("a,\"b,c\",\"d \"\"e\"\"\",,f")).containsExactly("a", "b,c", "d \"e\"", "", "f");
        assertThat(CsvCells.split("")).containsExactly("");
        assertThat(CsvCells.split("a,")).containsExactly("a", "");
        assertThat(CsvCells.split("\"\"")).containsExactly("");
        assertThat(CsvCells.split("a\"b,c")).containsExactly("a\"b", "c");
        assertThat(CsvCells.split("\"open")).isNull();
        assertThat(CsvCells.split("\"a\"b")).isNull();
    }

    @Test
    void jsonNumbersAreRecognisedByJsonGrammar() {
        for (String yes : new String[] {"0", "-1", "4.5", "1e3", "2.5E-7", "12.50"}) {
            assertThat(CsvCells.isJsonNumber(yes)).as(yes).isTrue();
        }
        for (String no : new String[] {"", "-", "+1", ".5", "4.", "01", "1e", "NaN", "Infinity", "0x10", "4,5", " 1"}) {
            assertThat(CsvCells.isJsonNumber(no)).as(no).isFalse();
        }
    }

    @Test
    void movieLensRatingsOfEveryLayoutBecomeRateEvents() {
        String expected = "{\"event_id\":\"ml-1-296-1147880044\",\"ts\":1147880044000,\"type\":\"rate\","
                + "\"user_id\":\"1\",\"item_id\":\"296\",\"value\":5.0}";
        HistoryLines csv = HistoryLines.forFile(HistoryFormat.MOVIELENS, "ratings.csv");
        assertThat(csv.convert(bytes("userId,movieId,rating,timestamp"))).isNull();
        assertThat(text(csv.convert(bytes("1,296,5.0,1147880044")))).isEqualTo(expected);

        HistoryLines uData = HistoryLines.forFile(HistoryFormat.MOVIELENS, "u.data");
        assertThat(text(uData.convert(bytes("1\t296\t5\t1147880044")))).isEqualTo(expected);

        HistoryLines dat = HistoryLines.forFile(HistoryFormat.MOVIELENS, "ratings.dat.gz");
        Event e = valid(dat.convert(bytes("1::296::3.5::1147880044")));
        assertThat(e.type).isEqualTo(EventType.RATE);
        assertThat(e.value).isEqualTo(3.5);
        assertThat(e.ts).isEqualTo(1_147_880_044_000L);
        assertThat(e.userId).isEqualTo("1");
        assertThat(e.itemId).isEqualTo("296");
    }

    @Test
    void headerlessMovieLensCsvStartsWithARating() {
        HistoryLines csv = HistoryLines.forFile(HistoryFormat.MOVIELENS, "ratings.csv");
        assertThat(valid(csv.convert(bytes("1,296,5.0,1147880044"))).eventId).isEqualTo("ml-1-296-1147880044");
    }

    @Test
    void malformedMovieLensLinesPassThrough() {
        HistoryLines dat = HistoryLines.forFile(HistoryFormat.MOVIELENS, "ratings.dat");
        for (String bad : new String[] {
            "1::296::5",
            "1::296::five::1147880044",
            "1::296::5::yesterday",
            "::296::5::1147880044",
            "1::296::5::1147880044::x",
            "1::296::NaN::1147880044",
            "1::296::0x1p2::1147880044"
        }) {
            byte[] line = bytes(bad);
            assertThat(dat.convert(line)).as(bad).isEqualTo(line);
        }
    }

    @Test
    void movieLensMoviesBecomeItemEventsWithTheirGenres() {
        HistoryLines movies = HistoryLines.forFile(HistoryFormat.MOVIELENS, "movies.csv");
        assertThat(movies.convert(bytes("movieId,title,genres"))).isNull();

        byte[] toyStory = movies.convert(bytes("1,Toy Story (1995),Adventure|Animation|Children"));
        assertThat(text(toyStory))
                .isEqualTo(
                        "{\"event_id\":\"ml-item-1\",\"ts\":631152000000,\"type\":\"item\","
                                + "\"item_id\":\"1\",\"category\":\"Adventure\",\"tags\":[\"Adventure\",\"Animation\",\"Children\"]}");
        Event item = valid(toyStory);
        assertThat(item.type).isEqualTo(EventType.ITEM);
        assertThat(item.category).isEqualTo("Adventure");
        assertThat(item.tags).containsExactly("Adventure", "Animation", "Children");

        Event quoted = valid(movies.convert(bytes("11,\"American President, The (1995)\",Comedy|Drama|Romance")));
        assertThat(quoted.itemId).isEqualTo("11");
        assertThat(quoted.category).isEqualTo("Comedy");

        byte[] none = movies.convert(bytes("182727,A Christmas Story Live! (2017),(no genres listed)"));
        assertThat(text(none)).doesNotContain("category").contains("\"tags\":[]");
        assertThat(valid(none).category).isNull();

        byte[] broken = bytes("12,\"Dracula: Dead and Loving It (1995),Comedy|Horror");
        assertThat(movies.convert(broken)).isEqualTo(broken);
    }

    @Test
    void movieLensMoviesDatMayBeLatin1() {
        HistoryLines movies = HistoryLines.forFile(HistoryFormat.MOVIELENS, "movies.dat");
        byte[] latin1 = "73::Misérables, Les (1995)::Drama|War".getBytes(StandardCharsets.ISO_8859_1);
        Event e = valid(movies.convert(latin1));
        assertThat(e.itemId).isEqualTo("73");
        assertThat(e.tags).containsExactly("Drama", "War");
    }

    /** Lines shaped like MovieLens 100K's u.item (made up here): 5 leading fields, then 19 genre flags. */
    static final String U_ITEM_TOY =
            "1|Toy Story (1995)|01-Jan-1995||http://example.org/toy|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0";

    static final String U_ITEM_ACCENTED =
            "73|Misérables, Les (1995)|01-Jan-1995||http://example.org/les|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|1|0";
    static final String U_ITEM_UNKNOWN = "267|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0";
    static final String U_ITEM_UNKNOWN_AND_DRAMA = "999|Some (1996)|||x|1|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0";

    @Test
    void movieLens100kItemsBecomeItemEventsWithTheGenresOfTheirFlags() {
        HistoryLines items = HistoryLines.forFile(HistoryFormat.MOVIELENS, "ml-100k/u.item");

        byte[] toyStory = items.convert(bytes(U_ITEM_TOY));
        assertThat(text(toyStory))
                .isEqualTo(
                        "{\"event_id\":\"ml-item-1\",\"ts\":631152000000,\"type\":\"item\","
                                + "\"item_id\":\"1\",\"category\":\"Animation\",\"tags\":[\"Animation\",\"Children's\",\"Comedy\"]}");
        Event toy = valid(toyStory);
        assertThat(toy.category).isEqualTo("Animation");
        assertThat(toy.tags).containsExactly("Animation", "Children's", "Comedy");

        Event unknown = valid(items.convert(bytes(U_ITEM_UNKNOWN)));
        assertThat(unknown.itemId).isEqualTo("267");
        assertThat(unknown.category).as("unknown is no category").isNull();
        assertThat(unknown.tags).isEmpty();
        Event drama = valid(items.convert(bytes(U_ITEM_UNKNOWN_AND_DRAMA)));
        assertThat(drama.category).isEqualTo("Drama");
        assertThat(drama.tags).containsExactly("Drama");
    }

    @Test
    void movieLens100kItemsAreLatin1() {
        HistoryLines items = HistoryLines.forFile(HistoryFormat.MOVIELENS, "u.item");
        byte[] latin1 = U_ITEM_ACCENTED.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(latin1).contains((byte) 0xE9); // not UTF-8

        Event e = valid(items.convert(latin1));

        assertThat(e.itemId).isEqualTo("73");
        assertThat(e.category).isEqualTo("Drama");
        assertThat(e.tags).containsExactly("Drama", "War");
        assertThat(MovieLensLines.U_ITEM_GENRES)
                .hasSize(19)
                .startsWith("unknown", "Action")
                .endsWith("Western");
    }

    @Test
    void malformedMovieLens100kItemLinesPassThroughAsDeadLetters() {
        HistoryLines items = HistoryLines.forFile(HistoryFormat.MOVIELENS, "u.item");
        byte[] tooFewFlags = bytes("5|Short (1995)|||x|0|1|0");
        byte[] badFlag = bytes("6|Bad (1995)|||x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|yes");
        byte[] noId = bytes(" |No id|||x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0");
        for (byte[] line : new byte[][] {tooFewFlags, badFlag, noId}) {
            assertThat(items.convert(line)).as(text(line)).isEqualTo(line);
            assertThat(reason(line)).isEqualTo(RejectReason.NOT_JSON);
        }
        // a title holding the separator does not shift the flags, which are read from the end
        Event piped = valid(items.convert(bytes("7|A|B (1995)|||x|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0")));
        assertThat(piped.category).isEqualTo("Action");
    }

    @Test
    void skippingTheHeaderStillSetsTheColumns() {
        HistoryLines lines = HistoryLines.forFile(HistoryFormat.CSV, "events.csv");
        lines.skip(bytes(""));
        lines.skip(bytes("event_id,ts,type,user_id,item_id"));
        lines.skip(bytes("e1,1767225600000,view,u1,i1"));
        assertThat(valid(lines.convert(bytes("e2,1767225600000,view,u1,i2"))).eventId)
                .isEqualTo("e2");

        HistoryLines movies = HistoryLines.forFile(HistoryFormat.MOVIELENS, "movies.csv");
        movies.skip(bytes("movieId,title,genres"));
        assertThat(valid(movies.convert(bytes("2,Jumanji (1995),Adventure"))).itemId)
                .isEqualTo("2");
    }

    @Test
    void aMoviesDatLineWithOverlappingSeparatorsIsKeptAsItIsForTheDeadLetters() {
        // found by HistoryLinesFuzzTest: ":::" holds "::" twice, overlapping, and once cut the title at -1
        for (String line : new String[] {"1:::Comedy", ":::"}) {
            HistoryLines movies = HistoryLines.forFile(HistoryFormat.MOVIELENS, "movies.dat");
            byte[] out = movies.convert(bytes(line));
            assertThat(text(out)).as(line).isEqualTo(line);
            assertThat(reason(out)).as(line).isNotNull();
        }
    }

    private static Event valid(byte[] payload) {
        ParseOutcome outcome = PARSER.parse(new RawRecord(payload, "test", 0L));
        assertThat(outcome.isValid()).as("%s: %s", text(payload), outcome).isTrue();
        return outcome.event();
    }

    private static RejectReason reason(byte[] payload) {
        ParseOutcome outcome = PARSER.parse(new RawRecord(payload, "test", 0L));
        assertThat(outcome.isValid()).as(text(payload)).isFalse();
        return outcome.reason();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
