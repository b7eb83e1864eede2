package io.desire.jobs.backfill;

import io.desire.operators.Uids;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Turns the backfill's savepoint into the streaming job's bootstrap savepoint with Flink's State
 * Processor API: every operator's state stays under the streaming job's uids (profiles, context
 * windows, ALS user and item factors, FTRL weights and model versions, co-visitation, the feedback
 * loops' read positions), and the history source's state, which the streaming job has no operator
 * for, is removed — so {@code flink run -s} restores it without {@code --allowNonRestoredState}.
 *
 * <p>The state files of the kept operators are copied into the new directory: the bootstrap stands
 * alone, and the backfill's own savepoint may be deleted. The rewrite runs as a small batch job where
 * the backfill ran (its cluster, or the local Flink of the client).
 */
public final class BootstrapSavepoint {
    private BootstrapSavepoint() {}

    /** Writes to {@code target} the savepoint at {@code source} without the history source. */
    public static void write(String source, String target) throws Exception {
        write(source, target, false);
    }

    /**
     * As {@link #write(String, String)}; with {@code historyReadFeed}, the savepoint of a backfill that
     * ranked at the end of history, whose {@link HistoryReadFeed} reader is removed too.
     */
    static void write(String source, String target, boolean historyReadFeed) throws Exception {
        Configuration conf = new Configuration();
        // The State Processor API moves operator states as generic (Kryo) records; the engine's
        // jobs, and clusters configured like flink-conf/, turn generic types off.
        conf.set(PipelineOptions.GENERIC_TYPES, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SavepointWriter writer = SavepointWriter.fromExistingSavepoint(env, source)
                .removeOperator(OperatorIdentifier.forUid(Uids.HISTORY_SOURCE));
        if (historyReadFeed) {
            writer = writer.removeOperator(OperatorIdentifier.forUid(HistoryReadFeed.UID));
        }
        writer.write(target);
        env.execute("desire: bootstrap savepoint " + target);
    }
}
