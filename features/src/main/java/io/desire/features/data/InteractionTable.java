package io.desire.features.data;

import java.util.Arrays;

/**
 * A compact, column-oriented table of (user, item, rating, timestamp) interactions: user and item
 * are dense indices into shared {@link IdDictionary dictionaries}, ratings are {@code float} and
 * timestamps are epoch milliseconds. Rows keep the order they were read in.
 *
 * <p>Tables derived by {@link #select} (for example the parts of a {@link Split}) share the
 * dictionaries of their source, so an index means the same user or item in every part — a model
 * trained on one part can be evaluated on another without re-mapping ids. The arrays are exposed
 * without copying for speed; treat them as read-only.
 */
public final class InteractionTable {

    private final IdDictionary users;
    private final IdDictionary items;
    private final int[] userIdx;
    private final int[] itemIdx;
    private final float[] ratings;
    private final long[] timestamps;
    private final int size;

    InteractionTable(
            IdDictionary users,
            IdDictionary items,
            int[] userIdx,
            int[] itemIdx,
            float[] ratings,
            long[] timestamps,
            int size) {
        this.users = users;
        this.items = items;
        this.userIdx = userIdx;
        this.itemIdx = itemIdx;
        this.ratings = ratings;
        this.timestamps = timestamps;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder(new IdDictionary(), new IdDictionary());
    }

    /** A builder that adds to existing dictionaries, so indices stay compatible with other tables. */
    public static Builder builder(IdDictionary users, IdDictionary items) {
        return new Builder(users, items);
    }

    public int size() {
        return size;
    }

    public IdDictionary users() {
        return users;
    }

    public IdDictionary items() {
        return items;
    }

    /** Number of users known to the dictionary (may exceed the users present in this table). */
    public int numUsers() {
        return users.size();
    }

    /** Number of items known to the dictionary (may exceed the items present in this table). */
    public int numItems() {
        return items.size();
    }

    public int user(int row) {
        checkRow(row);
        return userIdx[row];
    }

    public int item(int row) {
        checkRow(row);
        return itemIdx[row];
    }

    public float rating(int row) {
        checkRow(row);
        return ratings[row];
    }

    public long timestamp(int row) {
        checkRow(row);
        return timestamps[row];
    }

    /** User index column; length ≥ {@link #size()}, only the first {@code size()} entries are rows. */
    public int[] userColumn() {
        return userIdx;
    }

    /** Item index column; length ≥ {@link #size()}. */
    public int[] itemColumn() {
        return itemIdx;
    }

    /** Rating column; length ≥ {@link #size()}. */
    public float[] ratingColumn() {
        return ratings;
    }

    /** Timestamp column (epoch ms); length ≥ {@link #size()}. */
    public long[] timestampColumn() {
        return timestamps;
    }

    /** A new table holding the given rows, in the given order, sharing this table's dictionaries. */
    public InteractionTable select(int[] rows) {
        int n = rows.length;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int k = 0; k < n; k++) {
            int row = rows[k];
            checkRow(row);
            u[k] = userIdx[row];
            i[k] = itemIdx[row];
            r[k] = ratings[row];
            t[k] = timestamps[row];
        }
        return new InteractionTable(users, items, u, i, r, t, n);
    }

    /**
     * Rows grouped by user: returns {@code [offsets, rows]} where the rows of user {@code u} are
     * {@code rows[offsets[u] .. offsets[u+1])}, in table order. {@code offsets} has {@code
     * numUsers() + 1} entries. A stable counting sort, O(size + numUsers).
     */
    public int[][] rowsByUser() {
        int numUsers = users.size();
        int[] offsets = new int[numUsers + 1];
        for (int k = 0; k < size; k++) {
            offsets[userIdx[k] + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            offsets[u + 1] += offsets[u];
        }
        int[] next = Arrays.copyOf(offsets, numUsers);
        int[] rows = new int[size];
        for (int k = 0; k < size; k++) {
            rows[next[userIdx[k]]++] = k;
        }
        return new int[][] {offsets, rows};
    }

    /** Number of distinct users that have at least one row in this table. */
    public int distinctUsers() {
        return distinct(userIdx, users.size());
    }

    /** Number of distinct items that have at least one row in this table. */
    public int distinctItems() {
        return distinct(itemIdx, items.size());
    }

    private int distinct(int[] column, int universe) {
        boolean[] seen = new boolean[universe];
        int count = 0;
        for (int k = 0; k < size; k++) {
            if (!seen[column[k]]) {
                seen[column[k]] = true;
                count++;
            }
        }
        return count;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " outside [0, " + size + ")");
        }
    }

    @Override
    public String toString() {
        return "InteractionTable{rows=" + size + ", users=" + users.size() + ", items=" + items.size() + "}";
    }

    /** Appends rows; ids are mapped through the builder's dictionaries. Not thread-safe. */
    public static final class Builder {
        private final IdDictionary users;
        private final IdDictionary items;
        private int[] userIdx = new int[1024];
        private int[] itemIdx = new int[1024];
        private float[] ratings = new float[1024];
        private long[] timestamps = new long[1024];
        private int size;

        private Builder(IdDictionary users, IdDictionary items) {
            this.users = users;
            this.items = items;
        }

        public Builder add(String user, String item, float rating, long timestampMillis) {
            return addIndexed(users.indexOrAdd(user), items.indexOrAdd(item), rating, timestampMillis);
        }

        /** Adds a row by indices that must already exist in the builder's dictionaries. */
        public Builder addIndexed(int user, int item, float rating, long timestampMillis) {
            if (user < 0 || user >= users.size() || item < 0 || item >= items.size()) {
                throw new IllegalArgumentException("user " + user + " or item " + item + " is not in the dictionaries");
            }
            if (size == userIdx.length) {
                int capacity = size + (size >> 1);
                userIdx = Arrays.copyOf(userIdx, capacity);
                itemIdx = Arrays.copyOf(itemIdx, capacity);
                ratings = Arrays.copyOf(ratings, capacity);
                timestamps = Arrays.copyOf(timestamps, capacity);
            }
            userIdx[size] = user;
            itemIdx[size] = item;
            ratings[size] = rating;
            timestamps[size] = timestampMillis;
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        /** Builds the table; arrays are trimmed to size. The builder must not be used afterwards. */
        public InteractionTable build() {
            return new InteractionTable(
                    users,
                    items,
                    Arrays.copyOf(userIdx, size),
                    Arrays.copyOf(itemIdx, size),
                    Arrays.copyOf(ratings, size),
                    Arrays.copyOf(timestamps, size),
                    size);
        }
    }
}
