package io.desire.features.privacy;

import java.io.Serializable;

/**
 * The differential-privacy budget of one published window list and what follows from it.
 *
 * <p>Each user contributes to at most {@code k} items of a window list, each by 1 (a count of
 * distinct users), so adding or removing a user changes at most {@code k} counts by 1. The budget
 * ε is split in two halves: ε/2 to decide which items are published (noisy count compared with a
 * threshold), ε/2 for the published counts (fresh, independent noise), each with discrete Laplace
 * noise of scale {@code b = 2k/ε}. An item only this user holds (count 1) is published with
 * probability {@code ½·exp(−(τ−1)/b)}; the threshold τ = {@code 1 + b·ln(k/(2δ))} makes that at most
 * δ/k per item, δ over the user's k items. The result is (ε, δ)-differential privacy per window list
 * with respect to adding or removing one user (Laplace partition selection; Korolova et al. 2009,
 * Wilson et al. 2020, "Differentially Private SQL with Bounded User Contribution").
 *
 * <p>With ε = 1, δ = 1e-5, k = 1: b = 2, τ ≈ 22.6 distinct users.
 */
public final class DpParams implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double DEFAULT_EPSILON = 1.0;
    public static final double DEFAULT_DELTA = 1e-5;
    public static final int DEFAULT_MAX_CONTRIBUTIONS = 1;

    private final double epsilon;
    private final double delta;
    private final int maxContributions;

    /**
     * @param epsilon the budget of one window list, in (0, 100]
     * @param delta the probability bound of publishing an item only few users hold, in (0, 0.1]
     * @param maxContributions k, the items a user counts in per window list, in [1, 1000]
     */
    public DpParams(double epsilon, double delta, int maxContributions) {
        if (!(epsilon > 0 && epsilon <= 100)) {
            throw new IllegalArgumentException("privacy.dp.epsilon must be in (0, 100], got " + epsilon);
        }
        if (!(delta > 0 && delta <= 0.1)) {
            throw new IllegalArgumentException("privacy.dp.delta must be in (0, 0.1], got " + delta);
        }
        if (maxContributions < 1 || maxContributions > 1000) {
            throw new IllegalArgumentException(
                    "privacy.dp.max-contributions must be in [1, 1000], got " + maxContributions);
        }
        this.epsilon = epsilon;
        this.delta = delta;
        this.maxContributions = maxContributions;
    }

    public double epsilon() {
        return epsilon;
    }

    public double delta() {
        return delta;
    }

    /** k: the items one user counts in per window list. */
    public int maxContributions() {
        return maxContributions;
    }

    /** b = 2k/ε, the scale of each of the two noises (selection, release). */
    public double noiseScale() {
        return 2.0 * maxContributions / epsilon;
    }

    /** τ = 1 + b·ln(k/(2δ)): the noisy distinct-user count an item needs to be published. */
    public double threshold() {
        return 1.0 + noiseScale() * Math.log(maxContributions / (2.0 * delta));
    }

    @Override
    public String toString() {
        return String.format(
                "DpParams{epsilon=%s, delta=%s, k=%d, scale=%.3f, threshold=%.2f}",
                epsilon, delta, maxContributions, noiseScale(), threshold());
    }
}
