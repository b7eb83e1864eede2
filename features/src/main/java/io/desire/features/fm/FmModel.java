package io.desire.features.fm;

import io.desire.features.ftrl.ExampleChecks;
import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.HashedFeatures;

/**
 * Online second-order factorisation machine with logistic loss: S. Rendle, "Factorization Machines",
 * ICDM 2010. Every pair of active features interacts through the dot product of their k-dimensional
 * factor vectors, so the model learns crosses (context × item, user × category, …) that were never
 * spelled out as features, which logistic regression over the same features cannot express.
 *
 * <p>For an example with active coordinates {@code I}, margin m ({@link FmScorer}) and p = σ(m), the
 * gradient of the weighted logistic loss {@code c·log(1 + exp(−(2y−1)·m))} with respect to the margin is
 * {@code g = c·(p − y)}, and
 * <pre>
 *   ∂m/∂w0 = 1,   ∂m/∂w_i = x_i,   ∂m/∂v_{i,f} = x_i·(s_f − v_{i,f}·x_i),   s_f = Σ_{j∈I} v_{j,f}·x_j
 * </pre>
 * (Rendle 2010, eq. 4). Learning rates are per coordinate, as in large-scale click prediction:
 * <ul>
 *   <li>bias and linear weights: FTRL-Proximal (H. B. McMahan et al., "Ad Click Prediction: a View
 *       from the Trenches", KDD 2013, Algorithm 1) with the α, β, λ1, λ2 of {@link FmParams#linear()},
 *       exactly as {@link FtrlModel}; the bias is not regularised;</li>
 *   <li>factors: AdaGrad with L2, {@code G = g·∂m/∂v + λ_v·v;  vn += G²;  v −= η·G / (β_v + √vn)},
 *       the per-coordinate adaptive step used for online FMs and field-aware FMs (Y. Juan et al.,
 *       "Field-aware Factorization Machines in a Real-world Online Advertising System", WWW 2017;
 *       Juan et al., "Field-aware Factorization Machines for CTR Prediction", RecSys 2016).</li>
 * </ul>
 * All gradients of an example are taken at the parameters before the example (one SGD step), and the
 * factors start from {@link FmInit}: zero factors would have zero gradient for ever.
 *
 * <p><b>Guarantees.</b> {@link #update} returns the prediction made before learning from the example
 * (progressive validation) and increments the {@linkplain #version() version} by one; nothing else
 * changes the state. The margin is clipped to ±{@value FtrlModel#MAX_MARGIN} before the sigmoid.
 * Scoring costs O(k·nnz). Given the same state and examples in the same order, results are
 * bit-for-bit identical on every JVM. Linear weights whose |z| ≤ λ1 are exactly 0.
 *
 * <p><b>Input contract</b> as {@link FtrlModel}: indices strictly ascending in [0, 2^bits), values
 * finite; violations throw {@link IllegalArgumentException} before any state changes.
 *
 * <p>Not thread-safe. The {@link FmState} it wraps is updated in place; {@link #state()} returns it
 * for checkpointing.
 */
public final class FmModel {
    private final FmParams params;
    private final FmState state;
    private final FmScorer scorer;
    private double[] scratchW = new double[64];

    /** A model with untrained state of the shape of {@code params}. */
    public FmModel(FmParams params) {
        this(params, FmState.create(params));
    }

    /**
     * A model continuing from {@code state} (e.g. restored from a checkpoint).
     *
     * @throws IllegalArgumentException when the state's shape differs from {@code params}
     */
    public FmModel(FmParams params, FmState state) {
        if (params == null
                || state == null
                || state.z == null
                || state.n == null
                || state.v == null
                || state.vn == null) {
            throw new IllegalArgumentException("params and a complete state are required");
        }
        int d = params.dimension();
        int k = params.factors();
        if (state.z.length != d
                || state.n.length != d
                || state.factors != k
                || state.v.length != (long) d * k
                || state.vn.length != state.v.length) {
            throw new IllegalArgumentException("state has " + state.z.length + " buckets × " + state.factors
                    + " factors but params expect " + d + " × " + k);
        }
        if (state.version < 0) {
            throw new IllegalArgumentException("state version must be ≥ 0, got " + state.version);
        }
        this.params = params;
        this.state = state;
        this.scorer = new FmScorer(k);
    }

    public FmParams params() {
        return params;
    }

    /** The live state (not a copy): what a checkpoint must store. */
    public FmState state() {
        return state;
    }

    /** Number of updates applied; only grows. */
    public long version() {
        return state.version;
    }

    /** The margin of an example, without learning. */
    public double margin(int[] indices, double[] values) {
        validate(indices, values);
        return marginUnchecked(indices, values);
    }

    /** Probability that the label is 1, without learning. */
    public double predict(int[] indices, double[] values) {
        return FtrlModel.sigmoid(margin(indices, values));
    }

    public double predict(HashedFeatures x) {
        return predict(x.indices, x.values);
    }

    /** Learns from one example with importance weight 1; returns the prediction before the update. */
    public double update(HashedFeatures x, int label) {
        return update(x.indices, x.values, label, 1.0);
    }

    /**
     * Learns from one example whose loss counts {@code weight} times (e.g. 1/r for negatives kept with
     * probability r).
     *
     * @param label 0 or 1
     * @param weight importance weight; positive and finite
     * @return the prediction before the update
     */
    public double update(int[] indices, double[] values, int label, double weight) {
        validate(indices, values);
        ExampleChecks.labelAndWeight(label, weight);
        double p = FtrlModel.sigmoid(marginUnchecked(indices, values));
        double g = weight * (p - label);
        FtrlParams lin = params.linear();
        double alpha = lin.alpha();

        // bias: FTRL-Proximal without regularisation
        double w0 = bias();
        double n0 = state.biasN + g * g;
        state.biasZ += g - (Math.sqrt(n0) - Math.sqrt(state.biasN)) / alpha * w0;
        state.biasN = n0;

        double[] w = scratchW; // linear weights of the active buckets before the update (from marginUnchecked)
        double[] z = state.z;
        double[] n = state.n;
        double[] v = state.v;
        double[] vn = state.vn;
        int k = state.factors;
        double eta = params.factorAlpha();
        double betaV = params.factorBeta();
        double l2v = params.factorL2();
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            double x = values[j];
            double gi = g * x;
            double nOld = n[i];
            double nNew = nOld + gi * gi;
            z[i] += gi - (Math.sqrt(nNew) - Math.sqrt(nOld)) / alpha * w[j];
            n[i] = nNew;
            int base = i * k;
            for (int f = 0; f < k; f++) {
                double vif = v[base + f];
                double grad = gi * (scorer.sum(f) - vif * x) + l2v * vif;
                double acc = vn[base + f] + grad * grad;
                vn[base + f] = acc;
                v[base + f] = vif - eta * grad / (betaV + Math.sqrt(acc));
            }
        }
        state.version++;
        return p;
    }

    /** The current bias w0. */
    public double bias() {
        return -state.biasZ
                / ((params.linear().beta() + Math.sqrt(state.biasN))
                        / params.linear().alpha());
    }

    /** The current linear weight of bucket {@code index} (0.0 exactly while |z| ≤ λ1). */
    public double weight(int index) {
        FtrlParams lin = params.linear();
        double zi = state.z[index];
        if (Math.abs(zi) <= lin.l1()) {
            return 0.0;
        }
        double shrunk = zi - Math.copySign(lin.l1(), zi);
        return -shrunk / ((lin.beta() + Math.sqrt(state.n[index])) / lin.alpha() + lin.l2());
    }

    /** Factor {@code f} of bucket {@code index}. */
    public double factor(int index, int f) {
        return state.v[index * state.factors + f];
    }

    private double marginUnchecked(int[] indices, double[] values) {
        int nnz = indices.length;
        if (scratchW.length < nnz) {
            scratchW = new double[Math.max(nnz, scratchW.length * 2)];
        }
        for (int j = 0; j < nnz; j++) {
            scratchW[j] = weight(indices[j]);
        }
        return scorer.margin(bias(), scratchW, state.v, indices, values);
    }

    private void validate(int[] indices, double[] values) {
        ExampleChecks.features(indices, values, state.z.length);
    }
}
