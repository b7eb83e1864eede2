package io.desire.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HistoryFormatTest {

    @Test
    void configuredFormatIsAutoOrOneOfTheThree() {
        assertThat(HistoryFormat.parse("auto")).isNull();
        assertThat(HistoryFormat.parse(" AUTO ")).isNull();
        assertThat(HistoryFormat.parse(null)).isNull();
        assertThat(HistoryFormat.parse("")).isNull();
        assertThat(HistoryFormat.parse("jsonl")).isEqualTo(HistoryFormat.JSONL);
        assertThat(HistoryFormat.parse("CSV")).isEqualTo(HistoryFormat.CSV);
        assertThat(HistoryFormat.parse("MovieLens")).isEqualTo(HistoryFormat.MOVIELENS);
        assertThatThrownBy(() -> HistoryFormat.parse("parquet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'parquet'")
                .hasMessageContaining("auto, jsonl, csv or movielens");
    }

    @Test
    void jsonLinesAreToldByExtensionWithOrWithoutCompression() {
        for (String name : new String[] {
            "a.jsonl", "b.ndjson", "c.json", "/data/D.JSONL.gz", "s3://bucket/x/e.json.bz2", "f.jsonl.xz"
        }) {
            assertThat(HistoryFormat.detect(name, null)).as(name).isEqualTo(HistoryFormat.JSONL);
        }
    }

    @Test
    void movieLensFilesAreToldByNameAndCsvByHeader() {
        assertThat(HistoryFormat.detect("ml-100k/u.data", null)).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryFormat.detect("ratings.dat", null)).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryFormat.detect("movies.dat.gz", null)).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryFormat.detect("ml-100k/u.item", null)).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryFormat.detect("u.item.gz", null)).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryFormat.detect("ratings.csv", "userId,movieId,rating,timestamp"))
                .isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryFormat.detect("anything.csv.gz", "\uFEFFuserId, movieId, rating, timestamp"))
                .isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryFormat.detect("movies.csv", "movieId,title,genres")).isEqualTo(HistoryFormat.MOVIELENS);
        assertThat(HistoryFormat.detect("ratings.csv", "event_id,ts,type,user_id,item_id,value"))
                .isEqualTo(HistoryFormat.CSV);
        assertThat(HistoryFormat.detect("empty.csv", null)).isEqualTo(HistoryFormat.CSV);
    }

    @Test
    void anUnknownExtensionIsRefusedNamingTheFileAndTheAcceptedNames() {
        assertThatThrownBy(() -> HistoryFormat.detect("/data/notes.txt", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'/data/notes.txt'")
                .hasMessageContaining("*.jsonl")
                .hasMessageContaining("u.data")
                .hasMessageContaining("u.item")
                .hasMessageContaining(".gz")
                .hasMessageContaining("set the format to jsonl, csv or movielens");
        assertThatThrownBy(() -> HistoryFormat.checkDetectable("events.gz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'events.gz'");
    }
}
