package io.desire.operators.ranker;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.FtrlState;
import io.desire.features.ftrl.HashedFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.util.Collector;

/**
 * The function behind {@link FtrlLearner}: trains and emits; {@link LearnerOperator} adds the timed,
 * pre-barrier and end-of-input flushes. Package-private so it can only run inside that operator (a
 * plain {@code process(function)} would lose those flushes). State, metrics and emission are
 * documented on {@link FtrlLearner}.
 */
final class FtrlLearnerFunction extends DeltaLearner {
    private static final long serialVersionUID = 1L;

    private static final double LOG_LOSS_DECAY = 1.0 / 1000;

    private final FtrlParams params;
    private final int emitEvery;
    private final long emitIntervalMillis;

    private transient ListState<FtrlState> checkpointed;
    private transient FtrlModel model;
    private transient TouchedBuckets touched;
    private transient int updatesSinceEmit;
    private transient boolean fullPending;
    private transient int nonZero;
    private transient double[] zBefore;
    private transient double logLoss;
    private transient Counter deltas;
    private transient Counter invalid;

    FtrlLearnerFunction(FtrlParams params, int emitEvery, long emitIntervalMillis) {
        this.params = params;
        this.emitEvery = emitEvery;
        this.emitIntervalMillis = emitIntervalMillis;
    }

    @Override
    long emitIntervalMillis() {
        return emitIntervalMillis;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore().getListState(FtrlLearner.createStateDescriptor());
        List<FtrlState> restored = new ArrayList<>();
        for (FtrlState s : checkpointed.get()) {
            restored.add(s);
        }
        if (restored.size() > 1) {
            throw new IllegalStateException(
                    "the FTRL learner must run with parallelism 1; its state holds " + restored.size() + " models");
        }
        if (restored.isEmpty()) {
            model = new FtrlModel(params);
        } else {
            try {
                model = new FtrlModel(params, restored.get(0));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "restored FTRL state does not fit bits=" + params.bits()
                                + " (bits cannot change across a savepoint): " + e.getMessage(),
                        e);
            }
        }
        fullPending = context.isRestored() && model.version() > 0;
        touched = new TouchedBuckets(params.dimension());
        updatesSinceEmit = 0;
        zBefore = new double[64];
        nonZero = model.nonZeroWeights();
        logLoss = Double.NaN;
    }

    @Override
    public void open(OpenContext openContext) {
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        if (parallelism != 1) {
            throw new IllegalStateException("the FTRL learner must run with parallelism 1, got " + parallelism);
        }
        var metrics = getRuntimeContext().getMetricGroup();
        metrics.gauge(FtrlLearner.VERSION_GAUGE, (Gauge<Long>) this::version);
        metrics.gauge(FtrlLearner.NON_ZERO_GAUGE, (Gauge<Integer>) this::nonZero);
        metrics.gauge(FtrlLearner.LOG_LOSS_GAUGE, (Gauge<Double>) () -> logLoss);
        deltas = metrics.counter(FtrlLearner.DELTAS_METRIC);
        invalid = metrics.counter(FtrlLearner.INVALID_METRIC);
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
        int[] idx = f.indices;
        double[] z = model.state().z;
        int k = idx.length;
        if (zBefore.length < k) {
            zBefore = new double[Math.max(k, zBefore.length * 2)];
        }
        for (int j = 0; j < k; j++) {
            int i = idx[j];
            // out of range: the model rejects the example below without touching its state
            zBefore[j] = i >= 0 && i < z.length ? z[i] : 0.0;
        }
        double p;
        try {
            p = model.update(idx, f.values, x.label, x.weight);
        } catch (IllegalArgumentException e) {
            invalid.inc();
            return false;
        }
        double l1 = params.l1();
        for (int j = 0; j < k; j++) {
            int i = idx[j];
            boolean was = Math.abs(zBefore[j]) > l1;
            boolean now = Math.abs(z[i]) > l1;
            if (was != now) {
                nonZero += now ? 1 : -1;
            }
            touched.mark(i);
        }
        double loss = FtrlModel.logLoss(p, x.label);
        logLoss = Double.isNaN(logLoss) ? loss : logLoss + LOG_LOSS_DECAY * (loss - logLoss);
        updatesSinceEmit++;
        return true;
    }

    /** Emits what the replicas have not seen yet, if anything: a full delta after a restore, else the touched buckets. */
    @Override
    void flush(Collector<WeightDelta> out) {
        WeightDelta d;
        if (fullPending) {
            d = fullDelta();
            fullPending = false;
        } else if (!touched.isEmpty()) {
            int[] indices = touched.sorted();
            double[] weights = new double[indices.length];
            for (int j = 0; j < indices.length; j++) {
                weights[j] = model.weight(indices[j]);
            }
            d = new WeightDelta(model.version(), params.dimension(), false, indices, weights);
        } else {
            return;
        }
        touched.clear();
        updatesSinceEmit = 0;
        deltas.inc();
        out.collect(d);
    }

    /** Every non-zero weight of the model, as a delta that replaces the replicas' weights. */
    WeightDelta fullDelta() {
        double[] z = model.state().z;
        double l1 = params.l1();
        int[] indices = new int[Math.max(nonZero, 0)];
        int count = 0;
        for (int i = 0; i < z.length; i++) {
            if (Math.abs(z[i]) > l1) {
                if (count == indices.length) {
                    indices = Arrays.copyOf(indices, Math.max(16, count * 2));
                }
                indices[count++] = i;
            }
        }
        indices = Arrays.copyOf(indices, count);
        double[] weights = new double[count];
        for (int j = 0; j < count; j++) {
            weights[j] = model.weight(indices[j]);
        }
        return new WeightDelta(model.version(), params.dimension(), true, indices, weights);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        // the backend copies the element synchronously, so training may continue during the async part
        checkpointed.update(List.of(model.state()));
    }

    /** The model's version (number of updates applied). */
    long version() {
        return model.version();
    }

    /** Number of buckets with a non-zero weight, maintained per update. */
    int nonZero() {
        return nonZero;
    }

    /** The live model, for tests and evaluation in the same JVM. */
    FtrlModel model() {
        return model;
    }
}
