package io.desire.features.profile;

import java.io.Serializable;
import java.time.Duration;

/**
 * Configuration of {@link UserProfile} updates: decay half-life, bounds, event weights and the weight
 * of a declared interest. Immutable and serializable; never stored in state.
 *
 * <p>Defaults: half-life 7 days, 100 item affinities, 30 category affinities, last 20 items, 100
 * purchased items, a declared interest counts like an add-to-cart (4), {@link EventWeights} defaults.
 */
public final class ProfilePolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_ITEMS = 100;
    public static final int DEFAULT_MAX_CATEGORIES = 30;
    public static final int DEFAULT_RECENT_ITEMS = 20;
    public static final int DEFAULT_MAX_PURCHASED = 100;
    public static final double DEFAULT_INTEREST_WEIGHT = 4.0;

    private final Duration halfLife;
    private final int maxItems;
    private final int maxCategories;
    private final int recentItems;
    private final int maxPurchased;
    private final double interestWeight;
    private final EventWeights weights;
    private final DecayPolicy itemDecay;
    private final DecayPolicy categoryDecay;

    /** The documented defaults. */
    public ProfilePolicy() {
        this(
                DecayPolicy.DEFAULT_HALF_LIFE,
                DEFAULT_MAX_ITEMS,
                DEFAULT_MAX_CATEGORIES,
                DEFAULT_RECENT_ITEMS,
                DEFAULT_MAX_PURCHASED,
                DEFAULT_INTEREST_WEIGHT,
                new EventWeights());
    }

    private ProfilePolicy(
            Duration halfLife,
            int maxItems,
            int maxCategories,
            int recentItems,
            int maxPurchased,
            double interestWeight,
            EventWeights weights) {
        if (recentItems < 0) {
            throw new IllegalArgumentException("recentItems must be ≥ 0, got " + recentItems);
        }
        if (maxPurchased < 0) {
            throw new IllegalArgumentException("maxPurchased must be ≥ 0, got " + maxPurchased);
        }
        if (!(interestWeight >= 0) || Double.isInfinite(interestWeight)) {
            throw new IllegalArgumentException("interestWeight must be finite and ≥ 0, got " + interestWeight);
        }
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        this.halfLife = halfLife;
        this.maxItems = maxItems;
        this.maxCategories = maxCategories;
        this.recentItems = recentItems;
        this.maxPurchased = maxPurchased;
        this.interestWeight = interestWeight;
        this.weights = weights;
        this.itemDecay = new DecayPolicy(halfLife, maxItems);
        this.categoryDecay = new DecayPolicy(halfLife, maxCategories);
    }

    public ProfilePolicy withHalfLife(Duration d) {
        return new ProfilePolicy(d, maxItems, maxCategories, recentItems, maxPurchased, interestWeight, weights);
    }

    public ProfilePolicy withMaxItems(int n) {
        return new ProfilePolicy(halfLife, n, maxCategories, recentItems, maxPurchased, interestWeight, weights);
    }

    public ProfilePolicy withMaxCategories(int n) {
        return new ProfilePolicy(halfLife, maxItems, n, recentItems, maxPurchased, interestWeight, weights);
    }

    public ProfilePolicy withRecentItems(int n) {
        return new ProfilePolicy(halfLife, maxItems, maxCategories, n, maxPurchased, interestWeight, weights);
    }

    public ProfilePolicy withMaxPurchased(int n) {
        return new ProfilePolicy(halfLife, maxItems, maxCategories, recentItems, n, interestWeight, weights);
    }

    public ProfilePolicy withInterestWeight(double w) {
        return new ProfilePolicy(halfLife, maxItems, maxCategories, recentItems, maxPurchased, w, weights);
    }

    public ProfilePolicy withWeights(EventWeights w) {
        return new ProfilePolicy(halfLife, maxItems, maxCategories, recentItems, maxPurchased, interestWeight, w);
    }

    public Duration halfLife() {
        return halfLife;
    }

    public int recentItems() {
        return recentItems;
    }

    public int maxPurchased() {
        return maxPurchased;
    }

    public double interestWeight() {
        return interestWeight;
    }

    public EventWeights weights() {
        return weights;
    }

    public DecayPolicy itemDecay() {
        return itemDecay;
    }

    public DecayPolicy categoryDecay() {
        return categoryDecay;
    }
}
