package io.desire.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFilesTest {

    @TempDir
    Path root;

    @Test
    void directoriesAreWalkedSkippingHiddenNamesAndTheListIsSortedWithoutDuplicates() throws Exception {
        Path a = write("a.jsonl", "{}\n");
        Path b = write("sub/b.csv", "event_id,ts\n");
        Path e = write("sub/deeper/e.dat", "1::2::3::4\n1::2::3::4\n");
        write(".hidden.jsonl", "{}\n");
        write("_SUCCESS", "");
        write("_temporary/c.jsonl", "{}\n");
        write(".git/d.jsonl", "{}\n");
        write("sub/.e.jsonl.crc", "x");

        List<HistoryFile> files = HistoryFiles.expand(
                List.of(root.toString(), a.toString(), root.resolve("sub").toString()));

        assertThat(files)
                .extracting(f -> f.path().toUri().getPath())
                .containsExactly(a.toString(), b.toString(), e.toString());
        assertThat(files).extracting(HistoryFile::size).containsExactly(Files.size(a), Files.size(b), Files.size(e));
        assertThat(files)
                .allSatisfy(f -> assertThat(f.path().toUri().getScheme()).isEqualTo("file"));
    }

    @Test
    void aFileNamedExplicitlyIsTakenEvenIfHiddenAndUrisWork() throws Exception {
        Path hidden = write(".hidden.jsonl", "{}\n");
        Path plain = write("x.jsonl", "{}\n{}\n");

        List<HistoryFile> files = HistoryFiles.expand(List.of(hidden.toUri().toString(), " " + plain + " "));

        assertThat(files).extracting(f -> f.path().getName()).containsExactly(".hidden.jsonl", "x.jsonl");
    }

    @Test
    void aMissingPathIsNamed() {
        String missing = root.resolve("nope/events.jsonl").toString();
        assertThatThrownBy(() -> HistoryFiles.expand(List.of(missing)))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("'" + missing + "' does not exist");
    }

    @Test
    void aDirectoryWithoutFilesAndAnEmptyInputAreRefused() throws Exception {
        write("empty/_SUCCESS", "");
        Files.createDirectories(root.resolve("empty/nested"));
        String empty = root.resolve("empty").toString();

        assertThatThrownBy(() -> HistoryFiles.expand(List.of(empty)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + empty + "' holds no file to read");
        assertThatThrownBy(() -> HistoryFiles.expand(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no history input given");
    }

    private Path write(String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }
}
