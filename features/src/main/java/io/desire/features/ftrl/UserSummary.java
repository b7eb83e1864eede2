package io.desire.features.ftrl;

import io.desire.features.profile.DecayedScores;
import io.desire.features.profile.UserProfile;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The part of a {@link UserProfile} the ranker's features use: the segment and the user's categories
 * with their share of the user's total category affinity, strongest first.
 *
 * <p>Shares are computed from the profile's decayed category scores as of their common instant. All
 * categories decay with the same half-life, so shares do not change with the passage of time alone
 * and the summary can be computed once per profile change rather than per request. Ties in affinity
 * are broken by category name, so the order is deterministic. Immutable.
 */
public final class UserSummary {
    private static final String[] NONE = new String[0];
    private static final UserSummary ANONYMOUS = new UserSummary(null, NONE, new double[0]);

    private final String segment;
    private final String[] categories;
    private final double[] shares;

    /**
     * @param segment declared segment, or {@code null}
     * @param categories categories, strongest first; no {@code null}s
     * @param shares share of each category in [0, 1], parallel to {@code categories}
     */
    public UserSummary(String segment, String[] categories, double[] shares) {
        if (categories == null || shares == null || categories.length != shares.length) {
            throw new IllegalArgumentException("categories and shares must be parallel arrays");
        }
        this.segment = segment;
        this.categories = categories.clone();
        this.shares = shares.clone();
    }

    /** No profile (a cold-start user): no segment, no categories. */
    public static UserSummary anonymous() {
        return ANONYMOUS;
    }

    /** Summarises {@code profile}; a {@code null} profile is {@link #anonymous()}. */
    public static UserSummary of(UserProfile profile) {
        if (profile == null) {
            return ANONYMOUS;
        }
        DecayedScores c = profile.categories;
        int size = c == null ? 0 : c.size();
        double total = 0.0;
        for (int k = 0; k < size; k++) {
            total += Math.max(0.0, c.values[k]);
        }
        Integer[] order = new Integer[size];
        for (int k = 0; k < size; k++) {
            order[k] = k;
        }
        Arrays.sort(
                order, Comparator.<Integer>comparingDouble(k -> -c.values[k]).thenComparing(k -> c.keys[k]));
        String[] cats = new String[size];
        double[] shares = new double[size];
        for (int r = 0; r < size; r++) {
            cats[r] = c.keys[order[r]];
            shares[r] = total > 0 ? Math.max(0.0, c.values[order[r]]) / total : 0.0;
        }
        return new UserSummary(profile.segment, cats, shares);
    }

    public String segment() {
        return segment;
    }

    /** Number of categories. */
    public int categoryCount() {
        return categories.length;
    }

    /** The {@code rank}-th strongest category (0 = strongest). */
    public String category(int rank) {
        return categories[rank];
    }

    /** Share of {@code category} in the user's category affinity, 0 when absent or {@code null}. */
    public double share(String category) {
        if (category == null) {
            return 0.0;
        }
        for (int k = 0; k < categories.length; k++) {
            if (categories[k].equals(category)) {
                return shares[k];
            }
        }
        return 0.0;
    }
}
