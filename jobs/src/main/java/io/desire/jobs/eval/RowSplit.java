package io.desire.jobs.eval;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A train / validation / test partition of a {@link History} by row number, so each part can still
 * see its rows' context. The two schemes assign rows exactly as {@link
 * io.desire.features.data.Splits#randomPerUser} and {@link
 * io.desire.features.data.Splits#globalTime(io.desire.features.data.InteractionTable, double,
 * double)} do (a test checks the parts are the same tables); those return tables, which lose the
 * row numbers this evaluation needs.
 *
 * @param scheme {@code random} or {@code chronological}
 */
record RowSplit(int[] train, int[] validation, int[] test, String scheme, String description) {

    private static final byte TRAIN = 0;
    private static final byte VALIDATION = 1;
    private static final byte TEST = 2;

    /**
     * Random per user: of a user's n rows, {@code round(n·test)} go to test and {@code
     * round(n·validation)} to validation, reduced so at least one stays in train.
     */
    static RowSplit randomPerUser(History h, double validationFraction, double testFraction, long seed) {
        checkFractions(validationFraction, testFraction);
        byte[] part = new byte[h.size()];
        int[][] byUser = rowsByUser(h);
        for (int u = 0; u < byUser.length; u++) {
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
        return assemble(part, "random", String.format(Locale.ROOT,
                "random per user (validation=%.2f, test=%.2f, seed=%d; ≥1 row per user in train)",
                validationFraction, testFraction, seed));
    }

    /**
     * Chronological global cut at the timestamp quantiles {@code 1 − validation − test} and {@code 1 −
     * test}: earlier rows train, then validation, the latest rows test. Never trains on the future;
     * users first seen after a cut have nothing in train.
     */
    static RowSplit chronological(History h, double validationFraction, double testFraction) {
        checkFractions(validationFraction, testFraction);
        int n = h.size();
        long[] sorted = new long[n];
        for (int r = 0; r < n; r++) {
            sorted[r] = h.ts(r);
        }
        Arrays.sort(sorted);
        long validationFrom = quantile(sorted, 1 - validationFraction - testFraction);
        long testFrom = quantile(sorted, 1 - testFraction);
        byte[] part = new byte[n];
        for (int r = 0; r < n; r++) {
            long ts = h.ts(r);
            part[r] = ts >= testFrom ? TEST : ts >= validationFrom ? VALIDATION : TRAIN;
        }
        return assemble(part, "chronological", String.format(Locale.ROOT,
                "chronological global time cut (validation from %s, test from %s)",
                instant(validationFrom), instant(testFrom)));
    }

    /**
     * Carves a validation part out of {@code rows} (e.g. the training part of a served evaluation) the
     * way the split was made: the latest {@code fraction} of them by time ({@code chronological}), or
     * per user at random, seeded, at least one row per user left. Returns {@code {rest, validation}}.
     */
    static int[][] carve(History h, int[] rows, double fraction, boolean chronological, long seed) {
        if (!(fraction > 0) || fraction >= 1) {
            throw new IllegalArgumentException("fraction must be in (0, 1), got " + fraction);
        }
        boolean[] held = new boolean[h.size()];
        if (chronological) {
            int[] byTime = h.byTime(rows);
            for (int i = byTime.length - (int) Math.round(byTime.length * fraction); i < byTime.length; i++) {
                held[byTime[i]] = true;
            }
        } else {
            java.util.Map<Integer, java.util.List<Integer>> byUser = new java.util.TreeMap<>();
            for (int r : rows) {
                byUser.computeIfAbsent(h.user(r), x -> new java.util.ArrayList<>()).add(r);
            }
            byUser.forEach((u, mine) -> {
                SplittableRandom random = new SplittableRandom(mix(seed ^ 0x76616c69L, u));
                int n = mine.size();
                for (int i = n - 1; i > 0; i--) {
                    java.util.Collections.swap(mine, i, random.nextInt(i + 1));
                }
                for (int i = 0; i < Math.min((int) Math.round(n * fraction), n - 1); i++) {
                    held[mine.get(i)] = true;
                }
            });
        }
        int[] validation = Arrays.stream(rows).filter(r -> held[r]).toArray();
        int[] rest = Arrays.stream(rows).filter(r -> !held[r]).toArray();
        return new int[][] {rest, validation};
    }

    private static String instant(long millis) {
        return millis == Long.MAX_VALUE ? "never" : java.time.Instant.ofEpochMilli(millis).toString();
    }

    private static void checkFractions(double validation, double test) {
        if (!(validation >= 0) || !(test > 0) || validation + test >= 1) {
            throw new IllegalArgumentException("fractions must be validation ≥ 0, test > 0, validation + test < 1;"
                    + " got validation=" + validation + " test=" + test);
        }
    }

    private static long quantile(long[] sorted, double q) {
        if (sorted.length == 0 || q >= 1) {
            return Long.MAX_VALUE;
        }
        return sorted[Math.min((int) Math.floor(q * sorted.length), sorted.length - 1)];
    }

    /** Row numbers of each user, in row order. */
    static int[][] rowsByUser(History h) {
        int[] counts = new int[h.numUsers()];
        for (int r = 0; r < h.size(); r++) {
            counts[h.user(r)]++;
        }
        int[][] rows = new int[h.numUsers()][];
        for (int u = 0; u < rows.length; u++) {
            rows[u] = new int[counts[u]];
        }
        int[] fill = new int[h.numUsers()];
        for (int r = 0; r < h.size(); r++) {
            int u = h.user(r);
            rows[u][fill[u]++] = r;
        }
        return rows;
    }

    private static RowSplit assemble(byte[] part, String scheme, String description) {
        int[] counts = new int[3];
        for (byte p : part) {
            counts[p]++;
        }
        int[][] rows = {new int[counts[0]], new int[counts[1]], new int[counts[2]]};
        int[] fill = new int[3];
        for (int r = 0; r < part.length; r++) {
            rows[part[r]][fill[part[r]]++] = r;
        }
        return new RowSplit(rows[0], rows[1], rows[2], scheme, description);
    }

    /** The same seed mix as {@code Splits}, so both give every user the same shuffle. */
    private static long mix(long seed, int user) {
        long z = seed * 0x9E3779B97F4A7C15L + user;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
