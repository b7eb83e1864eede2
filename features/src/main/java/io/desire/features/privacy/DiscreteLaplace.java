package io.desire.features.privacy;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Integer noise with {@code P(X = x) ∝ exp(−|x|/b)} (the discrete Laplace, or two-sided geometric,
 * distribution): mean 0, symmetric, variance {@code 2·e^{−1/b}/(1−e^{−1/b})²} (≈ 2b² for large b).
 * Sampled as the difference of two geometric variables with success probability {@code 1 − e^{−1/b}}
 * (Ghosh, Roughgarden, Sundararajan 2009; integer-valued, so it avoids the floating-point leaks of
 * continuous Laplace noise described by Mironov 2012).
 *
 * <p>The default source is {@link SecureRandom}; tests may pass a seeded {@link Random}. Not
 * thread-safe when the source is not.
 */
public final class DiscreteLaplace {
    private final Random random;

    /** Noise from a fresh {@link SecureRandom}. */
    public DiscreteLaplace() {
        this(new SecureRandom());
    }

    public DiscreteLaplace(Random random) {
        if (random == null) {
            throw new IllegalArgumentException("random must not be null");
        }
        this.random = random;
    }

    /** One sample of scale {@code b > 0}. */
    public long sample(double b) {
        if (!(b > 0) || Double.isInfinite(b)) {
            throw new IllegalArgumentException("noise scale must be positive and finite, got " + b);
        }
        double logQ = -1.0 / b; // ln of the failure probability q = e^{-1/b}
        return geometric(logQ) - geometric(logQ);
    }

    /** Failures before the first success, P(G = g) = (1 − q)·q^g, by inversion. */
    private long geometric(double logQ) {
        double u = random.nextDouble();
        while (u == 0.0) {
            u = random.nextDouble();
        }
        return (long) Math.floor(Math.log(u) / logQ);
    }
}
