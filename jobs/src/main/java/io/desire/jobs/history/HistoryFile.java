package io.desire.jobs.history;

import java.util.Objects;
import org.apache.flink.core.fs.Path;

/**
 * One history file to read: its fully qualified path (scheme and authority included, e.g. {@code
 * file:/data/ratings.csv} or {@code s3://bucket/events/2025-05.jsonl.gz}) and its size in bytes as
 * stored (compressed size for a compressed file), as {@link HistoryFiles#expand} found them.
 */
public record HistoryFile(Path path, long size) {
    public HistoryFile {
        Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size of " + path + " is " + size + ", expected >= 0");
        }
    }
}
