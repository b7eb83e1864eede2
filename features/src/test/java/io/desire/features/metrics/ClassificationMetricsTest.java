package io.desire.features.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    @Test
    void aucCountsCorrectlyOrderedPositiveNegativePairs() {
        // pairs (pos vs neg): 0.35>0.1 ✓, 0.35<0.4 ✗, 0.8>0.1 ✓, 0.8>0.4 ✓ → 3/4
        double auc =
                ClassificationMetrics.auc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true});
        assertThat(auc).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void aucCountsTiesAsOneHalf() {
        // pos {0.5, 0.9} vs neg {0.2, 0.5}: 1 + 0.5 + 1 + 1 = 3.5 of 4
        double auc =
                ClassificationMetrics.auc(new double[] {0.2, 0.5, 0.5, 0.9}, new boolean[] {false, true, false, true});
        assertThat(auc).isCloseTo(0.875, within(1e-12));
        assertThat(ClassificationMetrics.auc(new double[] {0.5, 0.5}, new boolean[] {true, false}))
                .isCloseTo(0.5, within(1e-12));
    }

    @Test
    void aucIsUndefinedForOneClass() {
        assertThat(ClassificationMetrics.auc(new double[] {0.1, 0.2}, new boolean[] {true, true}))
                .isNaN();
    }

    @Test
    void logLossAveragesNegativeLogLikelihoodAndClipsCertainty() {
        double loss = ClassificationMetrics.logLoss(new double[] {0.9, 0.2}, new boolean[] {true, false});
        assertThat(loss).isCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, within(1e-12));
        double clipped = ClassificationMetrics.logLoss(new double[] {0.0}, new boolean[] {true});
        assertThat(clipped).isCloseTo(-Math.log(1e-15), within(1e-9)).isFinite();
        assertThat(ClassificationMetrics.logLoss(new double[0], new boolean[0])).isNaN();
    }
}
