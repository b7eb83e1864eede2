package io.desire.features.ftrl;

/**
 * Online logistic regression trained by FTRL-Proximal with per-coordinate learning rates, L1 and L2
 * regularisation: Algorithm 1 of H. B. McMahan et al., "Ad Click Prediction: a View from the
 * Trenches", KDD 2013.
 *
 * <p>For an example with active coordinates {@code I} (non-zero feature values {@code x_i}), with the
 * hyper-parameters α, β, λ1, λ2 of {@link FtrlParams}:
 * <pre>
 *   w_i = 0                                                   if |z_i| ≤ λ1
 *   w_i = −(z_i − sgn(z_i)·λ1) / ((β + √n_i)/α + λ2)          otherwise
 *   p   = σ(Σ_{i∈I} w_i·x_i)
 *   g_i = c·(p − y)·x_i                                        (c: importance weight, 1 by default)
 *   σ_i = (√(n_i + g_i²) − √n_i) / α
 *   z_i ← z_i + g_i − σ_i·w_i ;   n_i ← n_i + g_i²
 * </pre>
 * The gradient is that of the weighted binary logistic loss {@code c·log(1 + exp(−(2y−1)·m))}, the
 * same loss and gradient as flink-ml's {@code BinaryLogisticLoss}; it is written out here over the
 * active coordinates only, because flink-ml's loss takes dense feature vectors (wrapping each example
 * would cost allocations per update) and its vector code needs {@code flink-core} on the classpath,
 * which this module deliberately does not have. {@code FtrlModelFlinkMlTest} in the operators module
 * checks both against each other.
 *
 * <p><b>Guarantees.</b> Weights of coordinates whose |z| ≤ λ1 are exactly {@code 0.0} (L1 sparsity).
 * {@link #update} returns the prediction made before learning from the example (progressive
 * validation, as in the paper), and increments the {@linkplain #version() version} by one; nothing
 * else changes the state. The margin is clipped to ±{@value #MAX_MARGIN} before the sigmoid so
 * predictions stay strictly inside (0, 1). Given the same state and the same examples in the same
 * order, results are bit-for-bit identical on every JVM (IEEE arithmetic, {@code sqrt} and
 * {@link StrictMath#exp}).
 *
 * <p><b>Input contract.</b> Feature indices are bucket numbers in {@code [0, 2^bits)}, strictly
 * ascending (hence distinct); values are finite. {@link RankingFeatures} and {@link HashedFeatures}
 * produce exactly that. Violations throw {@link IllegalArgumentException} before any state changes.
 *
 * <p>Not thread-safe (one instance per operator subtask, as Flink calls it from one thread). The
 * {@link FtrlState} it wraps is updated in place; {@link #state()} returns it for checkpointing.
 */
public final class FtrlModel {
    /** Margin clip, as in the paper's reference implementations: σ(35) is 1 − 6e−16. */
    public static final double MAX_MARGIN = 35.0;

    private final FtrlParams params;
    private final FtrlState state;
    private double[] scratchW = new double[64];

    /** A model with untrained state of the dimension of {@code params}. */
    public FtrlModel(FtrlParams params) {
        this(params, FtrlState.create(params.bits()));
    }

    /**
     * A model continuing from {@code state} (e.g. restored from a checkpoint).
     *
     * @throws IllegalArgumentException when the state's dimension differs from 2^{@code params.bits()}
     */
    public FtrlModel(FtrlParams params, FtrlState state) {
        if (params == null || state == null || state.z == null || state.n == null) {
            throw new IllegalArgumentException("params and a complete state are required");
        }
        if (state.z.length != params.dimension() || state.n.length != params.dimension()) {
            throw new IllegalArgumentException("state has " + state.z.length + "/" + state.n.length
                    + " buckets but params expect " + params.dimension());
        }
        if (state.version < 0) {
            throw new IllegalArgumentException("state version must be ≥ 0, got " + state.version);
        }
        this.params = params;
        this.state = state;
    }

    public FtrlParams params() {
        return params;
    }

    /** The live state (not a copy): what a checkpoint must store. */
    public FtrlState state() {
        return state;
    }

    /** Number of updates applied; only grows. */
    public long version() {
        return state.version;
    }

    /** Probability that the label is 1, without learning. */
    public double predict(int[] indices, double[] values) {
        validate(indices, values);
        double m = 0.0;
        for (int k = 0; k < indices.length; k++) {
            m += weight(indices[k]) * values[k];
        }
        return sigmoid(m);
    }

    public double predict(HashedFeatures x) {
        return predict(x.indices, x.values);
    }

    /**
     * Learns from one example with importance weight 1.
     *
     * @param label 0 or 1
     * @return the prediction before the update
     */
    public double update(int[] indices, double[] values, int label) {
        return update(indices, values, label, 1.0);
    }

    public double update(HashedFeatures x, int label) {
        return update(x.indices, x.values, label, 1.0);
    }

    /**
     * Learns from one example whose loss counts {@code weight} times, e.g. 1/r for negatives kept with
     * probability r when subsampling (McMahan et al. 2013, §6.1), so predictions stay calibrated.
     *
     * @param label 0 or 1
     * @param weight importance weight; positive and finite
     * @return the prediction before the update
     */
    public double update(int[] indices, double[] values, int label, double weight) {
        validate(indices, values);
        ExampleChecks.labelAndWeight(label, weight);
        int k = indices.length;
        if (scratchW.length < k) {
            scratchW = new double[Math.max(k, scratchW.length * 2)];
        }
        double[] w = scratchW;
        double m = 0.0;
        for (int j = 0; j < k; j++) {
            w[j] = weight(indices[j]);
            m += w[j] * values[j];
        }
        double p = sigmoid(m);
        double residual = weight * (p - label);
        double alpha = params.alpha();
        double[] z = state.z;
        double[] n = state.n;
        for (int j = 0; j < k; j++) {
            int i = indices[j];
            double g = residual * values[j];
            double nOld = n[i];
            double nNew = nOld + g * g;
            double sigma = (Math.sqrt(nNew) - Math.sqrt(nOld)) / alpha;
            z[i] += g - sigma * w[j];
            n[i] = nNew;
        }
        state.version++;
        return p;
    }

    /** The current weight of bucket {@code index} (0.0 exactly while |z| ≤ λ1). */
    public double weight(int index) {
        double zi = state.z[index];
        double l1 = params.l1();
        if (Math.abs(zi) <= l1) {
            return 0.0;
        }
        double shrunk = zi - Math.copySign(l1, zi);
        return -shrunk / ((params.beta() + Math.sqrt(state.n[index])) / params.alpha() + params.l2());
    }

    /** Number of buckets with a non-zero weight; scans the whole space (2^bits), so for metrics only. */
    public int nonZeroWeights() {
        int count = 0;
        double l1 = params.l1();
        for (double zi : state.z) {
            if (Math.abs(zi) > l1) {
                count++;
            }
        }
        return count;
    }

    /** σ(m) with m clipped to ±{@value #MAX_MARGIN}. */
    public static double sigmoid(double margin) {
        double m = Math.max(-MAX_MARGIN, Math.min(MAX_MARGIN, margin));
        // StrictMath: the same bits on every JVM and CPU, so replays rebuild identical state
        return 1.0 / (1.0 + StrictMath.exp(-m));
    }

    /** Log-loss of predicting {@code p} for {@code label} (0 or 1), with p clipped to [1e−15, 1 − 1e−15]. */
    public static double logLoss(double p, int label) {
        double q = Math.max(1e-15, Math.min(1 - 1e-15, p));
        return label == 1 ? -Math.log(q) : -Math.log(1 - q);
    }

    private void validate(int[] indices, double[] values) {
        ExampleChecks.features(indices, values, state.z.length);
    }
}
