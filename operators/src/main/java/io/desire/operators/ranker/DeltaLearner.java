package io.desire.operators.ranker;

import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A ranker learner at parallelism 1 that trains on {@link TrainingExample}s and publishes
 * {@link WeightDelta}s; {@link LearnerOperator} adds the timed, pre-barrier and end-of-input flushes.
 * Implemented by {@link FtrlLearner} and {@link FmLearner}.
 */
public abstract class DeltaLearner extends ProcessFunction<TrainingExample, WeightDelta>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Processing time between timed flushes, in ms. */
    abstract long emitIntervalMillis();

    /** Emits what the replicas have not seen yet, if anything. */
    abstract void flush(Collector<WeightDelta> out);

    /** The operator that runs this learner with timed, pre-barrier and end-of-input flushes. */
    public LearnerOperator operator() {
        return new LearnerOperator(this);
    }
}
