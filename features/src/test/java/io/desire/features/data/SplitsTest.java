package io.desire.features.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** 50 users with 1..30 rows each; every (user, item) pair unique; distinct timestamps. */
    private static InteractionTable table() {
        SplittableRandom random = new SplittableRandom(1);
        InteractionTable.Builder builder = InteractionTable.builder();
        long ts = 0;
        for (int u = 0; u < 50; u++) {
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                builder.add("u" + u, "i" + i, 1 + random.nextInt(5), (ts += 1 + random.nextInt(1000)));
            }
        }
        // shuffle row order so time order ≠ table order
        InteractionTable ordered = builder.build();
        int[] rows = new int[ordered.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        for (int i = rows.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
        return ordered.select(rows);
    }

    private static Set<String> keys(InteractionTable t) {
        Set<String> keys = new HashSet<>();
        for (int r = 0; r < t.size(); r++) {
            keys.add(t.user(r) + "/" + t.item(r));
        }
        return keys;
    }

    private static void assertPartition(InteractionTable source, Split split) {
        Set<String> train = keys(split.train());
        Set<String> validation = keys(split.validation());
        Set<String> test = keys(split.test());
        assertThat(split.totalSize()).isEqualTo(source.size());
        Set<String> all = new HashSet<>(train);
        all.addAll(validation);
        all.addAll(test);
        assertThat(all).isEqualTo(keys(source)); // disjoint (sizes add up) and complete
    }

    private static Set<Integer> users(InteractionTable t) {
        Set<Integer> users = new HashSet<>();
        for (int r = 0; r < t.size(); r++) {
            users.add(t.user(r));
        }
        return users;
    }

    @Test
    void randomPerUserIsADeterministicPartitionKeepingEveryUserInTrain() {
        InteractionTable source = table();
        Split split = Splits.randomPerUser(source, 0.1, 0.2, 42);
        assertPartition(source, split);
        assertThat(users(split.train())).isEqualTo(users(source));
        assertThat(split.test().size()).isBetween((int) (0.15 * source.size()), (int) (0.25 * source.size()));
        assertThat(split.validation().size()).isPositive();

        Split again = Splits.randomPerUser(source, 0.1, 0.2, 42);
        assertThat(keys(again.test())).isEqualTo(keys(split.test()));
        assertThat(keys(again.validation())).isEqualTo(keys(split.validation()));
        assertThat(keys(Splits.randomPerUser(source, 0.1, 0.2, 43).test())).isNotEqualTo(keys(split.test()));
        assertThat(split.description()).contains("random per user");
        assertThat(split.test().users()).isSameAs(source.users());
    }

    @Test
    void lastPerUserHoldsOutEachUsersLatestRows() {
        InteractionTable source = table();
        Split split = Splits.lastPerUser(source, 1, 2);
        assertPartition(source, split);
        assertThat(users(split.train())).isEqualTo(users(source));
        long[] latestTrain = new long[source.numUsers()];
        for (int r = 0; r < split.train().size(); r++) {
            int u = split.train().user(r);
            latestTrain[u] = Math.max(latestTrain[u], split.train().timestamp(r));
        }
        int[] testCount = new int[source.numUsers()];
        for (int r = 0; r < split.test().size(); r++) {
            assertThat(split.test().timestamp(r))
                    .isGreaterThan(latestTrain[split.test().user(r)]);
            testCount[split.test().user(r)]++;
        }
        for (int r = 0; r < split.validation().size(); r++) {
            assertThat(split.validation().timestamp(r))
                    .isGreaterThan(latestTrain[split.validation().user(r)]);
        }
        int[][] grouped = source.rowsByUser();
        for (int u = 0; u < source.numUsers(); u++) {
            int n = grouped[0][u + 1] - grouped[0][u];
            assertThat(testCount[u]).isEqualTo(Math.min(2, n - 1));
        }
    }

    @Test
    void globalTimeCutNeverTrainsOnTheFuture() {
        InteractionTable source = table();
        Split split = Splits.globalTime(source, 0.1, 0.2);
        assertPartition(source, split);
        long maxTrain = max(split.train());
        long minValidation = min(split.validation());
        assertThat(maxTrain).isLessThan(minValidation);
        assertThat(max(split.validation())).isLessThan(min(split.test()));
        assertThat(split.test().size()).isBetween((int) (0.19 * source.size()), (int) (0.21 * source.size()) + 1);
    }

    private static long max(InteractionTable t) {
        long m = Long.MIN_VALUE;
        for (int r = 0; r < t.size(); r++) {
            m = Math.max(m, t.timestamp(r));
        }
        return m;
    }

    private static long min(InteractionTable t) {
        long m = Long.MAX_VALUE;
        for (int r = 0; r < t.size(); r++) {
            m = Math.min(m, t.timestamp(r));
        }
        return m;
    }
}
