package io.desire.features.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    // Hits at ranks 2 (item 3) and 4 (item 1); item 8 is relevant but not recommended.
    private static final int[] RANKED = {5, 3, 9, 1, 7};
    private static final int[] RELEVANT = {1, 3, 8};
    private static final double LOG2_3 = Math.log(3) / Math.log(2);
    private static final double LOG2_5 = Math.log(5) / Math.log(2);

    @Test
    void precisionRecallF1AndHitRateAtFive() {
        assertThat(RankingMetrics.precisionAtK(RANKED, RELEVANT, 5)).isCloseTo(0.4, within(1e-12));
        assertThat(RankingMetrics.recallAtK(RANKED, RELEVANT, 5)).isCloseTo(2.0 / 3, within(1e-12));
        // 2·0.4·(2/3) / (0.4 + 2/3) = 0.5
        assertThat(RankingMetrics.f1AtK(RANKED, RELEVANT, 5)).isCloseTo(0.5, within(1e-12));
        assertThat(RankingMetrics.hitRateAtK(RANKED, RELEVANT, 5)).isEqualTo(1.0);
        assertThat(RankingMetrics.hitRateAtK(RANKED, RELEVANT, 1)).isZero();
    }

    @Test
    void ndcgUsesLog2DiscountAndTheIdealOfMinRelevantAndK() {
        double dcg = 1 / LOG2_3 + 1 / LOG2_5;
        double idcg = 1 + 1 / LOG2_3 + 0.5;
        assertThat(RankingMetrics.ndcgAtK(RANKED, RELEVANT, 5)).isCloseTo(dcg / idcg, within(1e-12));
        assertThat(RankingMetrics.ndcgAtK(RANKED, RELEVANT, 2))
                .isCloseTo((1 / LOG2_3) / (1 + 1 / LOG2_3), within(1e-12));
        assertThat(RankingMetrics.ndcgAtK(new int[] {3, 1, 8}, RELEVANT, 3)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void averagePrecisionDividesByMinOfRelevantAndK() {
        // precision at the hits: 1/2 and 2/4 → (0.5 + 0.5) / 3
        assertThat(RankingMetrics.averagePrecisionAtK(RANKED, RELEVANT, 5)).isCloseTo(1.0 / 3, within(1e-12));
        // only the hit at rank 2 within k = 2: 0.5 / min(3, 2)
        assertThat(RankingMetrics.averagePrecisionAtK(RANKED, RELEVANT, 2)).isCloseTo(0.25, within(1e-12));
        assertThat(RankingMetrics.averagePrecisionAtK(new int[] {8, 3}, RELEVANT, 2))
                .isCloseTo(1.0, within(1e-12));
    }

    @Test
    void shortListsCountAsPaddedWithMisses() {
        assertThat(RankingMetrics.precisionAtK(new int[] {3}, RELEVANT, 4)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void undefinedWithoutRelevantItemsAndStrictAboutInput() {
        assertThat(RankingMetrics.ndcgAtK(RANKED, new int[0], 5)).isNaN();
        assertThat(RankingMetrics.f1AtK(RANKED, new int[0], 5)).isNaN();
        assertThatThrownBy(() -> RankingMetrics.recallAtK(RANKED, new int[] {3, 1}, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sorted");
        assertThatThrownBy(() -> RankingMetrics.recallAtK(RANKED, RELEVANT, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void summaryAveragesUsersWithRelevantItemsAndMeasuresCoverage() {
        RankingSummary summary = new RankingSummary(2, 10)
                .add(new int[] {3, 1}, new int[] {1, 3}) // perfect
                .add(new int[] {5, 6}, new int[] {7}) // miss
                .add(new int[] {3, 9}, new int[0]); // skipped, but counts for coverage
        assertThat(summary.users()).isEqualTo(2);
        assertThat(summary.skippedUsers()).isEqualTo(1);
        assertThat(summary.precision()).isCloseTo(0.5, within(1e-12));
        assertThat(summary.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(summary.ndcg()).isCloseTo(0.5, within(1e-12));
        assertThat(summary.hitRate()).isCloseTo(0.5, within(1e-12));
        assertThat(summary.map()).isCloseTo(0.5, within(1e-12));
        assertThat(summary.coverage()).isCloseTo(5 / 10.0, within(1e-12)); // {1, 3, 5, 6, 9}

        RankingSummary other = new RankingSummary(2, 10).add(new int[] {0, 2}, new int[] {0});
        summary.merge(other);
        assertThat(summary.users()).isEqualTo(3);
        assertThat(summary.hitRate()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(summary.coverage()).isCloseTo(0.7, within(1e-12));
        assertThat(new RankingSummary(5, 3).ndcg()).isNaN();
    }
}
