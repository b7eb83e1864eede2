package io.desire.tools.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.state.api.runtime.SavepointLoader;

/** The size on disk of a local savepoint (every file under its folder), and its state by operator. */
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

    /** The state size the savepoint's metadata records for the operators of {@code uids}, summed. */
    static long ofOperators(String savepoint, Set<String> uids) throws IOException {
        long sum = 0;
        for (OperatorState op : SavepointLoader.loadSavepointMetadata(savepoint).getOperatorStates()) {
            if (op.getOperatorUid().map(uids::contains).orElse(false)) {
                sum += op.getStateSize();
            }
        }
        return sum;
    }
}
