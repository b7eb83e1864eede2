package io.desire.jobs.privacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A retained snapshot on a local or mounted file system: a savepoint or checkpoint directory holding
 * {@code _metadata}, and the time up to which its state can hold erased users — when it was taken, or,
 * for a snapshot this sweep wrote, the time of the erasure log it was swept against (recorded in its
 * name, {@code <name>-swept-<epoch ms>}).
 */
record Snapshot(Path dir, long coversUntil) {
    private static final Pattern SWEPT = Pattern.compile("^(.*)-swept-(\\d+)$");

    /** The snapshot at {@code dir}; the directory must hold {@code _metadata}. */
    static Snapshot at(Path dir) throws IOException {
        Path metadata = dir.resolve("_metadata");
        if (!Files.isRegularFile(metadata)) {
            throw new IOException("no snapshot at " + dir + " (no _metadata file)");
        }
        Matcher m = SWEPT.matcher(dir.getFileName().toString());
        long time = m.matches()
                ? Long.parseLong(m.group(2))
                : Files.getLastModifiedTime(metadata).toMillis();
        return new Snapshot(dir, time);
    }

    /**
     * The snapshots named by {@code path}: the path itself if it is one, else every snapshot directory
     * up to two levels below it ({@code savepoints/savepoint-…}, {@code checkpoints/<job>/chk-…}).
     */
    static List<Snapshot> under(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("no such snapshot or directory: " + path);
        }
        if (Files.isRegularFile(path.resolve("_metadata"))) {
            return List.of(at(path));
        }
        List<Snapshot> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(path, 3)) {
            for (Path metadata : s.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .toList()) {
                found.add(at(metadata.getParent()));
            }
        }
        found.sort(Comparator.comparing(Snapshot::dir));
        return found;
    }

    /** Where the rewrite of this snapshot swept against the log at {@code sweptAt} goes: next to it. */
    Path rewriteTarget(long sweptAt) {
        String name = dir.getFileName().toString();
        Matcher m = SWEPT.matcher(name);
        String base = m.matches() ? m.group(1) : name;
        return dir.resolveSibling(base + "-swept-" + sweptAt);
    }
}
