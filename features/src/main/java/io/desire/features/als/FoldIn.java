package io.desire.features.als;

import org.apache.flink.ml.linalg.BLAS;
import org.apache.flink.ml.linalg.DenseVector;

/**
 * Online factor updates with the other side held fixed — what the streaming ALS operator applies to
 * one user (or item) when an event arrives. Two schemes:
 *
 * <ul>
 *   <li>{@link #solve Exact fold-in}: the same k×k regularised least-squares solve a batch sweep
 *       does for that row ({@link BatchAls}), from all of the row's interactions. Calling it for
 *       every row is one half-sweep, so online and batch models agree.
 *   <li>{@link #incremental Incremental update} from a single new interaction, as the speed layer of
 *       Oryx 2 does ({@code com.cloudera.oryx.app.als.ALSUtils#computeUpdatedXu}): move the current
 *       estimate {@code q = x·y} towards a target (the rating in explicit mode; in implicit mode part
 *       of the way to 1 for positive evidence or to 0 for negative, by {@code |v| / (1 + |v|)}) and
 *       map that change back through {@code (YᵀY + λI)⁻¹}: {@code x' = x + (YᵀY + λI)⁻¹ · y · (target −
 *       q)}. O(k²) per event with a pre-factored Gram, no history needed.
 * </ul>
 *
 * <p>flink-ml's {@link BLAS} is used only for its methods that need no Flink runtime ({@code norm2},
 * {@code scal}); {@code dot} and {@code axpy} call {@code org.apache.flink.util.Preconditions},
 * which {@code features} deliberately does not ship, so those are written out here.
 *
 * <p>Boundedness: the ridge makes every solve well posed and bounds the answer ({@code ‖x‖ ≤ ‖b‖ /
 * ridge}); on top, results longer than {@code maxNorm} are scaled back to it, so a feedback loop
 * between two drifting sides in a long-running stream cannot grow vectors without limit. Stateless
 * and thread-safe; results are fresh arrays.
 */
public final class FoldIn {

    /** Default cap on a folded-in vector's Euclidean norm; generous for ratings on a 0–5 scale. */
    public static final double DEFAULT_MAX_NORM = 100.0;

    private final AlsParams params;
    private final double maxNorm;

    public FoldIn(AlsParams params) {
        this(params, DEFAULT_MAX_NORM);
    }

    public FoldIn(AlsParams params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        this.params = params;
        this.maxNorm = maxNorm;
    }

    public AlsParams params() {
        return params;
    }

    /**
     * {@code YᵀY} of the fixed side as a row-major k×k matrix with the lower triangle filled — needed
     * by implicit {@link #solve} and by {@link #factorForIncremental}. Recompute it when the fixed
     * side has changed enough to matter; it is O(rows·k²).
     */
    public static double[] gram(double[][] factors, int rank) {
        return NormalEquation.gram(factors, rank);
    }

    /**
     * Exact fold-in of one row from its interactions: {@code others[j]} is the fixed-side vector of
     * the j-th interaction and {@code values[j]} its rating or evidence. {@code gram} is {@link
     * #gram} of the whole fixed side in implicit mode and ignored in explicit mode. Returns zeros for
     * no interactions.
     */
    public double[] solve(double[][] others, double[] values, double[] gram) {
        if (others.length != values.length) {
            throw new IllegalArgumentException(others.length + " vectors but " + values.length + " values");
        }
        int k = params.rank();
        if (params.implicit() && (gram == null || gram.length != k * k)) {
            throw new IllegalArgumentException("implicit fold-in needs the k×k Gram of the fixed side");
        }
        double[] x = new double[k];
        if (others.length == 0) {
            return x;
        }
        NormalEquation ne = new NormalEquation(k);
        ne.reset(params.implicit() ? gram : null);
        for (int j = 0; j < others.length; j++) {
            if (others[j].length != k) {
                throw new IllegalArgumentException("vector " + j + " is not of rank " + k);
            }
            if (params.implicit()) {
                ne.addImplicit(others[j], values[j], params.alpha());
            } else {
                ne.addExplicit(others[j], values[j]);
            }
        }
        ne.solveInto(params.ridge(ne.count), x);
        return clip(x);
    }

    /**
     * Cholesky factor of {@code gram + λI} (plain λ: one event carries no count to weight by), for
     * {@link #incremental}. Returns a new array; {@code gram} is not modified.
     */
    public double[] factorForIncremental(double[] gram) {
        int k = params.rank();
        double[] l = gram.clone();
        // A tiny floor keeps the factor defined when λ = 0 and the fixed side is rank deficient.
        double ridge = Math.max(params.lambda(), 1e-9);
        for (int i = 0; i < k; i++) {
            l[i * k + i] += ridge;
        }
        if (!Cholesky.decompose(l, k)) {
            throw new IllegalArgumentException("Gram matrix plus ridge is not positive definite");
        }
        return l;
    }

    /**
     * Incremental update of {@code x} (null or all zeros for a new row) after one interaction of
     * value {@code value} with the fixed-side vector {@code y}, through the factor from {@link
     * #factorForIncremental}. Returns the new vector, or {@code null} if the event does not move
     * the estimate (implicit evidence that agrees with it already).
     */
    public double[] incremental(double[] x, double[] y, double value, double[] gramFactor) {
        int k = params.rank();
        double[] updated = x == null ? new double[k] : x.clone();
        double current = AlsModel.dot(updated, y);
        double target = target(params.implicit(), value, current);
        if (Double.isNaN(target)) {
            return null;
        }
        // dx = (YᵀY + λI)⁻¹ · y · (target − current)
        double[] dx = y.clone();
        BLAS.scal(target - current, new DenseVector(dx));
        Cholesky.solve(gramFactor, k, dx);
        for (int j = 0; j < k; j++) {
            updated[j] += dx[j];
        }
        return clip(updated);
    }

    /**
     * Target estimate after seeing {@code value} when the current estimate is {@code current}; NaN
     * means "leave as is". Explicit: the rating itself. Implicit (Oryx 2's rule): positive evidence
     * moves a below-1 estimate a share {@code v / (1 + v)} of the way to 1, negative evidence moves
     * an above-0 estimate a share {@code |v| / (1 + |v|)} of the way to 0.
     */
    static double target(boolean implicit, double value, double current) {
        if (!implicit) {
            return value;
        }
        if (value > 0 && current < 1) {
            double gap = 1 - Math.max(0, current);
            return current + (value / (1 + value)) * gap;
        }
        if (value < 0 && current > 0) {
            double gap = -Math.min(1, current);
            return current + (-value / (1 - value)) * gap;
        }
        return Double.NaN;
    }

    private double[] clip(double[] x) {
        DenseVector v = new DenseVector(x);
        double norm = BLAS.norm2(v);
        if (norm > maxNorm) {
            BLAS.scal(maxNorm / norm, v);
        }
        return x;
    }
}
