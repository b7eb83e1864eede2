package io.desire.features.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.desire.features.data.IdDictionary;
import io.desire.features.data.InteractionTable;
import io.desire.features.metrics.RankingSummary;
import io.desire.features.metrics.RatingErrors;
import org.junit.jupiter.api.Test;

class AlsEvaluationTest {

    /**
     * Two users, four items; rank 1 so scores are easy to read: user 0 likes high item factors,
     * user 1 low ones. Item 3 has no training interactions.
     */
    private final IdDictionary users = dictionary("u", 2);

    private final IdDictionary items = dictionary("i", 4);
    private final AlsModel model =
            new AlsModel(users, items, 1, false, new double[][] {{1}, {-1}}, new double[][] {{3}, {2}, {1}, {5}});
    private final InteractionTable train = InteractionTable.builder(users, items)
            .addIndexed(0, 0, 3f, 0L)
            .addIndexed(1, 2, 1f, 0L)
            .addIndexed(1, 1, 1f, 0L)
            .build();
    private final RatingMatrix matrix = RatingMatrix.fromTable(train, RatingMatrix.Duplicates.LAST);

    @Test
    void ratingErrorsSkipItemsWithoutTrainingInteractions() {
        InteractionTable test = InteractionTable.builder(users, items)
                .addIndexed(0, 1, 4f, 0L) // predicted 2, error 2
                .addIndexed(0, 3, 1f, 0L) // item 3 untrained: not scored
                .build();
        RatingErrors errors = AlsEvaluation.ratingErrors(model, matrix, test);
        assertThat(errors.count()).isEqualTo(1);
        assertThat(errors.rmse()).isCloseTo(2, within(1e-12));
    }

    @Test
    void rankingExcludesTrainingItemsAndUntrainedItemsButKeepsThemRelevant() {
        InteractionTable test = InteractionTable.builder(users, items)
                .addIndexed(0, 1, 5f, 0L)
                .addIndexed(0, 3, 5f, 0L) // relevant, but cannot be recommended
                .addIndexed(1, 0, 5f, 0L)
                .build();
        RankingSummary summary = AlsEvaluation.ranking(model, matrix, test, 1, Double.NEGATIVE_INFINITY);
        // user 0: candidates {1, 2} → top-1 = item 1 (hit), relevant {1, 3} → recall 1/2
        // user 1: candidates {0} (1 and 2 were trained) → item 0 (hit), recall 1
        assertThat(summary.users()).isEqualTo(2);
        assertThat(summary.recall()).isCloseTo(0.75, within(1e-12));
        assertThat(summary.precision()).isCloseTo(1.0, within(1e-12));
        assertThat(summary.coverage()).isCloseTo(2 / 3.0, within(1e-12)); // {0, 1} of trained {0, 1, 2}
    }

    private static IdDictionary dictionary(String prefix, int n) {
        IdDictionary d = new IdDictionary();
        for (int i = 0; i < n; i++) {
            d.indexOrAdd(prefix + i);
        }
        return d;
    }
}
