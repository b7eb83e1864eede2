package io.desire.eval;

import java.util.Arrays;
import java.util.function.IntPredicate;

/** For every user, the distinct items of a set of rows, sorted ascending: "what the user has seen". */
final class UserItems {

    private final int[][] items;

    private UserItems(int[][] items) {
        this.items = items;
    }

    /** The distinct items of each user over {@code rows} for which {@code keep} holds (null: all). */
    static UserItems of(History h, int[] rows, IntPredicate keep) {
        int users = h.numUsers();
        int[] counts = new int[users];
        for (int r : rows) {
            if (keep == null || keep.test(r)) {
                counts[h.user(r)]++;
            }
        }
        int[][] items = new int[users][];
        for (int u = 0; u < users; u++) {
            items[u] = new int[counts[u]];
        }
        int[] fill = new int[users];
        for (int r : rows) {
            if (keep == null || keep.test(r)) {
                int u = h.user(r);
                items[u][fill[u]++] = h.item(r);
            }
        }
        for (int u = 0; u < users; u++) {
            items[u] = distinctSorted(items[u]);
        }
        return new UserItems(items);
    }

    static int[] distinctSorted(int[] values) {
        int[] copy = values.clone();
        Arrays.sort(copy);
        int m = 0;
        for (int j = 0; j < copy.length; j++) {
            if (m == 0 || copy[j] != copy[m - 1]) {
                copy[m++] = copy[j];
            }
        }
        return m == copy.length ? copy : Arrays.copyOf(copy, m);
    }

    int numUsers() {
        return items.length;
    }

    /** The user's items, ascending; shared, read only. */
    int[] of(int user) {
        return user < items.length ? items[user] : new int[0];
    }

    int count(int user) {
        return user < items.length ? items[user].length : 0;
    }

    boolean contains(int user, int item) {
        return user < items.length && Arrays.binarySearch(items[user], item) >= 0;
    }

    /** Items that at least one user has, as a membership array over {@code numItems} items. */
    boolean[] anyUser(int numItems) {
        boolean[] in = new boolean[numItems];
        for (int[] row : items) {
            for (int i : row) {
                in[i] = true;
            }
        }
        return in;
    }
}
