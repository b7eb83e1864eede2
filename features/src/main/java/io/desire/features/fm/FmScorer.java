package io.desire.features.fm;

/**
 * The margin of a second-order factorisation machine (Rendle 2010, eq. 1) over a sparse example,
 * computed in O(k·nnz) with Rendle's reformulation (lemma 3.1):
 * <pre>
 *   m = w0 + Σ_i w_i·x_i + ½ Σ_f [ (Σ_i v_{i,f}·x_i)² − Σ_i v_{i,f}²·x_i² ]
 * </pre>
 * The one implementation shared by the learner ({@link FmModel}) and the serving replica, so both
 * give bit-for-bit the same score from the same weights (same operations in the same order).
 *
 * <p>Not thread-safe: an instance keeps the per-factor sums {@code s_f = Σ_i v_{i,f}·x_i} of the last
 * call, which {@link FmModel} reuses for the gradient.
 */
public final class FmScorer {
    private final int factors;
    private final double[] sums;

    public FmScorer(int factors) {
        if (factors < 1) {
            throw new IllegalArgumentException("factors must be ≥ 1, got " + factors);
        }
        this.factors = factors;
        this.sums = new double[factors];
    }

    /**
     * @param bias w0
     * @param linear the linear weight of each active feature, parallel to {@code indices}
     * @param v factor vectors of all buckets, bucket-major
     * @param indices active buckets
     * @param values their values
     * @return the margin m
     */
    public double margin(double bias, double[] linear, double[] v, int[] indices, double[] values) {
        int k = factors;
        double m = bias;
        int nnz = indices.length;
        for (int j = 0; j < nnz; j++) {
            m += linear[j] * values[j];
        }
        double pair = 0.0;
        for (int f = 0; f < k; f++) {
            double s = 0.0;
            double sq = 0.0;
            for (int j = 0; j < nnz; j++) {
                double t = v[indices[j] * k + f] * values[j];
                s += t;
                sq += t * t;
            }
            sums[f] = s;
            pair += s * s - sq;
        }
        return m + 0.5 * pair;
    }

    /** s_f = Σ_i v_{i,f}·x_i of the last {@link #margin} call. */
    double sum(int f) {
        return sums[f];
    }

    public int factors() {
        return factors;
    }
}
