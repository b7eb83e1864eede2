package io.desire.features.als;

import io.desire.features.data.IdDictionary;

/**
 * A matrix-factorisation model: a rank-k factor vector per user and per item, indexed through id
 * dictionaries, predicting {@code score(u, i) = x_u · y_i} (a rating in explicit mode, a preference
 * strength in implicit mode).
 *
 * <p>Factors are {@code double[][]} — one primitive array per row, the same shape the streaming
 * operators keep in keyed state — and are exposed without copying: callers must not mutate a model
 * another thread reads. A row of all zeros means "no evidence" (e.g. a user with no training
 * interactions); {@link #hasUser}/{@link #hasItem} tell such rows apart.
 */
public final class AlsModel {

    private final IdDictionary users;
    private final IdDictionary items;
    private final int rank;
    private final boolean implicit;
    private final double[][] userFactors;
    private final double[][] itemFactors;

    public AlsModel(
            IdDictionary users,
            IdDictionary items,
            int rank,
            boolean implicit,
            double[][] userFactors,
            double[][] itemFactors) {
        if (userFactors.length < users.size() || itemFactors.length < items.size()) {
            throw new IllegalArgumentException("factor rows (" + userFactors.length + " users, " + itemFactors.length
                    + " items) fewer than dictionary entries (" + users.size() + ", " + items.size() + ")");
        }
        checkRank(userFactors, rank, "user");
        checkRank(itemFactors, rank, "item");
        this.users = users;
        this.items = items;
        this.rank = rank;
        this.implicit = implicit;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
    }

    private static void checkRank(double[][] factors, int rank, String side) {
        for (int r = 0; r < factors.length; r++) {
            if (factors[r] == null || factors[r].length != rank) {
                throw new IllegalArgumentException(side + " factor " + r + " is not of rank " + rank);
            }
        }
    }

    public IdDictionary users() {
        return users;
    }

    public IdDictionary items() {
        return items;
    }

    public int rank() {
        return rank;
    }

    public boolean implicit() {
        return implicit;
    }

    public int numUsers() {
        return userFactors.length;
    }

    public int numItems() {
        return itemFactors.length;
    }

    /** User factor rows, indexed by user index; shared, read only. */
    public double[][] userFactors() {
        return userFactors;
    }

    /** Item factor rows, indexed by item index; shared, read only. */
    public double[][] itemFactors() {
        return itemFactors;
    }

    /** Dot product of user and item factors. */
    public double predict(int user, int item) {
        return dot(userFactors[user], itemFactors[item]);
    }

    /** Prediction by external ids; NaN if either id is unknown to the model. */
    public double predict(String userId, String itemId) {
        int u = users.indexOf(userId);
        int i = items.indexOf(itemId);
        // Dictionaries may have grown after training: ids added since have no factor row.
        if (u < 0 || i < 0 || u >= userFactors.length || i >= itemFactors.length) {
            return Double.NaN;
        }
        return predict(u, i);
    }

    /** True if the user index exists and its factor row is not all zeros. */
    public boolean hasUser(int user) {
        return user >= 0 && user < userFactors.length && !isZero(userFactors[user]);
    }

    /** True if the item index exists and its factor row is not all zeros. */
    public boolean hasItem(int item) {
        return item >= 0 && item < itemFactors.length && !isZero(itemFactors[item]);
    }

    static boolean isZero(double[] v) {
        for (double x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
