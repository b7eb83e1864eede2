package io.desire.operators.ranker;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.FtrlState;
import java.util.Arrays;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The function behind {@link FtrlLearner}: trains one {@link FtrlModel} and emits its changed
 * weights; {@link LearnerOperator} adds the timed, pre-barrier and end-of-input flushes.
 * Package-private so it can only run inside that operator (a plain {@code process(function)} would
 * lose those flushes). State, metrics and emission are documented on {@link FtrlLearner}.
 */
final class FtrlLearnerFunction extends DeltaLearner<FtrlState> {
    private static final long serialVersionUID = 1L;

    private final FtrlParams params;

    private transient FtrlModel model;
    private transient int nonZero;
    private transient double[] zBefore;

    FtrlLearnerFunction(FtrlParams params, int emitEvery, long emitIntervalMillis) {
        super(
                "FTRL",
                FtrlLearner.createStateDescriptor(),
                new String[] {
                    FtrlLearner.VERSION_GAUGE,
                    FtrlLearner.LOG_LOSS_GAUGE,
                    FtrlLearner.DELTAS_METRIC,
                    FtrlLearner.INVALID_METRIC
                },
                emitEvery,
                emitIntervalMillis);
        this.params = params;
    }

    @Override
    void startModel(FtrlState restored) {
        if (restored == null) {
            model = new FtrlModel(params);
        } else {
            try {
                model = new FtrlModel(params, restored);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "restored FTRL state does not fit bits=" + params.bits()
                                + " (bits cannot change across a savepoint): " + e.getMessage(),
                        e);
            }
        }
        zBefore = new double[64];
        nonZero = model.nonZeroWeights();
    }

    @Override
    FtrlState state() {
        return model.state();
    }

    @Override
    int dimension() {
        return params.dimension();
    }

    @Override
    void registerMetrics(MetricGroup metrics) {
        metrics.gauge(FtrlLearner.NON_ZERO_GAUGE, (Gauge<Integer>) this::nonZero);
    }

    /** Updates the model and the count of non-zero weights (tracked per update, not scanned). */
    @Override
    double train(int[] idx, double[] values, int label, double weight) {
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
        double p = model.update(idx, values, label, weight);
        double l1 = params.l1();
        for (int j = 0; j < k; j++) {
            boolean was = Math.abs(zBefore[j]) > l1;
            boolean now = Math.abs(z[idx[j]]) > l1;
            if (was != now) {
                nonZero += now ? 1 : -1;
            }
        }
        return p;
    }

    @Override
    WeightDelta delta(int[] indices, boolean full) {
        double[] weights = new double[indices.length];
        for (int j = 0; j < indices.length; j++) {
            weights[j] = model.weight(indices[j]);
        }
        return new WeightDelta(model.version(), params.dimension(), full, indices, weights);
    }

    /** Every non-zero weight of the model, as a delta that replaces the replicas' weights. */
    @Override
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
        return delta(Arrays.copyOf(indices, count), true);
    }

    @Override
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
