package io.desire.jobs.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * What a bootstrap savepoint was built from and where the streaming job must take over: written
 * next to the savepoint ({@code <savepoint>.json}) so the hand-over can be repeated or audited later.
 *
 * @param savepoint the bootstrap savepoint (start the streaming job from it with {@code -s})
 * @param cutoverMillis the first instant the streaming job must read from Kafka
 * @param startingOffsets the value of {@code kafka.starting-offsets} that does so
 * @param index the recommendation index the backfill built and the alias now points to
 * @param alias the read alias
 * @param files history files read
 * @param records history records read
 * @param afterCutover file events at or after the cut-over, left to Kafka
 * @param createdAt when the bootstrap was written (ISO-8601)
 */
public record BootstrapManifest(
        String savepoint,
        long cutoverMillis,
        String startingOffsets,
        String index,
        String alias,
        long files,
        long records,
        long afterCutover,
        String createdAt) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static BootstrapManifest of(
            String savepoint, long cutoverMillis, String index, String alias, HistoryCounts counts) {
        return new BootstrapManifest(
                savepoint,
                cutoverMillis,
                Long.toString(cutoverMillis),
                index,
                alias,
                counts.files(),
                counts.records(),
                counts.afterCutover(),
                Instant.now().toString());
    }

    /** The path of the manifest of {@code savepoint}. */
    public static Path pathOf(String savepoint) {
        String s = savepoint.endsWith("/") ? savepoint.substring(0, savepoint.length() - 1) : savepoint;
        return new Path(s + ".json");
    }

    /** Writes the manifest next to the savepoint, replacing an older one. */
    public Path write() throws IOException {
        Path path = pathOf(savepoint);
        FileSystem fs = path.getFileSystem();
        try (OutputStream out = fs.create(path, FileSystem.WriteMode.OVERWRITE)) {
            out.write(JSON.writeValueAsBytes(this));
        }
        return path;
    }

    /** Reads the manifest of {@code savepoint}. */
    public static BootstrapManifest read(String savepoint) throws IOException {
        Path path = pathOf(savepoint);
        try (var in = path.getFileSystem().open(path)) {
            return JSON.readValue(in, BootstrapManifest.class);
        }
    }
}
