package io.desire.features.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The split algorithms on bare columns — a user index and a timestamp per row — so that every
 * caller (the {@link InteractionTable} splits of {@link Splits}, the evaluation's row splits)
 * assigns rows by the same code. Each method returns one part per row: {@link #TRAIN}, {@link
 * #VALIDATION} or {@link #TEST}. Deterministic for the same rows in the same order.
 */
public final class SplitParts {
    public static final byte TRAIN = 0;
    public static final byte VALIDATION = 1;
    public static final byte TEST = 2;

    private SplitParts() {}

    /**
     * Random per user: of a user with {@code n} rows, {@code round(n·testFraction)} go to test and
     * {@code round(n·validationFraction)} to validation, both reduced so that at least one row stays
     * in train (test gives way last). One generator per user, from (seed, user index), so a user's
     * split does not depend on other users' rows.
     */
    public static byte[] randomPerUser(
            int[] userOfRow, int numUsers, double validationFraction, double testFraction, long seed) {
        checkFractions(validationFraction, testFraction);
        byte[] part = new byte[userOfRow.length];
        int[][] byUser = rowsByUser(userOfRow, numUsers);
        for (int u = 0; u < numUsers; u++) {
            int[] mine = byUser[u].clone();
            int n = mine.length;
            if (n == 0) {
                continue;
            }
            SplittableRandom random = new SplittableRandom(mix(seed, u));
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = mine[i];
                mine[i] = mine[j];
                mine[j] = t;
            }
            int nTest = Math.min((int) Math.round(n * testFraction), n - 1);
            int nValidation = Math.min((int) Math.round(n * validationFraction), n - 1 - nTest);
            for (int i = 0; i < nTest; i++) {
                part[mine[i]] = TEST;
            }
            for (int i = nTest; i < nTest + nValidation; i++) {
                part[mine[i]] = VALIDATION;
            }
        }
        return part;
    }

    /**
     * The instants of a global time cut at the timestamp quantiles {@code 1 − validation − test}
     * and {@code 1 − test}: {@code {validationFrom, testFrom}}, {@link Long#MAX_VALUE} for an empty part.
     */
    public static long[] globalTimeInstants(long[] tsOfRow, double validationFraction, double testFraction) {
        checkFractions(validationFraction, testFraction);
        long[] sorted = Arrays.copyOf(tsOfRow, tsOfRow.length);
        Arrays.sort(sorted);
        return new long[] {quantile(sorted, 1 - validationFraction - testFraction), quantile(sorted, 1 - testFraction)};
    }

    /** Global time cut: {@code ts < validationFrom} train, then validation, {@code ts ≥ testFrom} test. */
    public static byte[] globalTime(long[] tsOfRow, long validationFromMillis, long testFromMillis) {
        if (testFromMillis < validationFromMillis) {
            throw new IllegalArgumentException(
                    "test must start no earlier than validation: " + validationFromMillis + " > " + testFromMillis);
        }
        byte[] part = new byte[tsOfRow.length];
        for (int r = 0; r < tsOfRow.length; r++) {
            long ts = tsOfRow[r];
            part[r] = ts >= testFromMillis ? TEST : ts >= validationFromMillis ? VALIDATION : TRAIN;
        }
        return part;
    }

    /** Row numbers per part: {@code {train, validation, test}}, each in row order. */
    public static int[][] rowsOf(byte[] part) {
        int[] counts = new int[3];
        for (byte p : part) {
            counts[p]++;
        }
        int[][] rows = {new int[counts[0]], new int[counts[1]], new int[counts[2]]};
        int[] fill = new int[3];
        for (int r = 0; r < part.length; r++) {
            rows[part[r]][fill[part[r]]++] = r;
        }
        return rows;
    }

    static void checkFractions(double validation, double test) {
        if (!(validation >= 0) || !(test >= 0) || validation + test >= 1) {
            throw new IllegalArgumentException(
                    "fractions must be ≥ 0 and sum to < 1, got validation=" + validation + " test=" + test);
        }
    }

    private static int[][] rowsByUser(int[] userOfRow, int numUsers) {
        int[] counts = new int[numUsers];
        for (int u : userOfRow) {
            counts[u]++;
        }
        int[][] rows = new int[numUsers][];
        for (int u = 0; u < numUsers; u++) {
            rows[u] = new int[counts[u]];
        }
        int[] fill = new int[numUsers];
        for (int r = 0; r < userOfRow.length; r++) {
            rows[userOfRow[r]][fill[userOfRow[r]]++] = r;
        }
        return rows;
    }

    private static long quantile(long[] sorted, double q) {
        if (sorted.length == 0 || q >= 1) {
            return Long.MAX_VALUE; // empty part above the cut
        }
        return sorted[Math.min((int) Math.floor(q * sorted.length), sorted.length - 1)];
    }

    /** A per-user seed from (seed, user index): SplitMix64's finaliser. */
    public static long mix(long seed, int user) {
        long z = seed * 0x9E3779B97F4A7C15L + user;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
