package io.desire.jobs.privacy;

import io.desire.jobs.config.JobConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The keys of every user-keyed operator's state in a snapshot ({@link UserStateSpec#forJob}), read
 * through the State Processor API: per uid, every key that holds any keyed state. What a check that a
 * user is gone from a snapshot reads; and every state row as text, for a check that no value holds an
 * id either. Held in memory.
 */
public final class SweptState {
    private SweptState() {}

    /** Per uid of the user-keyed operators the snapshot at {@code path} holds, the keys of their state. */
    public static Map<String, Set<String>> keysByOperator(String path, JobConfig cfg) throws Exception {
        Map<String, Set<String>> keys = new TreeMap<>();
        List<UserStateSpec> specs = UserStateSpec.forJob(cfg);
        for (Map.Entry<String, List<String>> e :
                SnapshotRewrite.rows(path, specs).entrySet()) {
            Set<String> k = new TreeSet<>();
            for (String row : e.getValue()) {
                k.add(SnapshotRewrite.keyOf(row));
            }
            k.remove("");
            keys.put(e.getKey(), k);
        }
        for (UserStateSpec spec : specs) {
            if (SnapshotRows.uids(org.apache.flink.state.api.runtime.SavepointLoader.loadSavepointMetadata(path))
                    .contains(spec.uid)) {
                keys.putIfAbsent(spec.uid, new TreeSet<>());
            }
        }
        return keys;
    }

    /**
     * Per uid of the user-keyed operators the snapshot at {@code path} holds, every state row as text:
     * key, kind, state name, timer time, then the entry key and the value as the hex of their
     * serialized (uncompressed) bytes.
     */
    public static Map<String, List<String>> rowsByOperator(String path, JobConfig cfg) throws Exception {
        return SnapshotRewrite.rows(path, UserStateSpec.forJob(cfg));
    }
}
