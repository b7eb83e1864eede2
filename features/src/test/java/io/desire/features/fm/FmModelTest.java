package io.desire.features.fm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.HashedFeatures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FmModelTest {
    private static final double EPS = 1e-12;

    /** 16 buckets, k = 2, α = 0.5, β = 1, λ1 = 0, λ2 = 0; η = 0.1, β_v = 1, λ_v = 0.01. */
    private static FmParams tiny() {
        return new FmParams(new FtrlParams(0.5, 1.0, 0.0, 0.0, 4), 2, 0.1, 1.0, 0.01, 0.0, 1L);
    }

    /**
     * x = {1: 1.0, 3: 2.0}, v1 = (0.1, 0.2), v3 = (0.3, −0.1), all else 0, label 1.
     *
     * <pre>
     * m  = ½ Σ_f [(v1f·1 + v3f·2)² − (v1f·1)² − (v3f·2)²] = ⟨v1, v3⟩·1·2 = (0.03 − 0.02)·2 = 0.02
     * p  = σ(0.02),  g = p − 1
     * s  = (0.1 + 0.6, 0.2 − 0.2) = (0.7, 0)
     * bias:   z0 = g, n0 = g²
     * linear: z1 = g·1, n1 = g²;  z3 = g·2, n3 = 4g²   (weights were 0)
     * factor gradients G = g·x_i·(s_f − v_if·x_i) + 0.01·v_if:
     *   G(1,0) = g·(0.7 − 0.1) + 0.001 = 0.6g + 0.001    G(1,1) = g·(0 − 0.2) + 0.002 = −0.2g + 0.002
     *   G(3,0) = 2g·(0.7 − 0.6) + 0.003 = 0.2g + 0.003    G(3,1) = 2g·(0 + 0.2) − 0.001 = 0.4g − 0.001
     * vn = G², v ← v − 0.1·G / (1 + |G|)
     * </pre>
     */
    @Test
    void oneUpdateMatchesHandComputedGradients() {
        FmState s = FmState.create(tiny());
        s.v[2] = 0.1;
        s.v[3] = 0.2;
        s.v[6] = 0.3;
        s.v[7] = -0.1;
        FmModel model = new FmModel(tiny(), s);
        int[] idx = {1, 3};
        double[] val = {1.0, 2.0};
        assertThat(model.margin(idx, val)).isCloseTo(0.02, within(EPS));

        double p = model.update(idx, val, 1, 1.0);
        double expectedP = 1 / (1 + Math.exp(-0.02));
        assertThat(p).isCloseTo(expectedP, within(EPS));
        double g = expectedP - 1;
        assertThat(s.biasZ).isCloseTo(g, within(EPS));
        assertThat(s.biasN).isCloseTo(g * g, within(EPS));
        assertThat(s.z[1]).isCloseTo(g, within(EPS));
        assertThat(s.n[1]).isCloseTo(g * g, within(EPS));
        assertThat(s.z[3]).isCloseTo(2 * g, within(EPS));
        assertThat(s.n[3]).isCloseTo(4 * g * g, within(EPS));
        double[][] expectedGrad = {{0.6 * g + 0.001, -0.2 * g + 0.002}, {0.2 * g + 0.003, 0.4 * g - 0.001}};
        double[][] before = {{0.1, 0.2}, {0.3, -0.1}};
        int[] rows = {1, 3};
        for (int r = 0; r < 2; r++) {
            for (int f = 0; f < 2; f++) {
                double grad = expectedGrad[r][f];
                int cell = rows[r] * 2 + f;
                assertThat(s.vn[cell]).as("vn(%d,%d)", rows[r], f).isCloseTo(grad * grad, within(EPS));
                assertThat(s.v[cell])
                        .as("v(%d,%d)", rows[r], f)
                        .isCloseTo(before[r][f] - 0.1 * grad / (1 + Math.abs(grad)), within(EPS));
            }
        }
        assertThat(model.version()).isEqualTo(1);
        // the bias weight now follows FTRL: −z0 / ((β + √n0)/α)
        assertThat(model.bias()).isCloseTo(-g / ((1 + Math.abs(g)) / 0.5), within(EPS));
    }

    @Test
    void theSumSquareMarginEqualsThePairwiseSum() {
        FmParams params = FmParams.defaults().withBits(8).withFactors(4).withInit(0.5, 7L);
        FmModel model = new FmModel(params);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int t = 0; t < 50; t++) {
            int[] idx = rnd.ints(0, 256).distinct().limit(6).sorted().toArray();
            double[] val = rnd.doubles(6, -2, 2).toArray();
            model.update(idx, val, rnd.nextInt(2), 1.0);
        }
        int[] idx = {3, 17, 90, 200};
        double[] val = {1.0, -0.5, 2.0, 0.25};
        double brute = model.bias();
        for (int a = 0; a < idx.length; a++) {
            brute += model.weight(idx[a]) * val[a];
            for (int b = a + 1; b < idx.length; b++) {
                double dot = 0;
                for (int f = 0; f < 4; f++) {
                    dot += model.factor(idx[a], f) * model.factor(idx[b], f);
                }
                brute += dot * val[a] * val[b];
            }
        }
        assertThat(model.margin(idx, val)).isCloseTo(brute, within(1e-12));
    }

    /**
     * Label = context XOR item group over one-hot features: every main effect is zero, so logistic
     * regression stays at AUC ½ while the FM learns the pairwise interaction.
     */
    @Test
    void learnsAnXorInteractionThatLogisticRegressionCannot() {
        FmParams params = FmParams.defaults().withBits(6).withFactors(2);
        FmModel fm = new FmModel(params);
        FtrlModel lr = new FtrlModel(params.linear());
        SplittableRandom rnd = new SplittableRandom(42);
        for (int t = 0; t < 4000; t++) {
            int a = rnd.nextInt(2);
            int b = rnd.nextInt(2);
            HashedFeatures x = xor(a, b);
            fm.update(x, a ^ b);
            lr.update(x, a ^ b);
        }
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double p = fm.predict(xor(a, b));
                if ((a ^ b) == 1) {
                    assertThat(p).as("FM p(%d xor %d)", a, b).isGreaterThan(0.9);
                } else {
                    assertThat(p).as("FM p(%d xor %d)", a, b).isLessThan(0.1);
                }
                assertThat(lr.predict(xor(a, b))).as("LR p(%d xor %d)", a, b).isCloseTo(0.5, within(0.1));
            }
        }
    }

    /** Bias bucket 0, context a at 1 + a, item group b at 3 + b. */
    private static HashedFeatures xor(int a, int b) {
        return new HashedFeatures(new int[] {0, 1 + a, 3 + b}, new double[] {1, 1, 1});
    }

    @Test
    void sameExamplesGiveBitIdenticalStates() {
        FmParams params = FmParams.defaults().withBits(6).withFactors(3);
        FmModel a = new FmModel(params);
        FmModel b = new FmModel(params);
        SplittableRandom rnd = new SplittableRandom(9);
        for (int t = 0; t < 200; t++) {
            int[] idx = rnd.ints(0, 64).distinct().limit(4).sorted().toArray();
            double[] val = {1, 1, 1, 1};
            int y = rnd.nextInt(2);
            assertThat(a.update(idx, val, y, 1.0)).isEqualTo(b.update(idx, val, y, 1.0));
        }
        assertThat(a.state()).isEqualTo(b.state());
        assertThat(a.state().copy()).isEqualTo(a.state());
    }

    @Test
    void initialFactorsDependOnlyOnSeedBucketAndFactor() {
        FmParams params = FmParams.defaults().withBits(4).withFactors(2).withInit(0.1, 5L);
        FmState s = FmState.create(params);
        assertThat(s.v[7 * 2 + 1]).isEqualTo(FmInit.value(5L, 0.1, 7, 1));
        assertThat(FmInit.value(5L, 0.1, 7, 1))
                .isNotEqualTo(FmInit.value(6L, 0.1, 7, 1))
                .isNotEqualTo(FmInit.value(5L, 0.1, 7, 0))
                .isBetween(-0.1 * Math.sqrt(3), 0.1 * Math.sqrt(3));
        assertThat(FmState.create(params)).isEqualTo(s);
    }

    @Test
    void invalidExamplesAndStatesAreRejectedBeforeAnyChange() {
        FmModel model = new FmModel(tiny());
        FmState before = model.state().copy();
        assertThatThrownBy(() -> model.update(new int[] {3, 1}, new double[] {1, 1}, 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending");
        assertThatThrownBy(() -> model.update(new int[] {16}, new double[] {1}, 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.update(new int[] {1}, new double[] {Double.NaN}, 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> model.update(new int[] {1}, new double[] {1}, 2, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label");
        assertThat(model.state()).isEqualTo(before);
        assertThatThrownBy(() -> new FmModel(tiny().withFactors(3), before))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("factors");
        assertThatThrownBy(() -> tiny().withFactors(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
