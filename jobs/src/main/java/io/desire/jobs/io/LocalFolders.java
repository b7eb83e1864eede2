package io.desire.jobs.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Local working folders the jobs and tools create and remove. */
public final class LocalFolders {

    private LocalFolders() {}

    /**
     * Deletes {@code dir} with everything in it, deepest first; a folder that does not exist is
     * nothing to do. Throws on the first entry that cannot be deleted.
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
