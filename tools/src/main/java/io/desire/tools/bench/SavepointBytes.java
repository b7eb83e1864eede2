package io.desire.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The size on disk of a local savepoint: every file under its folder. */
final class SavepointBytes {
    private SavepointBytes() {}

    /** @param savepoint a {@code file:} URI as Flink reports it, or a plain path */
    static long of(String savepoint) throws IOException {
        Path dir = savepoint.startsWith("file:") ? Path.of(URI.create(savepoint)) : Path.of(savepoint);
        try (Stream<Path> files = Files.walk(dir)) {
            long sum = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                sum += Files.size(f);
            }
            return sum;
        }
    }
}
