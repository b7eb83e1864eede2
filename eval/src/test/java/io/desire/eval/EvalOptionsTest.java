package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served options: what they accept, their defaults, and a clear message for each mistake. */
class EvalOptionsTest {

    @TempDir
    Path dir;

    private static final String[] SERVERS = {"--kafka-bootstrap", "127.0.0.1:9092", "--es-url", "http://127.0.0.1:9200"
    };

    private static String[] args(String... more) {
        String[] all = new String[SERVERS.length + more.length];
        System.arraycopy(more, 0, all, 0, more.length);
        System.arraycopy(SERVERS, 0, all, more.length, SERVERS.length);
        return all;
    }

    @Test
    void servedDefaultsAndJobArguments() {
        EvalOptions o = EvalOptions.parse(
                "--served",
                "--generated",
                "1000",
                "--kafka-bootstrap",
                "k:1",
                "--es-url",
                "http://e",
                "--",
                "--recs.coalesce",
                "1s");
        assertThat(o.served()).isNotNull();
        assertThat(o.served().sourcesAlone()).containsExactly("als", "affinity", "sequence", "context", "popular");
        assertThat(o.served().jobArgs()).containsExactly("--recs.coalesce", "1s");
        assertThat(o.served().match()).isEqualTo("context");
        assertThat(o.validation()).isZero();
        assertThat(o.test()).isEqualTo(0.2);
        assertThat(EvalOptions.parse("--generated", "1000").served()).isNull();
    }

    @Test
    void aReadyMadeSplitTakesTwoFilesAndReadsThemAsUData() throws IOException {
        Path train = Files.writeString(dir.resolve("train.tsv"), "1\t2\t4\t5\n");
        Path test = Files.writeString(dir.resolve("test.tsv"), "1\t3\t4\t6\n");
        EvalOptions o = EvalOptions.parse(
                args("--served", "--train", train.toString(), "--test", test.toString(), "--sources-alone", "none"));
        assertThat(o.served().train()).isEqualTo(train);
        assertThat(o.served().test()).isEqualTo(test);
        assertThat(o.format()).isEqualTo(io.desire.jobs.history.HistoryFormat.MOVIELENS);
        assertThat(o.served().sourcesAlone()).isEmpty();
        // a number after --test is still the test fraction
        assertThat(EvalOptions.parse("--generated", "1000", "--test", "0.3").test())
                .isEqualTo(0.3);
    }

    @Test
    void theMovieLensItemFileNextToTheRatingsIsTheDefaultCatalogue() throws IOException {
        Path ratings = Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,2,4,5\n");
        assertThat(EvalOptions.parse(args("--served", "--input", ratings.toString()))
                        .served()
                        .catalog())
                .isEmpty();
        Path movies = Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n2,A,Drama\n");
        assertThat(EvalOptions.parse(args("--served", "--input", ratings.toString()))
                        .served()
                        .catalog())
                .containsExactly(movies.toAbsolutePath());
        Path other = Files.writeString(dir.resolve("items.csv"), "movieId,title,genres\n");
        assertThat(EvalOptions.parse(args("--served", "--input", ratings.toString(), "--catalog", other.toString()))
                        .served()
                        .catalog())
                .containsExactly(other);
    }

    @Test
    void plantedRunsAloneOrNextToAHistoryButServedNeedsAHistory() {
        EvalOptions alone = EvalOptions.parse("--planted", "500");
        assertThat(alone.planted()).isEqualTo(500);
        assertThat(alone.hasHistory()).isFalse();
        assertThat(alone.served()).isNull();
        EvalOptions both = EvalOptions.parse(args("--served", "--generated", "1000", "--planted", "500"));
        assertThat(both.planted()).isEqualTo(500);
        assertThat(both.served()).isNotNull();
        assertThat(both.hasHistory()).isTrue();
        assertThat(EvalOptions.parse("--generated", "1000").planted()).isZero();
        assertThatThrownBy(() -> EvalOptions.parse(args("--served", "--planted", "500")))
                .hasMessageContaining("exactly one of --input PATH or --generated N");
        assertThatThrownBy(() -> EvalOptions.parse("--k", "5")).hasMessageContaining("or --planted N");
        assertThat(EvalOptions.USAGE).contains("--served", "--planted N");
    }

    @Test
    void mistakesAreNamed() throws IOException {
        Path train = Files.writeString(dir.resolve("train.tsv"), "1\t2\t4\t5\n");
        assertThatThrownBy(() -> EvalOptions.parse(args("--served", "--train", train.toString())))
                .hasMessageContaining("both --train FILE and --test FILE");
        assertThatThrownBy(() -> EvalOptions.parse(
                        args("--served", "--input", dir.resolve("nope.csv").toString())))
                .hasMessageContaining("cannot read");
        assertThatThrownBy(
                        () -> EvalOptions.parse(Map.of(), "--served", "--generated", "10", "--kafka-bootstrap", "k:1"))
                .hasMessageContaining("needs Kafka and Elasticsearch");
        assertThatThrownBy(() -> EvalOptions.parse(args("--served", "--generated", "10", "--served-match", "x")))
                .hasMessageContaining("--served-match");
        assertThatThrownBy(() -> EvalOptions.parse("--generated", "10", "--", "--recs.coalesce", "1s"))
                .hasMessageContaining("for --served");
        assertThatThrownBy(() -> EvalOptions.parse(args("--served", "--generated", "10", "--sources-alone", "a b")))
                .hasMessageContaining("--sources-alone");
        ServedBackfill backfill =
                new ServedBackfill("k:1", "http://e", "p", dir, List.of("a.jsonl"), List.of("--es.index", "mine"));
        assertThatThrownBy(() -> backfill.config("served", null))
                .hasMessageContaining("es.index is set by the evaluation");
        ServedBackfill ok =
                new ServedBackfill("k:1", "http://e", "p", dir, List.of("a.jsonl"), List.of("--recs.coalesce", "1s"));
        assertThat(ok.config("served", null).getString(io.desire.jobs.config.ConfigKeys.ES_INDEX))
                .isEqualTo("p-served");
        assertThat(List.of(EvalOptions.USAGE.split("\n"))).anyMatch(l -> l.contains("--served"));
    }

    @Test
    void halfLivesDefaultToAGridAndCanBeSwitchedOff() {
        assertThat(EvalOptions.parse("--generated", "1000").halfLives()).isEqualTo(HalfLifeTuning.DEFAULT_GRID);
        assertThat(EvalOptions.parse("--generated", "1000", "--half-lives", "12h,7d")
                        .halfLives())
                .containsExactly(java.time.Duration.ofHours(12), java.time.Duration.ofDays(7));
        assertThat(EvalOptions.parse("--generated", "1000", "--half-lives", "none")
                        .halfLives())
                .isEmpty();
        assertThatThrownBy(() -> EvalOptions.parse("--generated", "1000", "--half-lives", "7d,soon"))
                .hasMessageContaining("--half-lives")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> EvalOptions.parse("--generated", "1000", "--half-lives", "0s"))
                .hasMessageContaining("positive");
    }
}
