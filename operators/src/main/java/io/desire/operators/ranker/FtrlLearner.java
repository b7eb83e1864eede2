package io.desire.operators.ranker;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.FtrlState;
import java.time.Duration;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

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
 * <p><b>Wiring:</b> {@link #transform} (or {@code transform(name, type, learner.operator())} with
 * parallelism 1). This class is a configuration, not a function: the function that trains is
 * package-private and runs only inside {@link LearnerOperator}, so the timed, pre-barrier and
 * end-of-input flushes cannot be lost by a plain {@code process(...)}. Its output goes to the ranker as a broadcast stream with {@link RankerWeights#createDescriptor()}.
 * Invalid examples (indices not strictly ascending in range, non-finite values, labels other than 0/1,
 * non-positive weights) are skipped and counted in {@value #INVALID_METRIC}. Metrics: gauges
 * {@value #VERSION_GAUGE}, {@value #NON_ZERO_GAUGE} (tracked per update, not scanned),
 * {@value #LOG_LOSS_GAUGE} (progressive validation log-loss, exponentially weighted over ~1000 updates);
 * counters {@value #DELTAS_METRIC}, {@value #INVALID_METRIC}.
 */
public final class FtrlLearner {

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

    private final FtrlParams params;
    private final FtrlLearnerFunction function;

    private FtrlLearner(Builder b) {
        this.params = b.params;
        this.function = new FtrlLearnerFunction(b.params, b.emitEvery, b.emitInterval.toMillis());
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

    /** The operator that runs this learner with its timed, pre-barrier and end-of-input flushes. */
    public LearnerOperator operator() {
        return new LearnerOperator(function);
    }

    public FtrlParams params() {
        return params;
    }

    /** The model's version (number of updates applied) in this JVM's running operator, for tests. */
    public long version() {
        return function.version();
    }

    /** Number of buckets with a non-zero weight, maintained per update, for tests. */
    public int nonZero() {
        return function.nonZero();
    }

    /** The live model, for tests and evaluation in the same JVM. */
    FtrlModel model() {
        return function.model();
    }

    /** Validated configuration of an {@link FtrlLearner}; every setter checks its argument at once. */
    public static final class Builder {
        private FtrlParams params = FtrlParams.defaults();
        private int emitEvery = DEFAULT_EMIT_EVERY;
        private Duration emitInterval = DEFAULT_EMIT_INTERVAL;

        private Builder() {}

        /** FTRL hyper-parameters and bucket space; default {@link FtrlParams#defaults()}. */
        public Builder params(FtrlParams p) {
            this.params = DeltaLearner.checkParams(p);
            return this;
        }

        /** Updates after which a delta is emitted; ≥ 1, default {@value #DEFAULT_EMIT_EVERY}. */
        public Builder emitEvery(int updates) {
            this.emitEvery = DeltaLearner.checkEmitEvery(updates);
            return this;
        }

        /** Processing time after which pending changes are emitted; positive, default 1 s. */
        public Builder emitInterval(Duration d) {
            this.emitInterval = DeltaLearner.checkEmitInterval(d);
            return this;
        }

        public FtrlLearner build() {
            return new FtrlLearner(this);
        }
    }
}
