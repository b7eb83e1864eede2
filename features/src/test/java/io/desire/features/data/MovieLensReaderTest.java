package io.desire.features.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRatingsCsvWithHeaderIntoMillis() throws IOException {
        Path file = write(
                "ratings.csv",
                "\uFEFFuserId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n1,1029,3.0,1260759179\n\n7,31,4.5,964982703\n");
        InteractionTable table = MovieLensReader.read(file);
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.numUsers()).isEqualTo(2);
        assertThat(table.numItems()).isEqualTo(2);
        assertThat(table.users().idOf(table.user(2))).isEqualTo("7");
        assertThat(table.items().idOf(table.item(2))).isEqualTo("31");
        assertThat(table.item(2)).isEqualTo(table.item(0));
        assertThat(table.rating(0)).isEqualTo(2.5f);
        assertThat(table.timestamp(0)).isEqualTo(1_260_759_144_000L);
    }

    @Test
    void readsTabSeparatedUData() throws IOException {
        Path file = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        InteractionTable table = MovieLensReader.read(file);
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.users().ids()).containsExactly("196", "186");
        assertThat(table.timestamp(1)).isEqualTo(891_717_742_000L);
    }

    @Test
    void readsDoubleColonSeparatedRatingsDat() throws IOException {
        Path file = write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n");
        InteractionTable table = MovieLensReader.read(file);
        assertThat(table.items().ids()).containsExactly("1193", "661");
        assertThat(table.rating(0)).isEqualTo(5f);
        assertThat(table.timestamp(0)).isEqualTo(978_300_760_000L);
    }

    @Test
    void failsWithTheLineOfABadRecord() throws IOException {
        Path file = write("ratings.csv", "userId,movieId,rating,timestamp\n1,2,3.5,100\n1,3,lots,101\n");
        assertThatThrownBy(() -> MovieLensReader.read(file))
                .isInstanceOf(MalformedHistoryException.class)
                .hasMessageContaining("ratings.csv:3")
                .hasMessageContaining("rating is not a number");
        Path tooMany = write("u.data", "1\t2\t3\t4\t5\n");
        assertThatThrownBy(() -> MovieLensReader.read(tooMany)).hasMessageContaining(":1: expected 4 fields");
        Path tooFew = write("ratings.dat", "1::2::3\n");
        assertThatThrownBy(() -> MovieLensReader.read(tooFew)).hasMessageContaining("found 3");
    }

    @Test
    void rejectsUnknownFileNames() {
        assertThatThrownBy(() -> MovieLensFormat.fromFileName(Path.of("ratings.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("u.data");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
