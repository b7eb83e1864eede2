package io.desire.features.data;

import java.util.Arrays;

/**
 * Train / validation / test splits of an {@link InteractionTable}. Three schemes:
 *
 * <ul>
 *   <li>{@link #randomPerUser random per user}: each user's rows are shuffled with a seeded
 *       generator and the given fractions of them held out; at least one row of every user stays in
 *       train. Measures how well the model fills in a user's known taste; it leaks the future.
 *   <li>{@link #lastPerUser chronological, per-user last N}: each user's most recent rows are held
 *       out (test = the last {@code nTest}, validation = the {@code nValidation} before them), at
 *       least one row stays in train. The "leave last out" protocol of next-item recommendation.
 *   <li>{@link #globalTime chronological, global time cut}: rows before a validation instant train,
 *       rows up to a test instant validate, the rest test; the instants are the timestamp quantiles
 *       given. The only one that never trains on the future of any user, but users first seen after
 *       the cut have nothing in train (cold start) — the caller decides whether to score them.
 * </ul>
 *
 * <p>All three are deterministic: the same table (same row order) and the same arguments give the
 * same split. Parts keep the source's row order and share its dictionaries.
 */
public final class Splits {

    private static final byte VALIDATION = SplitParts.VALIDATION;
    private static final byte TEST = SplitParts.TEST;

    private Splits() {}

    /**
     * Random per user: of a user with {@code n} rows, {@code round(n·testFraction)} go to test and
     * {@code round(n·validationFraction)} to validation, both reduced so that at least one row stays
     * in train (test gives way last). Every user with rows is in train.
     */
    public static Split randomPerUser(
            InteractionTable table, double validationFraction, double testFraction, long seed) {
        byte[] part =
                SplitParts.randomPerUser(table.userColumn(), table.numUsers(), validationFraction, testFraction, seed);
        return assemble(
                table,
                part,
                String.format(
                        "random per user (validation=%.3f, test=%.3f, seed=%d; ≥1 row per user in train)",
                        validationFraction, testFraction, seed));
    }

    /**
     * Chronological per user: each user's last {@code nTest} rows by timestamp go to test and the
     * {@code nValidation} before them to validation (ties broken by table order), reduced so at least
     * one row stays in train. Every user with rows is in train.
     */
    public static Split lastPerUser(InteractionTable table, int nValidation, int nTest) {
        if (nValidation < 0 || nTest < 0) {
            throw new IllegalArgumentException("counts must be ≥ 0, got validation=" + nValidation + " test=" + nTest);
        }
        byte[] part = new byte[table.size()];
        int[][] grouped = table.rowsByUser();
        int[] offsets = grouped[0];
        int[] rows = grouped[1];
        long[] ts = table.timestampColumn();
        for (int u = 0; u < table.numUsers(); u++) {
            int from = offsets[u];
            int n = offsets[u + 1] - from;
            if (n == 0) {
                continue;
            }
            Integer[] mine = new Integer[n];
            for (int i = 0; i < n; i++) {
                mine[i] = rows[from + i];
            }
            // Rows are in table order within a user, so a stable sort by time breaks ties by order.
            Arrays.sort(mine, (a, b) -> Long.compare(ts[a], ts[b]));
            int t = Math.min(nTest, n - 1);
            int v = Math.min(nValidation, n - 1 - t);
            for (int i = n - t; i < n; i++) {
                part[mine[i]] = TEST;
            }
            for (int i = n - t - v; i < n - t; i++) {
                part[mine[i]] = VALIDATION;
            }
        }
        return assemble(
                table, part, "chronological per user (last " + nValidation + " validation, last " + nTest + " test)");
    }

    /**
     * Chronological global cut at timestamp quantiles: with {@code t_v} the {@code (1 −
     * validationFraction − testFraction)} quantile and {@code t_t} the {@code (1 − testFraction)}
     * quantile of all timestamps, rows with {@code ts < t_v} train, {@code t_v ≤ ts < t_t} validate
     * and {@code ts ≥ t_t} test. Rows sharing a timestamp always land in the same part, so the
     * realised fractions can differ slightly from the requested ones. Users may be missing from
     * train.
     */
    public static Split globalTime(InteractionTable table, double validationFraction, double testFraction) {
        long[] from = SplitParts.globalTimeInstants(table.timestampColumn(), validationFraction, testFraction);
        return globalTime(table, from[0], from[1]);
    }

    /**
     * Chronological global cut at explicit instants (epoch ms): {@code ts < validationFromMillis}
     * train, {@code validationFromMillis ≤ ts < testFromMillis} validation, the rest test.
     */
    public static Split globalTime(InteractionTable table, long validationFromMillis, long testFromMillis) {
        byte[] part = SplitParts.globalTime(table.timestampColumn(), validationFromMillis, testFromMillis);
        return assemble(
                table,
                part,
                "chronological global cut (validation from " + validationFromMillis + " ms, test from " + testFromMillis
                        + " ms)");
    }

    private static Split assemble(InteractionTable table, byte[] part, String description) {
        int[][] rows = SplitParts.rowsOf(part);
        return new Split(table.select(rows[0]), table.select(rows[1]), table.select(rows[2]), description);
    }
}
