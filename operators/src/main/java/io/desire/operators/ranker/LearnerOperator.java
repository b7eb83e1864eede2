package io.desire.operators.ranker;

import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;

/**
 * Runs a ranker learner ({@link FtrlLearner} or {@link FmLearner}) and adds the flushes a function cannot do by itself: every
 * {@code emitInterval} of processing time, before each checkpoint barrier, and at the end of a
 * bounded input. Operator-level processing-time timers are not part of the checkpoint; the periodic
 * flush is re-armed in {@link #open()}.
 */
public class LearnerOperator extends ProcessOperator<TrainingExample, WeightDelta> implements BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private transient TimestampedCollector<WeightDelta> flushOutput;

    LearnerOperator(DeltaLearner<?> learner) {
        super(learner);
    }

    private DeltaLearner<?> learner() {
        return (DeltaLearner<?>) userFunction;
    }

    @Override
    public void open() throws Exception {
        super.open();
        flushOutput = new TimestampedCollector<>(output);
        flushOutput.eraseTimestamp();
        scheduleTick();
    }

    private void scheduleTick() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + learner().emitIntervalMillis(), this::onTick);
    }

    private void onTick(long time) {
        learner().flush(flushOutput);
        scheduleTick();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        learner().flush(flushOutput);
    }

    @Override
    public void endInput() {
        learner().flush(flushOutput);
    }
}
