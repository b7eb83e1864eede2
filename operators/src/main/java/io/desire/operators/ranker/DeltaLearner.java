package io.desire.operators.ranker;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.HashedFeatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A ranker learner at parallelism 1 that trains one model on {@link TrainingExample}s and publishes
 * {@link WeightDelta}s; {@link LearnerOperator} adds the timed, pre-barrier and end-of-input flushes.
 * This class holds what the learners share: the model as operator state of exactly one element ({@code
 * S}), written whole at each checkpoint; a delta after every {@code emitEvery} updates; after a
 * restore, a full delta first; skipping and counting invalid examples; the version and progressive
 * log-loss gauges. Package-private, as its implementations ({@link FtrlLearnerFunction}, {@link
 * FmLearnerFunction}): outside this package a learner is reachable only through its operator ({@link
 * FtrlLearner#operator()}, {@link FmLearner#operator()}).
 *
 * @param <S> the model's state type
 */
abstract class DeltaLearner<S> extends ProcessFunction<TrainingExample, WeightDelta> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private static final double LOG_LOSS_DECAY = 1.0 / 1000;

    private final String modelName;
    private final ListStateDescriptor<S> stateDescriptor;
    private final String[] metricNames;
    private final int emitEvery;
    private final long emitIntervalMillis;

    private transient ListState<S> checkpointed;
    private transient TouchedBuckets touched;
    private transient int updatesSinceEmit;
    private transient boolean fullPending;
    private transient double logLoss;
    private transient Counter deltas;
    private transient Counter invalid;

    /**
     * @param modelName {@code FTRL} or {@code FM}, in messages
     * @param metricNames the version gauge, the log-loss gauge, the deltas counter and the invalid-examples counter
     */
    DeltaLearner(
            String modelName,
            ListStateDescriptor<S> stateDescriptor,
            String[] metricNames,
            int emitEvery,
            long emitIntervalMillis) {
        this.modelName = modelName;
        this.stateDescriptor = stateDescriptor;
        this.metricNames = metricNames.clone();
        this.emitEvery = emitEvery;
        this.emitIntervalMillis = emitIntervalMillis;
    }

    /** Starts the model afresh ({@code restored} null) or from a restored state; a state that does not fit throws. */
    abstract void startModel(S restored);

    /** The model's state, as checkpointed. */
    abstract S state();

    /** Buckets of the hashed space. */
    abstract int dimension();

    /** The model's version (number of updates applied). */
    abstract long version();

    /** Applies one update; returns the prediction before it. Throws IllegalArgumentException, model untouched, when invalid. */
    abstract double train(int[] indices, double[] values, int label, double weight);

    /** The delta of {@code indices} (sorted); {@code full}: every changed bucket, replacing the replicas' model. */
    abstract WeightDelta delta(int[] indices, boolean full);

    /** Every bucket changed since the model was new, as a full delta. */
    abstract WeightDelta fullDelta();

    /** Metrics a learner adds to the shared ones. */
    void registerMetrics(MetricGroup metrics) {}

    /** Processing time between timed flushes, in ms. */
    long emitIntervalMillis() {
        return emitIntervalMillis;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore().getListState(stateDescriptor);
        List<S> restored = new ArrayList<>();
        for (S s : checkpointed.get()) {
            restored.add(s);
        }
        if (restored.size() > 1) {
            throw new IllegalStateException("the " + modelName
                    + " learner must run with parallelism 1; its state holds " + restored.size() + " models");
        }
        startModel(restored.isEmpty() ? null : restored.get(0));
        fullPending = context.isRestored() && version() > 0;
        touched = new TouchedBuckets(dimension());
        updatesSinceEmit = 0;
        logLoss = Double.NaN;
    }

    @Override
    public void open(OpenContext openContext) {
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        if (parallelism != 1) {
            throw new IllegalStateException(
                    "the " + modelName + " learner must run with parallelism 1, got " + parallelism);
        }
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        metrics.gauge(metricNames[0], (Gauge<Long>) this::version);
        registerMetrics(metrics);
        metrics.gauge(metricNames[1], (Gauge<Double>) () -> logLoss);
        deltas = metrics.counter(metricNames[2]);
        invalid = metrics.counter(metricNames[3]);
    }

    @Override
    public void processElement(TrainingExample x, Context ctx, Collector<WeightDelta> out) {
        if (fullPending) {
            // the full delta reflects the restored model, so the deltas after it match an uninterrupted run
            flush(out);
        }
        learn(x);
        if (updatesSinceEmit >= emitEvery) {
            flush(out);
        }
    }

    /** Learns from one example; returns whether it was valid. */
    boolean learn(TrainingExample x) {
        HashedFeatures f = x == null ? null : x.features;
        if (f == null || f.indices == null || f.values == null || f.indices.length != f.values.length) {
            invalid.inc();
            return false;
        }
        double p;
        try {
            p = train(f.indices, f.values, x.label, x.weight);
        } catch (IllegalArgumentException e) {
            invalid.inc();
            return false;
        }
        for (int i : f.indices) {
            touched.mark(i);
        }
        double loss = FtrlModel.logLoss(p, x.label);
        logLoss = Double.isNaN(logLoss) ? loss : logLoss + LOG_LOSS_DECAY * (loss - logLoss);
        updatesSinceEmit++;
        return true;
    }

    /** Emits what the replicas have not seen yet, if anything: a full delta after a restore, else the touched buckets. */
    void flush(Collector<WeightDelta> out) {
        WeightDelta d;
        if (fullPending) {
            d = fullDelta();
            fullPending = false;
        } else if (!touched.isEmpty()) {
            d = delta(touched.sorted(), false);
        } else {
            return;
        }
        touched.clear();
        updatesSinceEmit = 0;
        deltas.inc();
        out.collect(d);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        // the backend copies the element synchronously, so training may continue during the async part
        checkpointed.update(List.of(state()));
    }

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
