package io.desire.features.fm;

import io.desire.features.ftrl.FtrlParams;
import java.io.Serializable;

/**
 * Hyper-parameters of {@link FmModel}: FTRL-Proximal settings of the bias and the linear weights
 * (α, β, λ1, λ2 and the bucket space 2^{@code bits}, as {@link FtrlParams}), and AdaGrad settings of
 * the factor vectors: dimension k ({@code factors}), learning rate η ({@code factorAlpha}), smoothing
 * β_v ({@code factorBeta}), L2 strength λ_v ({@code factorL2}), and the scale σ and seed of their
 * deterministic initialisation ({@link FmInit}).
 *
 * <p>Immutable and validated on construction. Defaults ({@link #defaults()}): linear part as
 * {@link FtrlParams#defaults()}; k = {@value #DEFAULT_FACTORS}, η = {@value #DEFAULT_FACTOR_ALPHA},
 * β_v = {@value #DEFAULT_FACTOR_BETA}, λ_v = {@value #DEFAULT_FACTOR_L2}, σ = {@value #DEFAULT_INIT_SCALE}.
 *
 * <p>{@code bits}, {@code factors}, the init seed and scale fix the shape and starting point of
 * {@link FmState} and cannot change across a savepoint; the learning rates and regularisation can.
 */
public final class FmParams implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_FACTORS = 8;
    /** Upper bound of k: beyond 64 factors per bucket the state outgrows any sensible heap. */
    public static final int MAX_FACTORS = 64;

    public static final double DEFAULT_FACTOR_ALPHA = 0.05;
    public static final double DEFAULT_FACTOR_BETA = 1.0;
    public static final double DEFAULT_FACTOR_L2 = 1e-4;
    public static final double DEFAULT_INIT_SCALE = 0.01;
    /** Default seed of the factor initialisation ("fmin" in ASCII). */
    public static final long DEFAULT_INIT_SEED = 0x666d696eL;

    private final FtrlParams linear;
    private final int factors;
    private final double factorAlpha;
    private final double factorBeta;
    private final double factorL2;
    private final double initScale;
    private final long initSeed;

    /**
     * @param linear FTRL-Proximal settings of the bias and linear weights, and the bucket space
     * @param factors k; 1 … {@value #MAX_FACTORS}
     * @param factorAlpha AdaGrad learning rate η of the factors; positive
     * @param factorBeta AdaGrad smoothing β_v; ≥ 0
     * @param factorL2 L2 strength λ_v of the factors; ≥ 0
     * @param initScale σ of the initial factors; finite and ≥ 0 (0 leaves the factors at 0, where they never learn)
     * @param initSeed seed of the initial factors
     */
    public FmParams(
            FtrlParams linear,
            int factors,
            double factorAlpha,
            double factorBeta,
            double factorL2,
            double initScale,
            long initSeed) {
        if (linear == null) {
            throw new IllegalArgumentException("linear (FTRL) params must not be null");
        }
        if (factors < 1 || factors > MAX_FACTORS) {
            throw new IllegalArgumentException("factors must be in 1.." + MAX_FACTORS + ", got " + factors);
        }
        if (!(factorAlpha > 0) || Double.isInfinite(factorAlpha)) {
            throw new IllegalArgumentException("factorAlpha must be positive and finite, got " + factorAlpha);
        }
        requireNonNegative("factorBeta", factorBeta);
        requireNonNegative("factorL2", factorL2);
        requireNonNegative("initScale", initScale);
        long cells = (long) linear.dimension() * factors;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("2^" + linear.bits() + " buckets × " + factors
                    + " factors do not fit one array; lower bits or factors");
        }
        this.linear = linear;
        this.factors = factors;
        this.factorAlpha = factorAlpha;
        this.factorBeta = factorBeta;
        this.factorL2 = factorL2;
        this.initScale = initScale;
        this.initSeed = initSeed;
    }

    /** FTRL defaults for the linear part, k = 8, η = 0.05, β_v = 1, λ_v = 1e-4, σ = 0.01. */
    public static FmParams defaults() {
        return new FmParams(
                FtrlParams.defaults(),
                DEFAULT_FACTORS,
                DEFAULT_FACTOR_ALPHA,
                DEFAULT_FACTOR_BETA,
                DEFAULT_FACTOR_L2,
                DEFAULT_INIT_SCALE,
                DEFAULT_INIT_SEED);
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and ≥ 0, got " + v);
        }
    }

    public FtrlParams linear() {
        return linear;
    }

    public int bits() {
        return linear.bits();
    }

    /** Number of buckets, 2^{@code bits}. */
    public int dimension() {
        return linear.dimension();
    }

    public int factors() {
        return factors;
    }

    public double factorAlpha() {
        return factorAlpha;
    }

    public double factorBeta() {
        return factorBeta;
    }

    public double factorL2() {
        return factorL2;
    }

    public double initScale() {
        return initScale;
    }

    public long initSeed() {
        return initSeed;
    }

    public FmParams withLinear(FtrlParams p) {
        return new FmParams(p, factors, factorAlpha, factorBeta, factorL2, initScale, initSeed);
    }

    public FmParams withBits(int bits) {
        return withLinear(linear.withBits(bits));
    }

    public FmParams withFactors(int k) {
        return new FmParams(linear, k, factorAlpha, factorBeta, factorL2, initScale, initSeed);
    }

    public FmParams withFactorAlpha(double a) {
        return new FmParams(linear, factors, a, factorBeta, factorL2, initScale, initSeed);
    }

    public FmParams withFactorL2(double l2) {
        return new FmParams(linear, factors, factorAlpha, factorBeta, l2, initScale, initSeed);
    }

    public FmParams withInit(double scale, long seed) {
        return new FmParams(linear, factors, factorAlpha, factorBeta, factorL2, scale, seed);
    }

    @Override
    public String toString() {
        return "FmParams{linear=" + linear + ", factors=" + factors + ", factorAlpha=" + factorAlpha + ", factorBeta="
                + factorBeta + ", factorL2=" + factorL2 + ", initScale=" + initScale + ", initSeed=" + initSeed + '}';
    }
}
