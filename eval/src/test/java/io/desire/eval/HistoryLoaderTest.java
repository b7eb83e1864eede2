package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.jobs.history.HistoryFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryLoaderTest {

    @TempDir
    Path dir;

    @Test
    void badJsonlLinesAreCountedWithReasonsAndTheRestIsLoaded() throws Exception {
        Path file = dir.resolve("events.jsonl");
        byte[] good1 = line(
                "{\"event_id\":\"e1\",\"ts\":1767225600000,\"type\":\"view\",\"user_id\":\"u1\",\"item_id\":\"i1\","
                        + "\"context\":{\"lat\":48.85,\"lon\":2.35,\"device\":\"phone\",\"tz\":\"Europe/Paris\"}}");
        byte[] good2 = line(
                "{\"event_id\":\"e2\",\"ts\":1767225660000,\"type\":\"rate\",\"user_id\":\"u1\",\"item_id\":\"i2\",\"value\":4}");
        byte[] item = line(
                "{\"event_id\":\"c1\",\"ts\":1767225600000,\"type\":\"item\",\"item_id\":\"i1\",\"category\":\"books\"}");
        byte[] notJson = line("{not json");
        byte[] badType = line(
                "{\"event_id\":\"e3\",\"ts\":1767225600000,\"type\":\"teleport\",\"user_id\":\"u\",\"item_id\":\"i\"}");
        byte[] notUtf8 = {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'};
        Files.write(file, concat(item, good1, notJson, good1, notUtf8, line(""), badType, good2));

        History h = HistoryLoader.load(file, HistoryFormat.JSONL);

        assertThat(h.size()).isEqualTo(2);
        assertThat(h.load.lines).isEqualTo(8);
        assertThat(h.load.badLines).isEqualTo(3);
        assertThat(h.load.badByReason).containsKeys("NOT_JSON", "NOT_UTF8", "UNKNOWN_TYPE");
        assertThat(h.load.duplicates).isEqualTo(1);
        assertThat(h.load.badSamples).hasSize(3);
        assertThat(h.load.badSamples.get(0)).startsWith("file:" + file + "#3: NOT_JSON");
        assertThat(h.categoryOf(h.items.indexOf("i1"))).isEqualTo("books");
        assertThat(h.hasRating(1)).isTrue();
        assertThat(h.rating(1)).isEqualTo(4f);
        assertThat(h.hasRating(0)).isFalse();
        assertThat(h.contextParts(h.context(0))[2]).isEqualTo("mobile");
    }

    @Test
    void badLinesAreSkippedInEveryFormatAsTheBackfillDeadLettersThem() throws Exception {
        Path csv = write(
                "ratings.csv",
                "userId,movieId,rating,timestamp",
                "1,10,4.0,964982703",
                "1,11,four,964982704",
                "2,10,3.5",
                "2,12,5.0,964982705");
        Path dat = write("ratings.dat", "1::10::4::964982703", "1::11::5::yesterday", "2::10::3::964982704::x");
        Path udata = write("u.data", "1\t10\t4\t964982703", "\t11\t5\t964982703");
        Path contract = write(
                "events.csv",
                "event_id,ts,type,user_id,item_id,value",
                "e1,1767225600000,rate,u1,i1,4",
                "e2,1767225600000,view,u1,i2,",
                "e3,1767225600000,teleport,u2,i1,");

        History movieLens = HistoryLoader.load(csv, HistoryFormat.MOVIELENS);
        assertThat(movieLens.size()).isEqualTo(2);
        assertThat(movieLens.load.badLines).isEqualTo(2);
        assertThat(movieLens.load.ignored).containsEntry("header line", 1L);
        assertThat(movieLens.ts(0)).isEqualTo(964_982_703_000L);
        assertThat(movieLens.rating(0)).isEqualTo(4f);
        assertThat(movieLens.value(0)).as("a rating is its own evidence").isEqualTo(4f);
        assertThat(movieLens.hasContext()).isFalse();

        History ml1m = HistoryLoader.load(dat, HistoryFormat.MOVIELENS);
        assertThat(ml1m.size()).isEqualTo(1);
        assertThat(ml1m.load.badLines).isEqualTo(2);

        History ml100k = HistoryLoader.load(udata, HistoryFormat.MOVIELENS);
        assertThat(ml100k.size()).isEqualTo(1);
        assertThat(ml100k.load.badLines).isEqualTo(1);

        History events = HistoryLoader.load(contract, HistoryFormat.CSV);
        assertThat(events.size()).isEqualTo(2);
        assertThat(events.load.badByReason).containsEntry("UNKNOWN_TYPE", 1L);
        assertThat(events.rating(0)).isEqualTo(4f);
        assertThat(events.hasRating(1)).isFalse();
    }

    @Test
    void formatNamesAreThoseOfTheBackfillWithTheMovieLensLayoutsAsOtherNames() {
        assertThat(HistoryLoader.parseFormat("auto")).isNull();
        assertThat(HistoryLoader.parseFormat("JSONL")).isEqualTo(HistoryFormat.JSONL);
        assertThat(HistoryLoader.parseFormat("csv")).isEqualTo(HistoryFormat.CSV);
        assertThat(HistoryLoader.parseFormat("movielens")).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryLoader.parseFormat("u.data")).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryLoader.parseFormat("movielens-csv")).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryLoader.parseFormat("ratings.dat")).isEqualTo(HistoryFormat.MOVIELENS);
        assertThatThrownBy(() -> HistoryLoader.parseFormat("tsv"))
                .hasMessageContaining("expected auto, jsonl, csv or movielens");
    }

    @Test
    void movieLens100kRatingsTakeTheirCategoriesFromTheUItemBesideThem() throws Exception {
        Path udata = write("u.data", "1\t1\t4\t964982703", "1\t73\t5\t964982704", "2\t267\t3\t964982705");
        Files.write(
                dir.resolve("u.item"),
                String.join(
                                "\n",
                                "1|Toy Story (1995)|01-Jan-1995||http://example.org/toy|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0",
                                "73|Misérables, Les (1995)|01-Jan-1995||http://example.org/les|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|1|0",
                                "267|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0",
                                "500|Nobody rated this (1997)|||x|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0",
                                "broken line")
                        .getBytes(StandardCharsets.ISO_8859_1));

        History h = HistoryLoader.load(udata, HistoryFormat.MOVIELENS);

        assertThat(h.size()).isEqualTo(3);
        assertThat(h.numItems()).as("the catalogue adds no items").isEqualTo(3);
        assertThat(h.itemCategory).hasSize(2);
        assertThat(h.itemCategory.get(h.items.indexOf("1"))).isEqualTo("Animation");
        assertThat(h.itemCategory.get(h.items.indexOf("73")))
                .as("read as Latin-1")
                .isEqualTo("Drama");
        assertThat(h.load.catalogue).endsWith("u.item");
        assertThat(h.load.catalogueItems).isEqualTo(3);
        assertThat(h.load.badLines).isEqualTo(1);
        assertThat(h.load.badSamples.get(0)).contains("u.item#5");
    }

    @Test
    void movieLensCsvRatingsTakeTheirCategoriesFromMoviesCsvAndOtherFormatsFromNothing() throws Exception {
        Path ratings = write("ratings.csv", "userId,movieId,rating,timestamp", "1,10,4.0,964982703");
        write("movies.csv", "movieId,title,genres", "10,GoldenEye (1995),Action|Adventure|Thriller");

        History h = HistoryLoader.load(ratings, HistoryFormat.MOVIELENS);

        assertThat(h.itemCategory).containsValue("Action");
        assertThat(HistoryLoader.catalogueBeside(dir.resolve("events.csv"), HistoryFormat.CSV))
                .isNull();
        assertThat(HistoryLoader.catalogueBeside(dir.resolve("ratings.dat"), HistoryFormat.MOVIELENS))
                .isNull();
    }

    @Test
    void formatIsGuessedAsTheBackfillDetectsIt() throws Exception {
        Path movieLensCsv = write("mine.csv", "userId,movieId,rating,timestamp", "1,10,4.0,964982703");
        Path contractCsv = write("events.csv", "event_id,ts,type,user_id,item_id");
        assertThat(HistoryLoader.guessFormat(movieLensCsv)).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryLoader.guessFormat(contractCsv)).isEqualTo(HistoryFormat.CSV);
        assertThat(HistoryLoader.guessFormat(Path.of("u.data"))).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryLoader.guessFormat(Path.of("ratings.dat"))).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryLoader.guessFormat(Path.of("events.jsonl"))).isEqualTo(HistoryFormat.JSONL);
        assertThat(HistoryLoader.guessFormat(Path.of("events.bin"))).isNull();
    }

    private Path write(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, List.of(lines), StandardCharsets.UTF_8);
        return p;
    }

    private static byte[] line(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
