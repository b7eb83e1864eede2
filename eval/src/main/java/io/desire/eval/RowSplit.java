package io.desire.eval;

import io.desire.features.data.SplitParts;
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

    /**
     * Random per user: of a user's n rows, {@code round(n·test)} go to test and {@code
     * round(n·validation)} to validation, reduced so at least one stays in train.
     */
    static RowSplit randomPerUser(History h, double validationFraction, double testFraction, long seed) {
        checkFractions(validationFraction, testFraction);
        int[] users = new int[h.size()];
        for (int r = 0; r < users.length; r++) {
            users[r] = h.user(r);
        }
        byte[] part = SplitParts.randomPerUser(users, h.numUsers(), validationFraction, testFraction, seed);
        return assemble(
                part,
                "random",
                String.format(
                        Locale.ROOT,
                        "random per user (validation=%.2f, test=%.2f, seed=%d; ≥1 row per user in train)",
                        validationFraction,
                        testFraction,
                        seed));
    }

    /**
     * Chronological global cut at the timestamp quantiles {@code 1 − validation − test} and {@code 1 −
     * test}: earlier rows train, then validation, the latest rows test. Never trains on the future;
     * users first seen after a cut have nothing in train.
     */
    static RowSplit chronological(History h, double validationFraction, double testFraction) {
        checkFractions(validationFraction, testFraction);
        long[] ts = new long[h.size()];
        for (int r = 0; r < ts.length; r++) {
            ts[r] = h.ts(r);
        }
        long[] from = SplitParts.globalTimeInstants(ts, validationFraction, testFraction);
        return assemble(
                SplitParts.globalTime(ts, from[0], from[1]),
                "chronological",
                String.format(
                        Locale.ROOT,
                        "chronological global time cut (validation from %s, test from %s)",
                        instant(from[0]),
                        instant(from[1])));
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
                byUser.computeIfAbsent(h.user(r), x -> new java.util.ArrayList<>())
                        .add(r);
            }
            byUser.forEach((u, mine) -> {
                SplittableRandom random = new SplittableRandom(SplitParts.mix(seed ^ 0x76616c69L, u));
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
        return millis == Long.MAX_VALUE
                ? "never"
                : java.time.Instant.ofEpochMilli(millis).toString();
    }

    private static void checkFractions(double validation, double test) {
        if (!(validation >= 0) || !(test > 0) || validation + test >= 1) {
            throw new IllegalArgumentException("fractions must be validation ≥ 0, test > 0, validation + test < 1;"
                    + " got validation=" + validation + " test=" + test);
        }
    }

    private static RowSplit assemble(byte[] part, String scheme, String description) {
        int[][] rows = SplitParts.rowsOf(part);
        return new RowSplit(rows[0], rows[1], rows[2], scheme, description);
    }
}
