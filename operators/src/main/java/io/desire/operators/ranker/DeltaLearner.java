package io.desire.operators.ranker;

import java.time.Duration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A ranker learner at parallelism 1 that trains on {@link TrainingExample}s and publishes
 * {@link WeightDelta}s; {@link LearnerOperator} adds the timed, pre-barrier and end-of-input flushes.
 * Package-private, as its implementations ({@link FtrlLearnerFunction}, {@link FmLearnerFunction}):
 * outside this package a learner is reachable only through its operator ({@link FtrlLearner#operator()},
 * {@link FmLearner#operator()}).
 */
abstract class DeltaLearner extends ProcessFunction<TrainingExample, WeightDelta> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Processing time between timed flushes, in ms. */
    abstract long emitIntervalMillis();

    /** Emits what the replicas have not seen yet, if anything. */
    abstract void flush(Collector<WeightDelta> out);

    static <P> P checkParams(P params) {
        if (params == null) {
            throw new IllegalArgumentException("params must not be null");
        }
        return params;
    }

    static int checkEmitEvery(int updates) {
        if (updates < 1) {
            throw new IllegalArgumentException("emitEvery must be ≥ 1, got " + updates);
        }
        return updates;
    }

    static Duration checkEmitInterval(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("emitInterval must be a positive duration, got " + d);
        }
        return d;
    }
}
