package io.desire.features.als;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopNTest {

    private static final double[][] ITEMS = {{1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 0}, {2, 0}};

    @Test
    void returnsTheBestItemsByDotProductBestFirstTiesByIndex() {
        ScoredItems top = TopN.select(new double[] {1, 0.5}, ITEMS, 3, null);
        // scores: 1, 0.5, 2, 1.5, 0, 2
        assertThat(top.items()).containsExactly(2, 5, 3);
        assertThat(top.scores()).containsExactly(2, 2, 1.5);
    }

    @Test
    void skipsExcludedItemsAndCopesWithShortCatalogues() {
        ScoredItems top = TopN.select(new double[] {1, 0.5}, ITEMS, 10, i -> i == 2 || i == 4);
        assertThat(top.items()).containsExactly(5, 3, 0, 1);
        assertThat(TopN.select(new double[] {1, 0.5}, ITEMS, 0, null).size()).isZero();
    }

    @Test
    void forUserExcludesSeenAndUntrainedItems() {
        double[][] users = {{1, 0.5}};
        AlsModel model = new AlsModel(dictionary(1), dictionary(6), 2, false, users, ITEMS);
        RatingMatrix seen =
                RatingMatrix.of(1, 6, new int[] {0}, new int[] {5}, new float[] {1f}, 1, RatingMatrix.Duplicates.LAST);
        assertThat(TopN.forUser(model, 0, 10, seen).items()).containsExactly(2, 3, 0, 1);
    }

    private static io.desire.features.data.IdDictionary dictionary(int n) {
        io.desire.features.data.IdDictionary d = new io.desire.features.data.IdDictionary();
        for (int i = 0; i < n; i++) {
            d.indexOrAdd("id" + i);
        }
        return d;
    }
}
