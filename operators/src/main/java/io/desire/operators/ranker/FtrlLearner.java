package io.desire.operators.ranker;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.FtrlState;
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
 * The FTRL ranker's single learner: trains one {@link FtrlModel} (FTRL-Proximal, McMahan et al. 2013)
 * on every {@link TrainingExample} and publishes the weights it changed as {@link WeightDelta}s to the
 * ranker replicas ({@link RankerWeights}).
 *
 * <p><b>Why one learner at parallelism 1:</b> an FTRL update needs the prediction over all of the
 * example's buckets before it can change any of them, and its per-coordinate learning rates are
 * defined by the exact sequence of gradients each bucket saw. Sharding buckets across subtasks turns
 * every update into a two-round exchange; averaging replicas breaks the per-coordinate accounting and a
 * single growing version. One learner keeps the model exact, deterministic on replay, and its version
 * the number of updates. <b>Ceiling:</b> an update of ~40 active features scattered over the 16 MiB of
 * z and n at 2^20 buckets costs about 5 µs, dominated by cache misses (~200 000 updates/s of the bare
 * model on one core); with record deserialisation and delta bookkeeping, plan for ~100 000 examples/s.
 * Training traffic is labelled impressions, a small fraction of the event rate. Beyond that, subsample negatives upstream with an importance weight of 1/rate
 * ({@link ExampleAssembler.Builder#negativeWeight}), which FTRL supports without bias. Serving scales
 * separately, through the replicas.
 *
 * <p><b>Emission:</b> a delta with the current weight of every bucket touched since the last emission
 * and the model version, after every {@code emitEvery} updates (default {@value #DEFAULT_EMIT_EVERY}),
 * every {@code emitInterval} of processing time (default 1 s) when something changed, before each
 * checkpoint barrier, and at the end of input. Versions never decrease. Flushing before the barrier
 * means a checkpoint never holds an update the replicas' broadcast state has not seen, so learner and
 * replicas restore consistently. After a restore the first delta is a {@linkplain WeightDelta#full full}
 * one (all non-zero weights), so replicas whose state does not match (new replicas, a learner rolled
 * back to an older savepoint) converge.
 *
 * <p><b>State:</b> operator state {@code ListState<FtrlState>} ({@value #STATE_NAME}) with exactly one
 * element: z and n over 2^bits buckets (16 MiB at 2^20), written whole at each checkpoint and read once
 * at restore, not keyed state, which would deserialise the whole model on every access with RocksDB.
 * <b>TTL:</b> none: the model is the product of all history.
 *
 * <p><b>Wiring:</b> use {@link #transform} (or {@code transform(name, type, learner.operator())} with
 * parallelism 1); a plain {@code process(learner)} would lose the timed, pre-barrier and end-of-input
 * flushes. Its output goes to the ranker as a broadcast stream with {@link RankerWeights#createDescriptor()}.
 * Invalid examples (indices not strictly ascending in range, non-finite values, labels other than 0/1,
 * non-positive weights) are skipped and counted in {@value #INVALID_METRIC}. Metrics: gauges
 * {@value #VERSION_GAUGE}, {@value #NON_ZERO_GAUGE} (tracked per update, not scanned),
 * {@value #LOG_LOSS_GAUGE} (progressive validation log-loss, exponentially weighted over ~1000 updates);
 * counters {@value #DELTAS_METRIC}, {@value #INVALID_METRIC}.
 */
public class FtrlLearner extends DeltaLearner {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_EMIT_EVERY = 1000;
    public static final Duration DEFAULT_EMIT_INTERVAL = Duration.ofSeconds(1);
    public static final String STATE_NAME = "ftrl-model";
    public static final String VERSION_GAUGE = "ftrlVersion";
    public static final String NON_ZERO_GAUGE = "ftrlNonZero";
    public static final String LOG_LOSS_GAUGE = "ftrlLogLoss";
    public static final String DELTAS_METRIC = "ftrlDeltasEmitted";
    public static final String INVALID_METRIC = "ftrlInvalidExamples";
    /** Operator name used by {@link #transform}. */
    public static final String NAME = "ftrl-learner";

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

    /** Default parameters, emission every 1000 updates or 1 s. */
    public FtrlLearner() {
        this(builder());
    }

    private FtrlLearner(Builder b) {
        this.params = b.params;
        this.emitEvery = b.emitEvery;
        this.emitIntervalMillis = b.emitInterval.toMillis();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ListStateDescriptor<FtrlState> createStateDescriptor() {
        return new ListStateDescriptor<>(STATE_NAME, TypeInformation.of(FtrlState.class));
    }

    /**
     * Applies {@code learner} to {@code examples} as a named operator with parallelism 1 and the
     * given uid.
     *
     * <p>The max parallelism stays the job's: an operator's max parallelism is recorded in savepoints
     * per chain, and whether the learner chains to its neighbours depends on the job's parallelism
     * (at 1 it does). A max parallelism of its own made a savepoint of a job at parallelism 1
     * unrestorable at parallelism 2.
     */
    public static SingleOutputStreamOperator<WeightDelta> transform(
            DataStream<TrainingExample> examples, FtrlLearner learner, String uid) {
        return examples.transform(NAME, TypeInformation.of(WeightDelta.class), learner.operator())
                .uid(uid)
                .setParallelism(1);
    }

    public FtrlParams params() {
        return params;
    }

    @Override
    long emitIntervalMillis() {
        return emitIntervalMillis;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointed = context.getOperatorStateStore().getListState(createStateDescriptor());
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
        metrics.gauge(VERSION_GAUGE, (Gauge<Long>) this::version);
        metrics.gauge(NON_ZERO_GAUGE, (Gauge<Integer>) this::nonZero);
        metrics.gauge(LOG_LOSS_GAUGE, (Gauge<Double>) () -> logLoss);
        deltas = metrics.counter(DELTAS_METRIC);
        invalid = metrics.counter(INVALID_METRIC);
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
    public long version() {
        return model.version();
    }

    /** Number of buckets with a non-zero weight, maintained per update. */
    public int nonZero() {
        return nonZero;
    }

    /** The live model, for tests and evaluation in the same JVM. */
    FtrlModel model() {
        return model;
    }

    /** Validated configuration of an {@link FtrlLearner}; every setter checks its argument at once. */
    public static final class Builder {
        private FtrlParams params = FtrlParams.defaults();
        private int emitEvery = DEFAULT_EMIT_EVERY;
        private Duration emitInterval = DEFAULT_EMIT_INTERVAL;

        private Builder() {}

        /** FTRL hyper-parameters and bucket space; default {@link FtrlParams#defaults()}. */
        public Builder params(FtrlParams p) {
            if (p == null) {
                throw new IllegalArgumentException("params must not be null");
            }
            this.params = p;
            return this;
        }

        /** Updates after which a delta is emitted; ≥ 1, default {@value #DEFAULT_EMIT_EVERY}. */
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

        public FtrlLearner build() {
            return new FtrlLearner(this);
        }
    }
}
