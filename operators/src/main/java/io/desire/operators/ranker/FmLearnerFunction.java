package io.desire.operators.ranker;

import io.desire.features.fm.FmModel;
import io.desire.features.fm.FmParams;
import io.desire.features.fm.FmState;
import java.util.Arrays;

/**
 * The function behind {@link FmLearner}: trains one {@link FmModel} and emits what it changed;
 * {@link LearnerOperator} adds the timed, pre-barrier and end-of-input flushes. Package-private so it
 * can only run inside that operator (a plain {@code process(function)} would lose those flushes).
 * State, metrics and emission are documented on {@link FmLearner}.
 */
final class FmLearnerFunction extends DeltaLearner<FmState> {
    private static final long serialVersionUID = 1L;

    private final FmParams params;

    private transient FmModel model;

    FmLearnerFunction(FmParams params, int emitEvery, long emitIntervalMillis) {
        super(
                "FM",
                FmLearner.createStateDescriptor(),
                new String[] {
                    FmLearner.VERSION_GAUGE, FmLearner.LOG_LOSS_GAUGE, FmLearner.DELTAS_METRIC, FmLearner.INVALID_METRIC
                },
                emitEvery,
                emitIntervalMillis);
        this.params = params;
    }

    @Override
    void startModel(FmState restored) {
        if (restored == null) {
            model = new FmModel(params);
            return;
        }
        try {
            model = new FmModel(params, restored);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "restored FM state does not fit bits=" + params.bits() + ", factors=" + params.factors()
                            + " (neither can change across a savepoint): " + e.getMessage(),
                    e);
        }
    }

    @Override
    FmState state() {
        return model.state();
    }

    @Override
    int dimension() {
        return params.dimension();
    }

    @Override
    double train(int[] indices, double[] values, int label, double weight) {
        return model.update(indices, values, label, weight);
    }

    /** Every bucket that differs from its untrained value, as a delta that replaces the replicas' model. */
    @Override
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

    @Override
    WeightDelta delta(int[] indices, boolean full) {
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
    long version() {
        return model.version();
    }

    /** The live model, for tests in the same JVM. */
    FmModel model() {
        return model;
    }
}
