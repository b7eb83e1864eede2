package io.desire.operators.ranker;

import io.desire.features.fm.FmModel;
import io.desire.features.fm.FmParams;
import io.desire.features.fm.FmState;
import io.desire.features.ftrl.FtrlModel;
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
 * The function behind {@link FmLearner}: trains and emits; {@link LearnerOperator} adds the timed,
 * pre-barrier and end-of-input flushes. Package-private so it can only run inside that operator (a
 * plain {@code process(function)} would lose those flushes). State, metrics and emission are
 * documented on {@link FmLearner}.
 */
final class FmLearnerFunction extends DeltaLearner {
    private static final long serialVersionUID = 1L;

    private static final double LOG_LOSS_DECAY = 1.0 / 1000;

    private final FmParams params;
    private final int emitEvery;
    private final long emitIntervalMillis;

    private transient ListState<FmState> checkpointed;
    private transient FmModel model;
    private transient TouchedBuckets touched;
    private transient int updatesSinceEmit;
    private transient boolean fullPending;
    private transient double logLoss;
    private transient Counter deltas;
    private transient Counter invalid;

    FmLearnerFunction(FmParams params, int emitEvery, long emitIntervalMillis) {
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
        checkpointed = context.getOperatorStateStore().getListState(FmLearner.createStateDescriptor());
        List<FmState> restored = new ArrayList<>();
        for (FmState s : checkpointed.get()) {
            restored.add(s);
        }
        if (restored.size() > 1) {
            throw new IllegalStateException(
                    "the FM learner must run with parallelism 1; its state holds " + restored.size() + " models");
        }
        if (restored.isEmpty()) {
            model = new FmModel(params);
        } else {
            try {
                model = new FmModel(params, restored.get(0));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "restored FM state does not fit bits=" + params.bits() + ", factors=" + params.factors()
                                + " (neither can change across a savepoint): " + e.getMessage(),
                        e);
            }
        }
        fullPending = context.isRestored() && model.version() > 0;
        touched = new TouchedBuckets(params.dimension());
        updatesSinceEmit = 0;
        logLoss = Double.NaN;
    }

    @Override
    public void open(OpenContext openContext) {
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        if (parallelism != 1) {
            throw new IllegalStateException("the FM learner must run with parallelism 1, got " + parallelism);
        }
        var metrics = getRuntimeContext().getMetricGroup();
        metrics.gauge(FmLearner.VERSION_GAUGE, (Gauge<Long>) this::version);
        metrics.gauge(FmLearner.LOG_LOSS_GAUGE, (Gauge<Double>) () -> logLoss);
        deltas = metrics.counter(FmLearner.DELTAS_METRIC);
        invalid = metrics.counter(FmLearner.INVALID_METRIC);
    }

    @Override
    public void processElement(TrainingExample x, Context ctx, Collector<WeightDelta> out) {
        if (fullPending) {
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
            p = model.update(f.indices, f.values, x.label, x.weight);
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

    @Override
    void flush(Collector<WeightDelta> out) {
        WeightDelta d;
        if (fullPending) {
            d = fullDelta();
            fullPending = false;
        } else if (!touched.isEmpty()) {
            int[] indices = touched.sorted();
            d = delta(indices, false);
        } else {
            return;
        }
        touched.clear();
        updatesSinceEmit = 0;
        deltas.inc();
        out.collect(d);
    }

    /** Every bucket that differs from its untrained value, as a delta that replaces the replicas' model. */
    WeightDelta fullDelta() {
        FmState s = model.state();
        int[] indices = new int[16];
        int count = 0;
        for (int i = 0; i < s.dimension(); i++) {
            if (s.touched(i)) {
                if (count == indices.length) {
                    indices = Arrays.copyOf(indices, count * 2);
                }
                indices[count++] = i;
            }
        }
        return delta(Arrays.copyOf(indices, count), true);
    }

    private WeightDelta delta(int[] indices, boolean full) {
        FmState s = model.state();
        int k = s.factors;
        double[] weights = new double[indices.length];
        double[] vectors = new double[indices.length * k];
        for (int j = 0; j < indices.length; j++) {
            weights[j] = model.weight(indices[j]);
            System.arraycopy(s.v, indices[j] * k, vectors, j * k, k);
        }
        return WeightDelta.factorised(
                model.version(),
                params.dimension(),
                full,
                k,
                model.bias(),
                indices,
                weights,
                vectors,
                s.initSeed,
                s.initScale);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.update(List.of(model.state()));
    }

    /** The model's version (number of updates applied). */
    long version() {
        return model.version();
    }

    /** The live model, for tests in the same JVM. */
    FmModel model() {
        return model;
    }
}
