package io.desire.operators;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** Opening of the operator tests' harnesses, the same way for every operator. */
public final class Harnesses {
    private Harnesses() {}

    /**
     * Opens {@code h} on RocksDB when {@code rocksDb} (else the heap backend), restored from {@code
     * restoreFrom} when not null; returns it.
     */
    public static <H extends AbstractStreamOperatorTestHarness<?>> H opened(
            H h, boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }
}
