package io.desire.jobs.ops;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A savepoint (or retained checkpoint) of the streaming job opened for reading by a local batch job
 * at parallelism 1: the uids of its operators, the environment the reads are added to, and the
 * reader (RocksDB, as the job writes it).
 */
record OfflineSavepoint(Set<String> uids, StreamExecutionEnvironment env, SavepointReader reader) {

    /** The TTL the reads give state descriptors: it only decides what reads as expired, and nothing does. */
    static final Duration NO_EXPIRY = Duration.ofDays(3650);

    static OfflineSavepoint open(String path) throws Exception {
        Set<String> uids = new HashSet<>();
        for (OperatorState op : SavepointLoader.loadSavepointMetadata(path).getOperatorStates()) {
            op.getOperatorUid().ifPresent(uids::add);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        return new OfflineSavepoint(uids, env, SavepointReader.read(env, path, new EmbeddedRocksDBStateBackend()));
    }
}
