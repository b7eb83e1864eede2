package io.desire.features.als;

/**
 * Dense Cholesky factorisation and solve for small symmetric positive-definite k×k systems, the
 * kernel of every ALS least-squares step. Matrices are row-major {@code double[k*k]}; only the
 * lower triangle (including the diagonal) is read, and the factor {@code L} (with {@code A = L·Lᵀ})
 * overwrites it in place, so a solve allocates nothing.
 *
 * <p>Hand-written rather than delegated to a BLAS/LAPACK binding: at ALS ranks (k ≈ 10–200) the
 * O(k³/6) factorisation is dwarfed by call overhead of a general routine, and keeping it here keeps
 * {@code features} free of native code.
 */
public final class Cholesky {

    private Cholesky() {}

    /**
     * Factorises {@code a} in place: afterwards its lower triangle holds {@code L}. The strict upper
     * triangle is left untouched.
     *
     * @return false if {@code a} is not (numerically) positive definite; {@code a} is then
     *     partially overwritten and must not be used
     */
    public static boolean decompose(double[] a, int k) {
        for (int j = 0; j < k; j++) {
            int rowJ = j * k;
            double d = a[rowJ + j];
            for (int p = 0; p < j; p++) {
                double l = a[rowJ + p];
                d -= l * l;
            }
            if (!(d > 0)) {
                return false;
            }
            double ljj = Math.sqrt(d);
            a[rowJ + j] = ljj;
            double inv = 1.0 / ljj;
            for (int i = j + 1; i < k; i++) {
                int rowI = i * k;
                double s = a[rowI + j];
                for (int p = 0; p < j; p++) {
                    s -= a[rowI + p] * a[rowJ + p];
                }
                a[rowI + j] = s * inv;
            }
        }
        return true;
    }

    /**
     * Solves {@code L·Lᵀ·x = b} in place ({@code b} becomes {@code x}) with the factor produced by
     * {@link #decompose}.
     */
    public static void solve(double[] l, int k, double[] b) {
        // forward: L·y = b
        for (int i = 0; i < k; i++) {
            int rowI = i * k;
            double s = b[i];
            for (int p = 0; p < i; p++) {
                s -= l[rowI + p] * b[p];
            }
            b[i] = s / l[rowI + i];
        }
        // backward: Lᵀ·x = y
        for (int i = k - 1; i >= 0; i--) {
            double s = b[i];
            for (int p = i + 1; p < k; p++) {
                s -= l[p * k + i] * b[p];
            }
            b[i] = s / l[i * k + i];
        }
    }

    /**
     * Convenience for tests and one-off solves: returns {@code x} with {@code A·x = b} without
     * touching the arguments.
     *
     * @throws IllegalArgumentException if {@code A} is not square, mismatched, or not positive
     *     definite
     */
    public static double[] solve(double[][] a, double[] b) {
        int k = b.length;
        if (a.length != k) {
            throw new IllegalArgumentException("A is " + a.length + " rows, b has " + k);
        }
        double[] flat = new double[k * k];
        for (int i = 0; i < k; i++) {
            if (a[i].length != k) {
                throw new IllegalArgumentException("A is not square at row " + i);
            }
            System.arraycopy(a[i], 0, flat, i * k, k);
        }
        if (!decompose(flat, k)) {
            throw new IllegalArgumentException("A is not positive definite");
        }
        double[] x = b.clone();
        solve(flat, k, x);
        return x;
    }
}
