package io.desire.features.profile;

import java.io.Serializable;
import java.time.Duration;

/**
 * How a {@link DecayedScores} forgets: a half-life and a capacity.
 *
 * <p>A score that received weight {@code w} at time {@code t0} is worth {@code w·2^(−(t−t0)/halfLife)}
 * at time {@code t}. Immutable and serializable, so operators can carry it as configuration; it is
 * never part of state (changing the half-life applies to existing state from then on).
 */
public final class DecayPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default half-life: 7 days. */
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(7);

    private final long halfLifeMillis;
    private final int maxEntries;

    /**
     * @param halfLife time after which a score is worth half; positive, at least 1 ms
     * @param maxEntries how many keys are kept; the smallest decayed value is evicted beyond it; ≥ 1
     */
    public DecayPolicy(Duration halfLife, int maxEntries) {
        if (halfLife == null || halfLife.toMillis() < 1) {
            throw new IllegalArgumentException("halfLife must be at least 1 ms, got " + halfLife);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be ≥ 1, got " + maxEntries);
        }
        this.halfLifeMillis = halfLife.toMillis();
        this.maxEntries = maxEntries;
    }

    public long halfLifeMillis() {
        return halfLifeMillis;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /**
     * The factor {@code 2^(−elapsed/halfLife)} a value shrinks by over {@code elapsedMillis} (≥ 0).
     * Exact for whole multiples of the half-life (one half-life gives exactly 0.5).
     */
    public double factor(long elapsedMillis) {
        if (elapsedMillis <= 0) {
            return 1.0;
        }
        return Math.pow(2.0, -((double) elapsedMillis / halfLifeMillis));
    }

    @Override
    public String toString() {
        return "DecayPolicy{halfLife=" + Duration.ofMillis(halfLifeMillis) + ", maxEntries=" + maxEntries + '}';
    }
}
