package io.desire.features.ftrl;

import java.io.Serializable;

/**
 * Hyper-parameters of {@link FtrlModel}: the per-coordinate learning-rate schedule (α, β), the L1 and
 * L2 regularisation strengths (λ1, λ2) and the size of the hashed weight space (2^{@code bits}).
 *
 * <p>Immutable and validated on construction. Defaults ({@link #defaults()}): α = {@value #DEFAULT_ALPHA},
 * β = {@value #DEFAULT_BETA}, λ1 = {@value #DEFAULT_L1}, λ2 = {@value #DEFAULT_L2},
 * bits = {@value #DEFAULT_BITS} (1 048 576 buckets, 16 MiB of {@code z} and {@code n}). β = 1 follows
 * McMahan et al. 2013 ("β = 1 is usually good enough"); α = 0.1 and λ1 = λ2 = 1 are common starting points for
 * hashed click-prediction features and should be tuned on validation data.
 * λ1 = 1 means a coordinate stays exactly zero until the net gradient it has seen exceeds 1 in
 * magnitude, which keeps rare crosses (seen once or twice) out of the model.
 *
 * <p>The hyper-parameters are not part of {@link FtrlState}: the state is valid under any α, β, λ1, λ2
 * (weights are derived from {@code z} and {@code n} on demand), so they can be re-tuned across a
 * savepoint. {@code bits} cannot: it fixes the length of the state arrays and the hash-to-bucket map.
 */
public final class FtrlParams implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double DEFAULT_ALPHA = 0.1;
    public static final double DEFAULT_BETA = 1.0;
    public static final double DEFAULT_L1 = 1.0;
    public static final double DEFAULT_L2 = 1.0;
    public static final int DEFAULT_BITS = 20;
    /** Upper bound of {@code bits}: 2^28 buckets are 4 GiB of state, beyond any sensible heap model. */
    public static final int MAX_BITS = 28;

    private final double alpha;
    private final double beta;
    private final double l1;
    private final double l2;
    private final int bits;

    /**
     * @param alpha learning-rate scale α; positive
     * @param beta learning-rate smoothing β; ≥ 0
     * @param l1 L1 strength λ1; ≥ 0
     * @param l2 L2 strength λ2; ≥ 0
     * @param bits log2 of the number of weight buckets; 1 … {@value #MAX_BITS}
     */
    public FtrlParams(double alpha, double beta, double l1, double l2, int bits) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be positive and finite, got " + alpha);
        }
        requireNonNegative("beta", beta);
        requireNonNegative("l1", l1);
        requireNonNegative("l2", l2);
        if (bits < 1 || bits > MAX_BITS) {
            throw new IllegalArgumentException("bits must be in 1.." + MAX_BITS + ", got " + bits);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.l1 = l1;
        this.l2 = l2;
        this.bits = bits;
    }

    /** α = 0.1, β = 1, λ1 = 1, λ2 = 1, 2^20 buckets. */
    public static FtrlParams defaults() {
        return new FtrlParams(DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_L1, DEFAULT_L2, DEFAULT_BITS);
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and ≥ 0, got " + v);
        }
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    public double l1() {
        return l1;
    }

    public double l2() {
        return l2;
    }

    public int bits() {
        return bits;
    }

    /** Number of weight buckets, 2^{@code bits}. */
    public int dimension() {
        return 1 << bits;
    }

    public FtrlParams withAlpha(double a) {
        return new FtrlParams(a, beta, l1, l2, bits);
    }

    public FtrlParams withBeta(double b) {
        return new FtrlParams(alpha, b, l1, l2, bits);
    }

    public FtrlParams withL1(double v) {
        return new FtrlParams(alpha, beta, v, l2, bits);
    }

    public FtrlParams withL2(double v) {
        return new FtrlParams(alpha, beta, l1, v, bits);
    }

    public FtrlParams withBits(int b) {
        return new FtrlParams(alpha, beta, l1, l2, b);
    }

    @Override
    public String toString() {
        return "FtrlParams{alpha=" + alpha + ", beta=" + beta + ", l1=" + l1 + ", l2=" + l2 + ", bits=" + bits + '}';
    }
}
