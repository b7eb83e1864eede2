package io.desire.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvHeadersTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void aCsvFileOfEventFieldsPassesWhateverItsCaseQuotesAndByteOrderMark() throws IOException {
        CsvHeaders.check(
                List.of(
                        file("plain.csv", "event_id,ts,type,user_id,item_id\ne1,1767225600000,view,u1,i1\n"),
                        file(
                                "excel.csv",
                                "\uFEFF\"Event_ID\",\"TS\",\"Type\",\"User_ID\"\r\ne1,1767225600000,user,u1\r\n"),
                        file("empty.csv", ""),
                        file("blank-first.csv", "\n  \nevent_id,ts,type\n")),
                null);
    }

    @Test
    void movieLensTagsAreRefusedWithTheFileTheMissingColumnsAndWhatToListInstead() throws IOException {
        HistoryFile tags = file("tags.csv", "userId,movieId,tag,timestamp\n2,60756,funny,1445714994\n");

        assertThatThrownBy(() ->
                        CsvHeaders.check(List.of(file("ratings.csv", "userId,movieId,rating,timestamp\n"), tags), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(tags.path().toString())
                .hasMessageContaining("'userId,movieId,tag,timestamp' lacks event_id, ts, type")
                .hasMessageContaining("list the ratings and movies files");
    }

    @Test
    void aCsvFileWithoutTheTypeColumnIsRefusedNamingOnlyWhatIsMissing() throws IOException {
        HistoryFile clicks = file("clicks.csv", "event_id,ts,user_id,item_id\n");

        assertThatThrownBy(() -> CsvHeaders.check(List.of(clicks), null))
                .hasMessageContaining("lacks type (every event needs event_id, ts, type)")
                .hasMessageContaining("header of event fields");
    }

    @Test
    void theHeaderOfACompressedCsvFileIsReadDecompressed() throws IOException {
        java.nio.file.Path good = dir.resolve("events.csv.gz");
        java.nio.file.Path bad = dir.resolve("links.csv.gz");
        gzip(good, "event_id,ts,type\ne1,1,view\n");
        gzip(bad, "movieId,imdbId,tmdbId\n1,0114709,862\n");

        assertThat(CsvHeaders.firstLine(new Path(good.toUri()))).isEqualTo("event_id,ts,type");
        assertThatCode(() -> CsvHeaders.check(List.of(new HistoryFile(new Path(good.toUri()), Files.size(good))), null))
                .doesNotThrowAnyException();
        assertThatThrownBy(() ->
                        CsvHeaders.check(List.of(new HistoryFile(new Path(bad.toUri()), Files.size(bad))), null))
                .hasMessageContaining("links.csv.gz")
                .hasMessageContaining("MovieLens");
    }

    @Test
    void theConfiguredFormatDecidesWhichFilesAreReadAsCsv() throws IOException {
        HistoryFile ratings = file("ratings.csv", "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n");
        HistoryFile events = file("events.txt", "ts,type\n");
        HistoryFile missing =
                new HistoryFile(new Path(dir.resolve("never-written.csv").toUri()), 0);

        // Forced CSV: MovieLens ratings are not events, and any name is read as CSV.
        assertThatThrownBy(() -> CsvHeaders.check(List.of(ratings), HistoryFormat.CSV))
                .hasMessageContaining("lacks event_id, ts, type");
        assertThatThrownBy(() -> CsvHeaders.check(List.of(events), HistoryFormat.CSV))
                .hasMessageContaining("lacks event_id");
        // Other formats: not opened at all.
        assertThatCode(() -> CsvHeaders.check(List.of(missing), HistoryFormat.MOVIELENS))
                .doesNotThrowAnyException();
        assertThatCode(() -> CsvHeaders.check(List.of(missing), HistoryFormat.JSONL))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CsvHeaders.check(List.of(missing), null)).isInstanceOf(IOException.class);
    }

    @Test
    void moreContextAttributeColumnsThanAnEventCarriesAreRefusedUnlessListed() throws IOException {
        StringBuilder header = new StringBuilder("event_id,ts,type,user_id,item_id");
        for (int c = 0; c < 17; c++) {
            header.append(",col").append(c);
        }
        HistoryFile wide = file("wide.csv", header + "\n");

        assertThatThrownBy(() -> CsvHeaders.check(List.of(wide), null, ContextColumns.ALL))
                .hasMessageContaining("wide.csv")
                .hasMessageContaining("17 columns that are not event fields")
                .hasMessageContaining("history.context-columns");
        assertThatCode(() -> CsvHeaders.check(List.of(wide), null, ContextColumns.parse("col1,col2")))
                .doesNotThrowAnyException();
        assertThatCode(() -> CsvHeaders.check(List.of(wide), null, ContextColumns.NONE))
                .doesNotThrowAnyException();
    }

    @Test
    void listingAnEventFieldAsAContextColumnIsAMistake() {
        assertThatThrownBy(() -> ContextColumns.parse("weather,Device"))
                .hasMessageContaining("'device'")
                .hasMessageContaining("event field");
        assertThat(ContextColumns.parse("  ")).isSameAs(ContextColumns.ALL);
        assertThat(ContextColumns.parse("NONE")).isSameAs(ContextColumns.NONE);
        assertThat(ContextColumns.parse("weather").includes(" Weather ")).isTrue();
        assertThat(ContextColumns.ALL.includes("")).isFalse();
        assertThat(ContextColumns.ALL.includes("user_id")).isFalse();
    }

    private HistoryFile file(String name, String text) throws IOException {
        java.nio.file.Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return new HistoryFile(new Path(p.toUri()), Files.size(p));
    }

    private static void gzip(java.nio.file.Path p, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
