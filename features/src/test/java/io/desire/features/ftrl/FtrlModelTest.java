package io.desire.features.ftrl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FtrlModelTest {
    private static final double EPS = 1e-12;

    /**
     * α = 0.5, β = 1, λ1 = 0.1, λ2 = 1; x = {1: 1.0, 3: 2.0}; first y = 1, then y = 0.
     *
     * <pre>
     * step 1: z = n = 0 → w = (0, 0), p = σ(0) = 0.5
     *   g1 = (0.5 − 1)·1 = −0.5   σ1 = (√0.25 − 0)/0.5 = 1   z1 = −0.5   n1 = 0.25
     *   g3 = (0.5 − 1)·2 = −1.0   σ3 = (√1 − 0)/0.5 = 2      z3 = −1.0   n3 = 1
     * step 2: w1 = −(−0.5 + 0.1)/((1 + √0.25)/0.5 + 1) = 0.4/4 = 0.1
     *         w3 = −(−1.0 + 0.1)/((1 + √1)/0.5 + 1)    = 0.9/5 = 0.18
     *   m = 0.1·1 + 0.18·2 = 0.46, p = σ(0.46) = 0.6130141761393355
     *   g1 = 0.6130141761393355   n1 = 0.25 + g1² = 0.6257863801477883
     *     σ1 = (√0.6257863801477883 − 0.5)/0.5 = 0.5821332183451409
     *     z1 = −0.5 + g1 − σ1·0.1 = 0.0548008543048214
     *   g3 = 1.226028352278671    n3 = 1 + g3² = 2.5031455205911533
     *     σ3 = (√2.5031455205911533 − 1)/0.5 = 1.1642664366902817
     *     z3 = −1.0 + g3 − σ3·0.18 = 0.016460393674420315
     * after: |z1|, |z3| ≤ λ1 → both weights are exactly 0 again.
     * </pre>
     */
    @Test
    void firstAndSecondStepMatchAlgorithmOneByHand() {
        FtrlModel m = new FtrlModel(new FtrlParams(0.5, 1.0, 0.1, 1.0, 3));
        int[] idx = {1, 3};
        double[] x = {1.0, 2.0};

        assertThat(m.update(idx, x, 1)).isEqualTo(0.5);
        FtrlState s = m.state();
        assertThat(s.z[1]).isCloseTo(-0.5, within(EPS));
        assertThat(s.n[1]).isCloseTo(0.25, within(EPS));
        assertThat(s.z[3]).isCloseTo(-1.0, within(EPS));
        assertThat(s.n[3]).isCloseTo(1.0, within(EPS));
        assertThat(m.weight(1)).isCloseTo(0.1, within(EPS));
        assertThat(m.weight(3)).isCloseTo(0.18, within(EPS));
        assertThat(m.version()).isEqualTo(1);

        assertThat(m.predict(idx, x)).isCloseTo(0.6130141761393355, within(EPS));
        assertThat(m.update(idx, x, 0)).isCloseTo(0.6130141761393355, within(EPS));
        assertThat(s.z[1]).isCloseTo(0.0548008543048214, within(EPS));
        assertThat(s.n[1]).isCloseTo(0.6257863801477883, within(EPS));
        assertThat(s.z[3]).isCloseTo(0.016460393674420315, within(EPS));
        assertThat(s.n[3]).isCloseTo(2.5031455205911533, within(EPS));
        assertThat(m.weight(1)).isEqualTo(0.0);
        assertThat(m.weight(3)).isEqualTo(0.0);
        assertThat(m.version()).isEqualTo(2);
        // untouched buckets stay untouched
        assertThat(s.z[0]).isZero();
        assertThat(s.n[2]).isZero();
    }

    @Test
    void importanceWeightScalesTheGradient() {
        FtrlModel m = new FtrlModel(new FtrlParams(0.5, 1.0, 0.0, 0.0, 2));
        m.update(new int[] {2}, new double[] {1.0}, 0, 4.0);
        // g = 4·(0.5 − 0)·1 = 2, n = 4, σ = 2/0.5 = 4, z = 2 − 4·0 = 2
        assertThat(m.state().z[2]).isCloseTo(2.0, within(EPS));
        assertThat(m.state().n[2]).isCloseTo(4.0, within(EPS));
        // w = −2/((1 + 2)/0.5) = −1/3
        assertThat(m.weight(2)).isCloseTo(-1.0 / 3.0, within(EPS));
    }

    @Test
    void predictLearnsNothing() {
        FtrlModel m = new FtrlModel(new FtrlParams(0.5, 1.0, 0.0, 1.0, 4));
        m.update(new int[] {0, 5}, new double[] {1, 1}, 1);
        FtrlState before = m.state().copy();
        m.predict(new int[] {0, 5, 9}, new double[] {1, -2, 3});
        assertThat(m.state()).isEqualTo(before);
    }

    @Test
    void l1KeepsWeakFeaturesAtExactlyZero() {
        SplittableRandom rnd = new SplittableRandom(7);
        FtrlModel sparse = new FtrlModel(FtrlParams.defaults().withBits(8).withL1(3.0));
        FtrlModel dense = new FtrlModel(FtrlParams.defaults().withBits(8).withL1(0.0));
        int strong = 10;
        for (int t = 0; t < 2000; t++) {
            int y = rnd.nextInt(2);
            // bucket 10 carries the label; bucket 20 + (t % 100) is a rare id seen 20 times with a coin-flip label
            int rare = 20 + (t % 100);
            int[] idx = {strong, rare};
            double[] x = {y == 1 ? 1.0 : -1.0, 1.0};
            sparse.update(idx, x, rnd.nextInt(10) == 0 ? 1 - y : y);
            dense.update(idx, x, rnd.nextInt(10) == 0 ? 1 - y : y);
        }
        assertThat(sparse.weight(strong)).isGreaterThan(1.0);
        long sparseZeros = 0;
        long denseZeros = 0;
        for (int rare = 20; rare < 120; rare++) {
            sparseZeros += sparse.weight(rare) == 0.0 ? 1 : 0;
            denseZeros += dense.weight(rare) == 0.0 ? 1 : 0;
        }
        assertThat(sparseZeros).as("rare noise features zeroed by L1").isGreaterThanOrEqualTo(95);
        assertThat(denseZeros).as("without L1 they are not").isZero();
        assertThat(sparse.nonZeroWeights()).isLessThanOrEqualTo(6);
    }

    @Test
    void recoversPlantedWeightsAndNearlyTheirAuc() {
        int features = 20;
        SplittableRandom rnd = new SplittableRandom(2013);
        double[] planted = new double[features + 1];
        for (int j = 0; j <= features; j++) {
            double mag = 0.3 + 1.2 * rnd.nextDouble();
            planted[j] = rnd.nextBoolean() ? mag : -mag;
        }
        int[] idx = new int[features + 1];
        for (int j = 0; j <= features; j++) {
            idx[j] = j; // bucket 0 is the bias
        }
        FtrlModel m = new FtrlModel(FtrlParams.defaults().withBits(6));
        for (int t = 0; t < 20_000; t++) {
            double[] x = sample(rnd, features);
            m.update(idx, x, rnd.nextDouble() < FtrlModel.sigmoid(dot(planted, x)) ? 1 : 0);
        }
        assertThat(m.version()).isEqualTo(20_000);
        for (int j = 0; j <= features; j++) {
            assertThat(Math.signum(m.weight(j)))
                    .as("sign of w%d (planted %.3f)", j, planted[j])
                    .isEqualTo(Math.signum(planted[j]));
        }

        int test = 5_000;
        double[] learned = new double[test];
        double[] truth = new double[test];
        int[] labels = new int[test];
        for (int t = 0; t < test; t++) {
            double[] x = sample(rnd, features);
            truth[t] = dot(planted, x);
            labels[t] = rnd.nextDouble() < FtrlModel.sigmoid(truth[t]) ? 1 : 0;
            learned[t] = m.predict(idx, x);
        }
        double plantedAuc = auc(truth, labels);
        double ftrlAuc = auc(learned, labels);
        assertThat(plantedAuc).isGreaterThan(0.85);
        assertThat(ftrlAuc).isGreaterThan(plantedAuc - 0.01);
    }

    @Test
    void stateResumesExactlyFromACopy() {
        FtrlParams p = FtrlParams.defaults().withBits(5);
        FtrlModel a = new FtrlModel(p);
        a.update(new int[] {1, 2}, new double[] {1, 0.5}, 1);
        FtrlModel b = new FtrlModel(p, a.state().copy());
        int[] idx = {2, 7};
        double[] x = {1, 1};
        assertThat(b.update(idx, x, 0)).isEqualTo(a.update(idx, x, 0));
        assertThat(b.state()).isEqualTo(a.state());
        assertThat(b.version()).isEqualTo(2);
    }

    @Test
    void rejectsMalformedInputWithoutTouchingState() {
        FtrlModel m = new FtrlModel(FtrlParams.defaults().withBits(3));
        FtrlState before = m.state().copy();
        assertThatThrownBy(() -> m.update(new int[] {2, 2}, new double[] {1, 1}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending");
        assertThatThrownBy(() -> m.update(new int[] {3, 1}, new double[] {1, 1}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.update(new int[] {8}, new double[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.update(new int[] {1}, new double[] {Double.NaN}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.update(new int[] {1}, new double[] {1}, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.update(new int[] {1}, new double[] {1}, 1, 0.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FtrlModel(FtrlParams.defaults().withBits(4), before))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(m.state()).isEqualTo(before);
    }

    @Test
    void predictionsStayInsideTheOpenInterval() {
        assertThat(FtrlModel.sigmoid(1e6)).isLessThan(1.0);
        assertThat(FtrlModel.sigmoid(-1e6)).isGreaterThan(0.0);
        assertThat(FtrlModel.logLoss(0.0, 1)).isFinite();
    }

    private static double[] sample(SplittableRandom rnd, int features) {
        double[] x = new double[features + 1];
        x[0] = 1.0;
        for (int j = 1; j <= features; j++) {
            x[j] = gaussian(rnd) * 0.5;
        }
        return x;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    private static double dot(double[] w, double[] x) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += w[j] * x[j];
        }
        return s;
    }

    /** Area under the ROC curve by the rank statistic (ties share their average rank). */
    static double auc(double[] scores, int[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        int k = 0;
        while (k < order.length) {
            int e = k;
            while (e + 1 < order.length && scores[order[e + 1]] == scores[order[k]]) {
                e++;
            }
            double avgRank = (k + e) / 2.0 + 1;
            for (int r = k; r <= e; r++) {
                if (labels[order[r]] == 1) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            k = e + 1;
        }
        long neg = scores.length - pos;
        return (rankSumPos - pos * (pos + 1) / 2.0) / (pos * (double) neg);
    }
}
