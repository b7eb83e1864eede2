package io.desire.features.als;

import io.desire.features.data.InteractionTable;

/**
 * A sparse users × items matrix held twice, in compressed sparse row form by user and by item, so
 * both ALS half-sweeps read their row's interactions contiguously. Within a row, entries are
 * sorted by column index. Repeated (user, item) pairs are merged by the {@link Duplicates} policy
 * given when building, so every cell holds at most one value.
 *
 * <p>Immutable once built; safe to share between threads.
 */
public final class RatingMatrix {

    /** How repeated (user, item) pairs are merged into one cell. */
    public enum Duplicates {
        /** Sum the values: natural for implicit evidence (two views are more than one). */
        SUM,
        /** Average the values: a user who re-rated twice is taken at their mean. */
        MEAN,
        /** Keep the value seen last in input order: the latest rating wins. */
        LAST
    }

    private final int numUsers;
    private final int numItems;
    private final int[] userPtr;
    private final int[] userCols;
    private final float[] userVals;
    private final int[] itemPtr;
    private final int[] itemRows;
    private final float[] itemVals;

    private RatingMatrix(
            int numUsers,
            int numItems,
            int[] userPtr,
            int[] userCols,
            float[] userVals,
            int[] itemPtr,
            int[] itemRows,
            float[] itemVals) {
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.userPtr = userPtr;
        this.userCols = userCols;
        this.userVals = userVals;
        this.itemPtr = itemPtr;
        this.itemRows = itemRows;
        this.itemVals = itemVals;
    }

    /**
     * Builds the matrix of a table's rows, sized by its dictionaries (users or items present in the
     * dictionaries but not in the table get empty rows).
     */
    public static RatingMatrix fromTable(InteractionTable table, Duplicates duplicates) {
        return of(
                table.numUsers(),
                table.numItems(),
                table.userColumn(),
                table.itemColumn(),
                table.ratingColumn(),
                table.size(),
                duplicates);
    }

    /**
     * Builds the matrix of the first {@code n} triples. O(n + users + items): two stable counting
     * sorts, no comparison sort.
     */
    public static RatingMatrix of(
            int numUsers, int numItems, int[] users, int[] items, float[] values, int n, Duplicates duplicates) {
        if (n > users.length || n > items.length || n > values.length) {
            throw new IllegalArgumentException("n=" + n + " exceeds the given arrays");
        }
        for (int k = 0; k < n; k++) {
            if (users[k] < 0 || users[k] >= numUsers || items[k] < 0 || items[k] >= numItems) {
                throw new IllegalArgumentException(
                        "entry " + k + " (" + users[k] + ", " + items[k] + ") outside " + numUsers + "×" + numItems);
            }
        }
        // Stable sort by item, then stable sort by user: order is (user, item, input position).
        int[] byItem = countingSort(items, n, numItems, identity(n));
        int[] byUserItem = countingSort(users, n, numUsers, byItem);

        // Merge duplicates into cells.
        int[] cellUser = new int[n];
        int[] cellItem = new int[n];
        float[] cellVal = new float[n];
        int cells = 0;
        int k = 0;
        while (k < n) {
            int e = byUserItem[k];
            int u = users[e];
            int i = items[e];
            double sum = values[e];
            float last = values[e];
            int count = 1;
            int m = k + 1;
            while (m < n && users[byUserItem[m]] == u && items[byUserItem[m]] == i) {
                float v = values[byUserItem[m]];
                sum += v;
                last = v;
                count++;
                m++;
            }
            cellUser[cells] = u;
            cellItem[cells] = i;
            cellVal[cells] = switch (duplicates) {
                case SUM -> (float) sum;
                case MEAN -> (float) (sum / count);
                case LAST -> last;
            };
            cells++;
            k = m;
        }

        int[] userPtr = new int[numUsers + 1];
        int[] userCols = new int[cells];
        float[] userVals = new float[cells];
        for (int c = 0; c < cells; c++) {
            userPtr[cellUser[c] + 1]++;
            userCols[c] = cellItem[c];
            userVals[c] = cellVal[c];
        }
        prefixSum(userPtr);

        // Transpose: cells are sorted by user, so a stable counting sort by item keeps users sorted.
        int[] itemPtr = new int[numItems + 1];
        for (int c = 0; c < cells; c++) {
            itemPtr[cellItem[c] + 1]++;
        }
        prefixSum(itemPtr);
        int[] next = new int[numItems];
        System.arraycopy(itemPtr, 0, next, 0, numItems);
        int[] itemRows = new int[cells];
        float[] itemVals = new float[cells];
        for (int c = 0; c < cells; c++) {
            int slot = next[cellItem[c]]++;
            itemRows[slot] = cellUser[c];
            itemVals[slot] = cellVal[c];
        }
        return new RatingMatrix(numUsers, numItems, userPtr, userCols, userVals, itemPtr, itemRows, itemVals);
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        return order;
    }

    /** Stable counting sort of {@code order} by {@code key[order[.]]}. */
    private static int[] countingSort(int[] key, int n, int range, int[] order) {
        int[] start = new int[range + 1];
        for (int k = 0; k < n; k++) {
            start[key[k] + 1]++;
        }
        prefixSum(start);
        int[] sorted = new int[n];
        for (int k = 0; k < n; k++) {
            int e = order[k];
            sorted[start[key[e]]++] = e;
        }
        return sorted;
    }

    private static void prefixSum(int[] a) {
        for (int k = 1; k < a.length; k++) {
            a[k] += a[k - 1];
        }
    }

    public int numUsers() {
        return numUsers;
    }

    public int numItems() {
        return numItems;
    }

    /** Number of non-empty cells. */
    public int nnz() {
        return userCols.length;
    }

    /** Number of items user {@code u} interacted with. */
    public int userCount(int u) {
        return userPtr[u + 1] - userPtr[u];
    }

    /** Number of users who interacted with item {@code i}. */
    public int itemCount(int i) {
        return itemPtr[i + 1] - itemPtr[i];
    }

    /**
     * CSR by user: the items of user {@code u} are {@code userCols()[userPtr()[u] .. userPtr()[u+1])}
     * (ascending) with values in {@code userVals()} at the same positions. Arrays are shared, read
     * only.
     */
    public int[] userPtr() {
        return userPtr;
    }

    public int[] userCols() {
        return userCols;
    }

    public float[] userVals() {
        return userVals;
    }

    /** CSR by item: the users of item {@code i}, ascending, as for {@link #userPtr()}. */
    public int[] itemPtr() {
        return itemPtr;
    }

    public int[] itemRows() {
        return itemRows;
    }

    public float[] itemVals() {
        return itemVals;
    }

    /** True if user {@code u} has a cell for item {@code i} (binary search in the user's row). */
    public boolean contains(int u, int i) {
        return java.util.Arrays.binarySearch(userCols, userPtr[u], userPtr[u + 1], i) >= 0;
    }
}
