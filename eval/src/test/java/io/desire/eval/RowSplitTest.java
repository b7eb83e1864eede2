package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.als.AlsEvaluation;
import io.desire.features.als.AlsModel;
import io.desire.features.als.AlsParams;
import io.desire.features.als.BatchAls;
import io.desire.features.als.RatingMatrix;
import io.desire.features.data.InteractionTable;
import io.desire.features.data.Split;
import io.desire.features.data.Splits;
import io.desire.features.metrics.RankingSummary;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The row split and the ranking protocol agree with the features module's table-based versions. */
class RowSplitTest {

    private static History ratings() {
        History h = new History(new LoadReport("test", "test"));
        SplittableRandom random = new SplittableRandom(5);
        for (int u = 0; u < 40; u++) {
            int n = 3 + random.nextInt(17); // ≤ 19 rows: (7u + 3k) mod 60 stays distinct
            for (int k = 0; k < n; k++) {
                int item = (u * 7 + k * 3) % 60; // distinct per user: no repeats
                float rating = 1 + random.nextInt(5);
                h.add("u" + u, "i" + item, rating, rating, random.nextInt(1_000_000), null);
            }
        }
        return h;
    }

    @Test
    void randomPerUserAssignsTheSameRowsAsSplits() {
        History h = ratings();
        InteractionTable table = h.table(h.allRows(), false);
        Split expected = Splits.randomPerUser(table, 0.1, 0.2, 42);
        RowSplit actual = RowSplit.randomPerUser(h, 0.1, 0.2, 42);
        assertSame(expected.train(), h.table(actual.train(), false));
        assertSame(expected.validation(), h.table(actual.validation(), false));
        assertSame(expected.test(), h.table(actual.test(), false));
    }

    @Test
    void chronologicalAssignsTheSameRowsAsTheGlobalTimeCut() {
        History h = ratings();
        InteractionTable table = h.table(h.allRows(), false);
        Split expected = Splits.globalTime(table, 0.1, 0.2);
        RowSplit actual = RowSplit.chronological(h, 0.1, 0.2);
        assertSame(expected.train(), h.table(actual.train(), false));
        assertSame(expected.test(), h.table(actual.test(), false));
        for (int r : actual.train()) {
            for (int t : actual.test()) {
                assertThat(h.ts(r)).isLessThan(h.ts(t));
            }
        }
    }

    @Test
    void rankingProtocolMatchesAlsEvaluationWithoutRepeats() {
        History h = ratings();
        RowSplit split = RowSplit.randomPerUser(h, 0, 0.3, 1);
        InteractionTable train = h.table(split.train(), false);
        AlsModel model = new BatchAls(AlsParams.defaults()
                        .withRank(4)
                        .withIterations(4)
                        .withThreads(1)
                        .withImplicit(1))
                .fit(train);
        RankingSummary expected = AlsEvaluation.ranking(
                model,
                RatingMatrix.fromTable(train, RatingMatrix.Duplicates.SUM),
                h.table(split.test(), false),
                5,
                Double.NEGATIVE_INFINITY);
        RankingSummary actual = RankingProtocol.evaluate(
                new AlsRecommender(model),
                h,
                UserItems.of(h, split.train(), null),
                split.test(),
                Double.NEGATIVE_INFINITY,
                5);
        assertThat(actual.users()).isEqualTo(expected.users()).isPositive();
        assertThat(actual.ndcg()).isEqualTo(expected.ndcg());
        assertThat(actual.recall()).isEqualTo(expected.recall());
        assertThat(actual.map()).isEqualTo(expected.map());
        assertThat(actual.coverage()).isEqualTo(expected.coverage());
    }

    private static void assertSame(InteractionTable expected, InteractionTable actual) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int r = 0; r < expected.size(); r++) {
            assertThat(actual.user(r)).isEqualTo(expected.user(r));
            assertThat(actual.item(r)).isEqualTo(expected.item(r));
            assertThat(actual.timestamp(r)).isEqualTo(expected.timestamp(r));
        }
    }

    @Test
    void carvingHoldsOutAShareOfTheGivenRowsAsTheSplitWasMade() {
        History h = ratings();
        RowSplit split = RowSplit.randomPerUser(h, 0, 0.2, 42);
        int[] train = split.train();
        int[][] random = RowSplit.carve(h, train, 0.1, false, 42);
        assertThat(random[0].length + random[1].length).isEqualTo(train.length);
        assertThat(java.util.stream.IntStream.concat(
                                java.util.Arrays.stream(random[0]), java.util.Arrays.stream(random[1]))
                        .sorted()
                        .toArray())
                .as("a partition of the given rows")
                .containsExactly(train);
        for (int u = 0; u < h.numUsers(); u++) {
            int user = u;
            assertThat(java.util.Arrays.stream(random[0]).anyMatch(r -> h.user(r) == user))
                    .as("every user keeps a row")
                    .isTrue();
        }
        assertThat(RowSplit.carve(h, train, 0.1, false, 42)[1]).as("seeded").containsExactly(random[1]);

        int[][] chrono = RowSplit.carve(h, train, 0.1, true, 42);
        long latestKept =
                java.util.Arrays.stream(chrono[0]).mapToLong(h::ts).max().orElseThrow();
        long earliestHeld =
                java.util.Arrays.stream(chrono[1]).mapToLong(h::ts).min().orElseThrow();
        assertThat(latestKept).as("the latest rows are held out").isLessThanOrEqualTo(earliestHeld);
        assertThat(chrono[1].length).isEqualTo((int) Math.round(train.length * 0.1));
    }
}
