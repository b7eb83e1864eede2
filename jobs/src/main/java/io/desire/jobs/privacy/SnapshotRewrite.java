package io.desire.jobs.privacy;

import io.desire.jobs.ops.CollectedRows;
import io.desire.operators.Uids;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites one snapshot without a set of users, as a new savepoint next to it, and verifies the result
 * before anyone deletes the old one. Each user-keyed operator ({@link UserStateSpec#forJob}) is
 * replaced by its state minus the forgotten keys, with its broadcast and union state and the timers its
 * state records carried over; every other operator is copied unchanged under its uid.
 *
 * <p>{@link #verify} reads both snapshots back through the State Processor API: the new one must hold,
 * for every rewritten operator, exactly the old one's states minus the forgotten keys (byte for byte as
 * serialised) and no forgotten key. Runs as local batch jobs at parallelism 1; everything compared is
 * held in memory.
 */
public final class SnapshotRewrite {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRewrite.class);

    private SnapshotRewrite() {}

    /** Writes {@code source} without {@code forgotten} to {@code target}; the source is not changed. */
    public static void write(String source, String target, List<UserStateSpec> specs, Set<String> forgotten)
            throws Exception {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(source);
        List<UserStateSpec> present = present(metadata, specs);
        for (UserStateSpec spec : present) {
            SnapshotRows.checkCovered(metadata, spec);
        }
        StreamExecutionEnvironment env = batch();
        SavepointReader reader = SavepointReader.read(env, source, new EmbeddedRocksDBStateBackend());
        SavepointWriter writer = SavepointWriter.fromExistingSavepoint(env, source, new EmbeddedRocksDBStateBackend());
        for (UserStateSpec spec : present) {
            OperatorIdentifier id = OperatorIdentifier.forUid(spec.uid);
            StateBootstrapTransformation<StateRow> state = OperatorTransformation.bootstrapWith(
                            SnapshotRows.of(reader, spec, forgotten))
                    .setMaxParallelism(maxParallelism(metadata, spec.uid))
                    .keyBy(row -> row.key, Types.STRING)
                    .transform(UserStateWriter.factory(spec, metadata.getCheckpointId()));
            writer.removeOperator(id).withOperator(id, state);
        }
        writer.write(target);
        env.execute("desire: forget sweep " + source);
        LOG.info(
                "rewrote {} operators of {} into {} without {} users",
                present.size(),
                source,
                target,
                forgotten.size());
    }

    /**
     * Checks {@code rewritten} against {@code source}: equal state of every rewritten operator once the
     * forgotten users' state is taken out of the source, and nothing of a forgotten user in the rewrite
     * (both by the rule of {@link UserStateSpec#users}). Returns the number of state rows (values, map
     * entries, list elements, recorded timers) of forgotten users the source held; throws {@link IllegalStateException} naming the first difference.
     */
    public static int verify(String source, String rewritten, List<UserStateSpec> specs, Set<String> forgotten)
            throws Exception {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(source);
        List<UserStateSpec> present = present(metadata, specs);
        if (!SnapshotRows.uids(SavepointLoader.loadSavepointMetadata(rewritten)).equals(SnapshotRows.uids(metadata))) {
            throw new IllegalStateException(rewritten + " does not hold the operators of " + source);
        }
        StreamExecutionEnvironment env = batch();
        SavepointReader old = SavepointReader.read(env, source, new EmbeddedRocksDBStateBackend());
        SavepointReader swept = SavepointReader.read(env, rewritten, new EmbeddedRocksDBStateBackend());
        List<DataStream<String[]>> tagged = new ArrayList<>();
        for (UserStateSpec spec : present) {
            tagged.add(tag("old " + spec.uid, SnapshotRows.of(old, spec, Set.of())));
            tagged.add(tag("old kept " + spec.uid, SnapshotRows.of(old, spec, forgotten)));
            tagged.add(tag("new " + spec.uid, SnapshotRows.of(swept, spec, Set.of())));
            tagged.add(tag("new kept " + spec.uid, SnapshotRows.of(swept, spec, forgotten)));
        }
        Map<String, List<String>> rows =
                SnapshotRows.group(CollectedRows.collect(env, tagged, "desire: verify forget sweep"));
        int removed = 0;
        for (UserStateSpec spec : present) {
            List<String> after = rows.getOrDefault("new " + spec.uid, List.of());
            if (!rows.getOrDefault("new kept " + spec.uid, List.of()).equals(after)) {
                throw new IllegalStateException(
                        rewritten + ": operator " + spec.uid + " still holds state of a forgotten user");
            }
            List<String> expected = rows.getOrDefault("old kept " + spec.uid, List.of());
            if (!expected.equals(after)) {
                throw new IllegalStateException(rewritten + ": operator " + spec.uid + " differs from " + source
                        + " beyond" + " the forgotten users (" + expected.size() + " state rows expected, "
                        + after.size() + " found)");
            }
            removed += rows.getOrDefault("old " + spec.uid, List.of()).size() - expected.size();
        }
        return removed;
    }

    /** Every state row of the user-keyed operators of the snapshot at {@code path}, as text, per uid. */
    static Map<String, List<String>> rows(String path, List<UserStateSpec> specs) throws Exception {
        List<UserStateSpec> present = present(SavepointLoader.loadSavepointMetadata(path), specs);
        StreamExecutionEnvironment env = batch();
        SavepointReader reader = SavepointReader.read(env, path, new EmbeddedRocksDBStateBackend());
        List<DataStream<String[]>> tagged = new ArrayList<>();
        for (UserStateSpec spec : present) {
            tagged.add(tag(spec.uid, SnapshotRows.of(reader, spec, Set.of())));
        }
        return SnapshotRows.group(CollectedRows.collect(env, tagged, "desire: read snapshot " + path));
    }

    private static DataStream<String[]> tag(String tag, DataStream<StateRow> rows) {
        return rows.map(r -> new String[] {tag, text(r)}).returns(String[].class);
    }

    /** A row as text, its key first: key, kind, state, time, entry key and value as hex. */
    private static String text(StateRow r) {
        HexFormat hex = HexFormat.of();
        return r.key.length() + ":" + r.key + "|" + r.kind + "|" + r.state + "|" + r.time + "|"
                + hex.formatHex(r.entryKey) + "|" + hex.formatHex(r.value);
    }

    static String keyOf(String text) {
        int colon = text.indexOf(':');
        int length = Integer.parseInt(text.substring(0, colon));
        return text.substring(colon + 1, colon + 1 + length);
    }

    private static List<UserStateSpec> present(CheckpointMetadata metadata, List<UserStateSpec> specs) {
        Set<String> uids = SnapshotRows.uids(metadata);
        return specs.stream().filter(s -> uids.contains(s.uid)).toList();
    }

    private static int maxParallelism(CheckpointMetadata metadata, String uid) {
        for (OperatorState op : metadata.getOperatorStates()) {
            if (op.getOperatorUid().map(uid::equals).orElse(false)) {
                return op.getMaxParallelism();
            }
        }
        return Uids.MAX_PARALLELISM;
    }

    private static StreamExecutionEnvironment batch() {
        Configuration conf = new Configuration();
        // The State Processor API moves the copied operators' states as generic records (as in
        // BootstrapSavepoint); the rewritten ones travel as StateRow POJOs.
        conf.set(PipelineOptions.GENERIC_TYPES, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        // Operator (broadcast, union) state is written once, by the one subtask.
        env.setParallelism(1);
        return env;
    }
}
