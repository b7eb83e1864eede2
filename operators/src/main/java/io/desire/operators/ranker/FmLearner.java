package io.desire.operators.ranker;

import io.desire.features.fm.FmModel;
import io.desire.features.fm.FmParams;
import io.desire.features.fm.FmState;
import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.HashedFeatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * The factorisation-machine ranker's single learner ({@code ranker.model=fm}): trains one
 * {@link FmModel} (Rendle 2010; FTRL-Proximal bias and linear weights, AdaGrad factors) on every
 * {@link TrainingExample} and publishes what it changed as {@linkplain WeightDelta#factorised()
 * factorised} {@link WeightDelta}s to the replicas ({@link FmWeights}), through the same loop as the
 * FTRL learner.
 *
 * <p>Parallelism 1, emission and restore exactly as {@link FtrlLearner} (same reasons): a delta with
 * the bias and the linear weight and factors of every bucket touched since the last emission, after
 * every {@code emitEvery} updates, every {@code emitInterval} when something changed, before each
 * checkpoint barrier and at the end of input; after a restore, first a full delta listing every
 * bucket that differs from its untrained value. Versions never decrease.
 *
 * <p><b>State:</b> operator state {@code ListState<FmState>} ({@value #STATE_NAME}) with exactly one
 * element — linear z and n, factors and their AdaGrad sums over 2^bits buckets (8·(2 + 2k) bytes per
 * bucket: 144 MiB at 2^20 and k = 8, 9 MiB at 2^16) — under its own uid, so it never meets the FTRL
 * learner's state. <b>TTL:</b> none.
 *
 * <p><b>Cost:</b> an update is O(k·nnz) (≈ 5× an FTRL update at k = 8); a delta carries 8·(k + 1) + 4
 * bytes per touched bucket. Invalid examples are skipped and counted in {@value #INVALID_METRIC}.
 * Metrics: gauges {@value #VERSION_GAUGE}, {@value #LOG_LOSS_GAUGE} (progressive validation, ~1000
 * updates); counters {@value #DELTAS_METRIC}, {@value #INVALID_METRIC}.
 */
public class FmLearner extends DeltaLearner {
    private static final long serialVersionUID = 1L;

    public static final String STATE_NAME = "fm-model";
    public static final String VERSION_GAUGE = "fmVersion";
    public static final String LOG_LOSS_GAUGE = "fmLogLoss";
    public static final String DELTAS_METRIC = "fmDeltasEmitted";
    public static final String INVALID_METRIC = "fmInvalidExamples";
    /** Operator name used by {@link #transform}. */
    public static final String NAME = "fm-learner";

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

    private FmLearner(Builder b) {
        this.params = b.params;
        this.emitEvery = b.emitEvery;
        this.emitIntervalMillis = b.emitInterval.toMillis();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ListStateDescriptor<FmState> createStateDescriptor() {
        return new ListStateDescriptor<>(STATE_NAME, TypeInformation.of(FmState.class));
    }

    /** Applies {@code learner} to {@code examples} as a named operator with parallelism 1 and the given uid. */
    public static SingleOutputStreamOperator<WeightDelta> transform(
            DataStream<TrainingExample> examples, FmLearner learner, String uid) {
        return examples.transform(NAME, TypeInformation.of(WeightDelta.class), learner.operator())
                .uid(uid)
                .setParallelism(1);
    }

    public FmParams params() {
        return params;
    }

    @Override
    long emitIntervalMillis() {
        return emitIntervalMillis;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore().getListState(createStateDescriptor());
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
        metrics.gauge(VERSION_GAUGE, (Gauge<Long>) this::version);
        metrics.gauge(LOG_LOSS_GAUGE, (Gauge<Double>) () -> logLoss);
        deltas = metrics.counter(DELTAS_METRIC);
        invalid = metrics.counter(INVALID_METRIC);
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
    public long version() {
        return model.version();
    }

    /** The live model, for tests in the same JVM. */
    FmModel model() {
        return model;
    }

    /** Validated configuration of an {@link FmLearner}; every setter checks its argument at once. */
    public static final class Builder {
        private FmParams params = FmParams.defaults();
        private int emitEvery = FtrlLearner.DEFAULT_EMIT_EVERY;
        private Duration emitInterval = FtrlLearner.DEFAULT_EMIT_INTERVAL;

        private Builder() {}

        /** FM hyper-parameters, bucket space and k; default {@link FmParams#defaults()}. */
        public Builder params(FmParams p) {
            if (p == null) {
                throw new IllegalArgumentException("params must not be null");
            }
            this.params = p;
            return this;
        }

        /** Updates after which a delta is emitted; ≥ 1, default {@value FtrlLearner#DEFAULT_EMIT_EVERY}. */
        public Builder emitEvery(int updates) {
            if (updates < 1) {
                throw new IllegalArgumentException("emitEvery must be ≥ 1, got " + updates);
            }
            this.emitEvery = updates;
            return this;
        }

        /** Processing time after which pending changes are emitted; positive, default 1 s. */
        public Builder emitInterval(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("emitInterval must be a positive duration, got " + d);
            }
            this.emitInterval = d;
            return this;
        }

        public FmLearner build() {
            return new FmLearner(this);
        }
    }
}
