package io.desire.features.als;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.data.IdDictionary;
import io.desire.features.data.InteractionTable;
import io.desire.features.metrics.RatingErrors;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchAlsTest {

    private static final int USERS = 120;
    private static final int ITEMS = 90;
    private static final int PLANTED_RANK = 3;

    /** Explicit ratings: a random 35% of the planted score matrix. */
    private static InteractionTable explicitSample(PlantedData planted, double fraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        InteractionTable.Builder builder = InteractionTable.builder();
        for (int u = 0; u < USERS; u++) {
            for (int i = 0; i < ITEMS; i++) {
                if (random.nextDouble() < fraction) {
                    builder.add("u" + u, "i" + i, (float) planted.score(u, i), 0L);
                }
            }
        }
        return builder.build();
    }

    @Test
    void explicitAlsFitsPlantedLowRankRatings() {
        PlantedData planted = new PlantedData(USERS, ITEMS, PLANTED_RANK, 7);
        InteractionTable train = explicitSample(planted, 0.35, 11);
        AlsParams params = AlsParams.defaults()
                .withRank(PLANTED_RANK)
                .withLambda(0.001)
                .withIterations(15)
                .withThreads(2);
        AlsModel model = new BatchAls(params).fit(train);

        RatingErrors trainErrors = new RatingErrors();
        for (int r = 0; r < train.size(); r++) {
            trainErrors.add(model.predict(train.user(r), train.item(r)), train.rating(r));
        }
        RatingErrors baseline = new RatingErrors();
        for (int r = 0; r < train.size(); r++) {
            baseline.add(0, train.rating(r));
        }
        assertThat(trainErrors.rmse()).isLessThan(0.05 * baseline.rmse());

        // And it generalises: the planted top-5 over the whole catalogue is recovered.
        double overlap = 0;
        for (int u = 0; u < USERS; u++) {
            int learnedUser = train.users().indexOf("u" + u);
            Set<String> plantedTop = new HashSet<>();
            for (int i : planted.topItems(u, 5)) {
                plantedTop.add("i" + i);
            }
            ScoredItems learned = TopN.select(model.userFactors()[learnedUser], model.itemFactors(), 5, null);
            for (int i : learned.items()) {
                if (plantedTop.contains(train.items().idOf(i))) {
                    overlap++;
                }
            }
        }
        assertThat(overlap / (USERS * 5)).isGreaterThan(0.85);
    }

    @Test
    void implicitAlsRecoversThePlantedRankingOfUnseenItems() {
        PlantedData planted = new PlantedData(USERS, ITEMS, PLANTED_RANK, 3);
        SplittableRandom random = new SplittableRandom(5);
        // Each user shows (value 1..3) a random half of their planted top 20 and nothing else.
        IdDictionary users = new IdDictionary();
        IdDictionary items = new IdDictionary();
        for (int u = 0; u < USERS; u++) {
            users.indexOrAdd("u" + u);
        }
        for (int i = 0; i < ITEMS; i++) {
            items.indexOrAdd("i" + i);
        }
        InteractionTable.Builder shown = InteractionTable.builder(users, items);
        boolean[][] seen = new boolean[USERS][ITEMS];
        for (int u = 0; u < USERS; u++) {
            for (int i : planted.topItems(u, 20)) {
                if (random.nextBoolean()) {
                    shown.addIndexed(u, i, 1 + random.nextInt(3), 0L);
                    seen[u][i] = true;
                }
            }
        }
        InteractionTable train = shown.build();
        AlsParams params = AlsParams.defaults()
                .withRank(PLANTED_RANK + 2)
                .withImplicit(5)
                .withLambda(0.01)
                .withIterations(10)
                .withThreads(2);
        AlsModel model = new BatchAls(params).fit(train);
        RatingMatrix matrix = RatingMatrix.fromTable(train, RatingMatrix.Duplicates.SUM);

        double hits = 0;
        double randomHits = 0;
        for (int u = 0; u < USERS; u++) {
            Set<Integer> hiddenTop = new HashSet<>();
            for (int i : planted.topItems(u, 20)) {
                if (!seen[u][i]) {
                    hiddenTop.add(i);
                }
            }
            int unseen = 0;
            for (int i = 0; i < ITEMS; i++) {
                unseen += seen[u][i] ? 0 : 1;
            }
            randomHits += 5.0 * hiddenTop.size() / unseen;
            for (int i : TopN.forUser(model, u, 5, matrix).items()) {
                assertThat(seen[u][i]).as("seen items are excluded").isFalse();
                if (hiddenTop.contains(i)) {
                    hits++;
                }
            }
        }
        double precision = hits / (USERS * 5);
        assertThat(precision).isGreaterThan(0.7).isGreaterThan(4 * randomHits / (USERS * 5));
    }

    @Test
    void resultDependsOnTheSeedButNotOnTheThreadCount() {
        PlantedData planted = new PlantedData(40, 30, 2, 1);
        SplittableRandom random = new SplittableRandom(2);
        InteractionTable.Builder builder = InteractionTable.builder();
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 30; i++) {
                if (random.nextDouble() < 0.3) {
                    builder.add("u" + u, "i" + i, (float) planted.score(u, i), 0L);
                }
            }
        }
        InteractionTable train = builder.build();
        AlsParams params = AlsParams.defaults().withRank(4).withIterations(3);
        AlsModel one = new BatchAls(params.withThreads(1)).fit(train);
        AlsModel two = new BatchAls(params.withThreads(2)).fit(train);
        AlsModel again = new BatchAls(params.withThreads(3)).fit(train);
        AlsModel otherSeed = new BatchAls(params.withThreads(1).withSeed(99)).fit(train);
        assertThat(two.userFactors()).isDeepEqualTo(one.userFactors());
        assertThat(again.itemFactors()).isDeepEqualTo(one.itemFactors());
        assertThat(otherSeed.itemFactors()[0]).isNotEqualTo(one.itemFactors()[0]);
    }

    @Test
    void rowsWithoutInteractionsGetZeroFactors() {
        IdDictionary users = new IdDictionary();
        IdDictionary items = new IdDictionary();
        users.indexOrAdd("active");
        users.indexOrAdd("idle");
        items.indexOrAdd("a");
        items.indexOrAdd("never");
        InteractionTable train =
                InteractionTable.builder(users, items).addIndexed(0, 0, 4f, 0L).build();
        for (AlsParams params : new AlsParams[] {
            AlsParams.defaults().withRank(2).withIterations(2),
            AlsParams.defaults().withRank(2).withIterations(2).withImplicit(1)
        }) {
            AlsModel model = new BatchAls(params).fit(train);
            assertThat(model.hasUser(0)).isTrue();
            assertThat(model.hasUser(1)).isFalse();
            assertThat(model.hasItem(1)).isFalse();
            assertThat(model.predict("idle", "a")).isZero();
            assertThat(model.predict("nobody", "a")).isNaN();
        }
    }

    @Test
    void warmStartContinuesFromAnExistingModel() {
        PlantedData planted = new PlantedData(USERS, ITEMS, PLANTED_RANK, 9);
        InteractionTable train = explicitSample(planted, 0.35, 4);
        RatingMatrix matrix = RatingMatrix.fromTable(train, RatingMatrix.Duplicates.LAST);
        AlsParams params =
                AlsParams.defaults().withRank(PLANTED_RANK).withLambda(0.001).withThreads(1);
        AlsModel short1 = new BatchAls(params.withIterations(2)).fit(matrix, train.users(), train.items());
        AlsModel continued = new BatchAls(params.withIterations(6)).fit(matrix, train.users(), train.items(), short1);
        AlsModel eightFromScratch = new BatchAls(params.withIterations(8)).fit(matrix, train.users(), train.items());
        assertThat(continued.userFactors()[0])
                .containsExactly(eightFromScratch.userFactors()[0], org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void batchUserFactorsAreTheFoldInOfEachUserAgainstTheFinalItems() {
        PlantedData planted = new PlantedData(USERS, ITEMS, PLANTED_RANK, 21);
        InteractionTable train = explicitSample(planted, 0.2, 8);
        for (AlsParams params : new AlsParams[] {
            AlsParams.defaults().withRank(4).withIterations(3).withThreads(2),
            AlsParams.defaults().withRank(4).withIterations(3).withThreads(2).withImplicit(2)
        }) {
            RatingMatrix.Duplicates duplicates =
                    params.implicit() ? RatingMatrix.Duplicates.SUM : RatingMatrix.Duplicates.LAST;
            RatingMatrix matrix = RatingMatrix.fromTable(train, duplicates);
            AlsModel model = new BatchAls(params).fit(train);
            FoldIn foldIn = new FoldIn(params, Double.MAX_VALUE);
            double[] gram = FoldIn.gram(model.itemFactors(), params.rank());
            for (int u = 0; u < 10; u++) {
                int from = matrix.userPtr()[u];
                int to = matrix.userPtr()[u + 1];
                double[][] others = new double[to - from][];
                double[] values = new double[to - from];
                for (int p = from; p < to; p++) {
                    others[p - from] = model.itemFactors()[matrix.userCols()[p]];
                    values[p - from] = matrix.userVals()[p];
                }
                assertThat(foldIn.solve(others, values, gram))
                        .containsExactly(model.userFactors()[u], org.assertj.core.api.Assertions.within(1e-9));
            }
        }
    }
}
