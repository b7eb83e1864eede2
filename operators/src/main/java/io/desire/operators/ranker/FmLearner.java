package io.desire.operators.ranker;

import io.desire.features.fm.FmModel;
import io.desire.features.fm.FmParams;
import io.desire.features.fm.FmState;
import java.time.Duration;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

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
 *
 * <p><b>Wiring:</b> {@link #transform}, as {@link FtrlLearner}: this class is a configuration; the
 * function that trains runs only inside {@link LearnerOperator}.
 */
public final class FmLearner {

    public static final String STATE_NAME = "fm-model";
    public static final String VERSION_GAUGE = "fmVersion";
    public static final String LOG_LOSS_GAUGE = "fmLogLoss";
    public static final String DELTAS_METRIC = "fmDeltasEmitted";
    public static final String INVALID_METRIC = "fmInvalidExamples";
    /** Operator name used by {@link #transform}. */
    public static final String NAME = "fm-learner";

    private final FmParams params;
    private final FmLearnerFunction function;

    private FmLearner(Builder b) {
        this.params = b.params;
        this.function = new FmLearnerFunction(b.params, b.emitEvery, b.emitInterval.toMillis());
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

    /** The operator that runs this learner with its timed, pre-barrier and end-of-input flushes. */
    public LearnerOperator operator() {
        return new LearnerOperator(function);
    }

    public FmParams params() {
        return params;
    }

    /** The model's version (number of updates applied) in this JVM's running operator, for tests. */
    public long version() {
        return function.version();
    }

    /** The live model, for tests in the same JVM. */
    FmModel model() {
        return function.model();
    }

    /** Validated configuration of an {@link FmLearner}; every setter checks its argument at once. */
    public static final class Builder {
        private FmParams params = FmParams.defaults();
        private int emitEvery = FtrlLearner.DEFAULT_EMIT_EVERY;
        private Duration emitInterval = FtrlLearner.DEFAULT_EMIT_INTERVAL;

        private Builder() {}

        /** FM hyper-parameters, bucket space and k; default {@link FmParams#defaults()}. */
        public Builder params(FmParams p) {
            this.params = DeltaLearner.checkParams(p);
            return this;
        }

        /** Updates after which a delta is emitted; ≥ 1, default {@value FtrlLearner#DEFAULT_EMIT_EVERY}. */
        public Builder emitEvery(int updates) {
            this.emitEvery = DeltaLearner.checkEmitEvery(updates);
            return this;
        }

        /** Processing time after which pending changes are emitted; positive, default 1 s. */
        public Builder emitInterval(Duration d) {
            this.emitInterval = DeltaLearner.checkEmitInterval(d);
            return this;
        }

        public FmLearner build() {
            return new FmLearner(this);
        }
    }
}
