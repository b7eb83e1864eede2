package io.desire.features.als;

/**
 * Scratch space for one row's regularised least-squares problem {@code (A + ridge·I)·x = b}, reused
 * across rows so the sweep's inner loop allocates nothing. Only the lower triangle of {@code A} is
 * accumulated, which is all {@link Cholesky} reads, halving the rank-1 update cost.
 *
 * <p>Explicit (ratings): {@code A = Σ y·yᵀ}, {@code b = Σ r·y}. Implicit (Hu, Koren, Volinsky
 * 2008): {@code A = YᵀY + Σ (c − 1)·y·yᵀ}, {@code b = Σ c·p·y} with {@code c = 1 + α|r|} and {@code p =
 * [r > 0]} — the full-catalogue term {@code YᵀY} is precomputed once per sweep and only the user's
 * own items add a correction, so a row costs O(n_u·k²) instead of O(|items|·k²). Not thread-safe:
 * one instance per worker.
 */
final class NormalEquation {

    final int k;
    final double[] a;
    final double[] b;
    /** Interactions that count towards weighted λ: all (explicit) or positive ones (implicit). */
    int count;

    NormalEquation(int k) {
        this.k = k;
        this.a = new double[k * k];
        this.b = new double[k];
    }

    /** Starts a new row: {@code A = gram} (implicit) or 0 (explicit, {@code gram == null}). */
    void reset(double[] gram) {
        if (gram == null) {
            java.util.Arrays.fill(a, 0);
        } else {
            System.arraycopy(gram, 0, a, 0, a.length);
        }
        java.util.Arrays.fill(b, 0);
        count = 0;
    }

    void addExplicit(double[] y, double rating) {
        rankOneLower(y, 1.0);
        for (int i = 0; i < k; i++) {
            b[i] += rating * y[i];
        }
        count++;
    }

    void addImplicit(double[] y, double value, double alpha) {
        double c1 = alpha * Math.abs(value); // c − 1
        if (c1 != 0) {
            rankOneLower(y, c1);
        }
        if (value > 0) {
            double cp = 1 + c1; // c · p with p = 1
            for (int i = 0; i < k; i++) {
                b[i] += cp * y[i];
            }
            count++;
        }
    }

    private void rankOneLower(double[] y, double w) {
        for (int i = 0; i < k; i++) {
            double wy = w * y[i];
            int row = i * k;
            for (int j = 0; j <= i; j++) {
                a[row + j] += wy * y[j];
            }
        }
    }

    /**
     * Solves into {@code out}. Leaves {@code out} all zero and returns false if the system is
     * singular (e.g. a row with no interactions and no ridge), which is the least-norm answer for a
     * row with no evidence.
     */
    boolean solveInto(double ridge, double[] out) {
        for (int i = 0; i < k; i++) {
            a[i * k + i] += ridge;
        }
        if (!Cholesky.decompose(a, k)) {
            java.util.Arrays.fill(out, 0, k, 0);
            return false;
        }
        Cholesky.solve(a, k, b);
        System.arraycopy(b, 0, out, 0, k);
        return true;
    }

    /** {@code YᵀY} of the given factor rows (lower triangle filled; upper left 0). */
    static double[] gram(double[][] factors, int k) {
        double[] g = new double[k * k];
        for (double[] y : factors) {
            for (int i = 0; i < k; i++) {
                double yi = y[i];
                if (yi == 0) {
                    continue;
                }
                int row = i * k;
                for (int j = 0; j <= i; j++) {
                    g[row + j] += yi * y[j];
                }
            }
        }
        return g;
    }
}
