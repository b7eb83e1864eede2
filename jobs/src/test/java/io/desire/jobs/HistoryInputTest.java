package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.history.HistoryFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryInputTest {

    @Test
    void aWholeMovieLensDirectoryIsRefusedUpFrontButItsRatingsAndMoviesAreRead(@TempDir Path dir) throws Exception {
        Path ratings =
                Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n");
        Path movies =
                Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n1,Toy Story (1995),Animation\n");
        Files.writeString(dir.resolve("tags.csv"), "userId,movieId,tag,timestamp\n2,60756,funny,1445714994\n");

        assertThatThrownBy(
                        () -> HistoryInput.files(JobConfig.of(Map.of(ConfigKeys.HISTORY_INPUT.name(), dir.toString()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tags.csv")
                .hasMessageContaining("list the ratings and movies files");

        String listed = ratings + "," + movies;
        assertThat(HistoryInput.files(JobConfig.of(Map.of(ConfigKeys.HISTORY_INPUT.name(), listed))))
                .extracting(HistoryFile::size)
                .containsExactlyInAnyOrder(Files.size(ratings), Files.size(movies));
    }

    /**
     * A history of one file is read, parsed and given watermarks by one subtask, chained: a second
     * one would have no input and hold event time (and every window) back until {@code
     * watermark.idleness}. The keyed stages after it run at the job's parallelism.
     */
    @Test
    void oneFileIsReadParsedAndWatermarkedByOneSubtaskAndTheKeyedStagesRunInParallel(@TempDir Path dir)
            throws Exception {
        assertThat(graph(dir, 1))
                .containsEntry("Source: history files", 1)
                .containsEntry("history: count, cut over", 1)
                .containsEntry("parse and validate", 1)
                .containsEntry("event-time watermarks", 1)
                .containsEntry("deduplicate by event_id", 2)
                .containsEntry("user recommender", 2);
        assertThat(graph(dir, 3))
                .as("more files than subtasks: every subtask reads")
                .containsEntry("Source: history files", 2)
                .containsEntry("parse and validate", 2)
                .containsEntry("event-time watermarks", 2);
        assertThat(HistoryInput.readers(4, 2)).isEqualTo(2);
        assertThat(HistoryInput.readers(-1, 1))
                .as("one file, parallelism not known")
                .isEqualTo(1);
        assertThat(HistoryInput.readers(-1, 5)).as("left to the job's default").isZero();
    }

    /** The backfill pipeline over {@code files} history files at parallelism 2: each operator's parallelism by name. */
    private static Map<String, Integer> graph(Path dir, int files) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("history-" + files));
        for (int i = 0; i < files; i++) {
            Files.writeString(
                    folder.resolve("events-" + i + ".jsonl"),
                    "{\"event_id\":\"e" + i + "\",\"type\":\"view\",\"user_id\":\"u1\",\"item_id\":\"i1\","
                            + "\"ts\":\"2026-01-01T00:00:00Z\"}\n");
        }
        JobConfig cfg = JobConfig.of(Map.of(ConfigKeys.HISTORY_INPUT.name(), folder.toString()));
        List<HistoryFile> read = HistoryInput.files(cfg);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RecommendationPipeline.build(HistoryInput.backfill(env, cfg, read, Long.MAX_VALUE, true), cfg)
                .recommendations()
                .print();
        StreamGraph g = env.getStreamGraph();
        Map<String, Integer> byName = new java.util.TreeMap<>();
        for (StreamNode n : g.getStreamNodes()) {
            byName.putIfAbsent(n.getOperatorName(), n.getParallelism());
        }
        return byName;
    }
}
