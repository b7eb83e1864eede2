package io.desire.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFoldersTest {

    @TempDir
    Path tmp;

    @Test
    void deletesAFolderWithNestedFilesAndLeavesItsSiblings() throws Exception {
        Path work = tmp.resolve("work");
        Files.createDirectories(work.resolve("checkpoints/chk-1"));
        Files.writeString(work.resolve("checkpoints/chk-1/_metadata"), "x");
        Files.writeString(work.resolve("sorted.tsv"), "y");
        Path sibling = Files.writeString(tmp.resolve("keep.txt"), "z");

        LocalFolders.deleteTree(work);

        assertThat(work).doesNotExist();
        assertThat(sibling).exists();
    }

    @Test
    void aMissingFolderIsNothingToDo() {
        assertThatCode(() -> LocalFolders.deleteTree(tmp.resolve("never-made"))).doesNotThrowAnyException();
    }
}
