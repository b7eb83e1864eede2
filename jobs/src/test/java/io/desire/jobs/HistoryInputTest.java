package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.history.HistoryFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
}
