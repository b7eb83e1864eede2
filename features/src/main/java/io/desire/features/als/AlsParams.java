package io.desire.features.als;

/**
 * Hyper-parameters of {@link BatchAls} and {@link FoldIn}, validated on construction.
 *
 * <ul>
 *   <li>{@code rank} k: factor dimension.
 *   <li>{@code lambda}: L2 regularisation. With {@code weightedLambda} (the default, Zhou et al.
 *       2008, as Spark MLlib does in both modes) the penalty of a row is {@code lambda · n}, n its
 *       number of interactions (implicit: positive ones), which keeps the best λ stable across data
 *       set sizes; without it the penalty is plain {@code lambda}.
 *   <li>{@code implicit}: Hu, Koren, Volinsky 2008 — the value r of an interaction is evidence, not
 *       a rating: confidence {@code c = 1 + alpha·|r|}, preference {@code p = 1 if r > 0 else 0}.
 *   <li>{@code iterations}: full alternating sweeps (items, then users).
 *   <li>{@code threads}: worker threads for a sweep; rows are independent given the other side, so
 *       the result does not depend on it.
 *   <li>{@code seed}: initial factors; same seed, same data → same model.
 * </ul>
 */
public record AlsParams(
        int rank,
        double lambda,
        boolean weightedLambda,
        boolean implicit,
        double alpha,
        int iterations,
        int threads,
        long seed) {

    public static final int DEFAULT_RANK = 10;
    public static final double DEFAULT_LAMBDA = 0.1;
    public static final double DEFAULT_ALPHA = 1.0;
    public static final int DEFAULT_ITERATIONS = 10;
    public static final long DEFAULT_SEED = 42L;

    public AlsParams {
        if (rank < 1 || rank > 1024) {
            throw new IllegalArgumentException("rank must be in [1, 1024], got " + rank);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and ≥ 0, got " + lambda);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite and ≥ 0, got " + alpha);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be ≥ 0, got " + iterations);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
    }

    /** Explicit ratings, rank 10, λ 0.1 weighted, 10 iterations, all available cores, seed 42. */
    public static AlsParams defaults() {
        return new AlsParams(
                DEFAULT_RANK,
                DEFAULT_LAMBDA,
                true,
                false,
                DEFAULT_ALPHA,
                DEFAULT_ITERATIONS,
                Runtime.getRuntime().availableProcessors(),
                DEFAULT_SEED);
    }

    public AlsParams withRank(int value) {
        return new AlsParams(value, lambda, weightedLambda, implicit, alpha, iterations, threads, seed);
    }

    public AlsParams withLambda(double value) {
        return new AlsParams(rank, value, weightedLambda, implicit, alpha, iterations, threads, seed);
    }

    public AlsParams withWeightedLambda(boolean value) {
        return new AlsParams(rank, lambda, value, implicit, alpha, iterations, threads, seed);
    }

    /** Implicit mode with the given confidence scale {@code alpha}. */
    public AlsParams withImplicit(double alphaValue) {
        return new AlsParams(rank, lambda, weightedLambda, true, alphaValue, iterations, threads, seed);
    }

    public AlsParams withExplicit() {
        return new AlsParams(rank, lambda, weightedLambda, false, alpha, iterations, threads, seed);
    }

    public AlsParams withIterations(int value) {
        return new AlsParams(rank, lambda, weightedLambda, implicit, alpha, value, threads, seed);
    }

    public AlsParams withThreads(int value) {
        return new AlsParams(rank, lambda, weightedLambda, implicit, alpha, iterations, value, seed);
    }

    public AlsParams withSeed(long value) {
        return new AlsParams(rank, lambda, weightedLambda, implicit, alpha, iterations, threads, value);
    }

    /** The ridge added to the diagonal for a row with {@code count} (positive) interactions. */
    public double ridge(int count) {
        return weightedLambda ? lambda * count : lambda;
    }
}
