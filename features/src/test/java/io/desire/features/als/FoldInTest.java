package io.desire.features.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FoldInTest {

    private static final AlsParams BASE = AlsParams.defaults().withRank(2).withThreads(1);

    @Test
    void explicitFoldInEqualsTheClosedFormWithPlainLambda() {
        // A = y1y1ᵀ + y2y2ᵀ + 0.5·I = [[2.5, 1], [1, 1.5]], b = 3·y1 + 5·y2 = (8, 5), det = 2.75.
        FoldIn foldIn = new FoldIn(BASE.withLambda(0.5).withWeightedLambda(false));
        double[] x = foldIn.solve(new double[][] {{1, 0}, {1, 1}}, new double[] {3, 5}, null);
        assertThat(x).containsExactly(new double[] {7 / 2.75, 4.5 / 2.75}, within(1e-12));
    }

    @Test
    void explicitFoldInScalesLambdaByTheNumberOfRatings() {
        // Weighted λ: ridge = 0.5 · 2 = 1, A = [[3, 1], [1, 2]], det = 5.
        FoldIn foldIn = new FoldIn(BASE.withLambda(0.5).withWeightedLambda(true));
        double[] x = foldIn.solve(new double[][] {{1, 0}, {1, 1}}, new double[] {3, 5}, null);
        assertThat(x).containsExactly(new double[] {2.2, 1.4}, within(1e-12));
    }

    @Test
    void implicitFoldInEqualsTheFullObjectiveOverEveryItem() {
        double[][] items = {{1, 0}, {1, 1}, {0, 1}, {0.5, -2}};
        double alpha = 1.5;
        double lambda = 0.1;
        FoldIn foldIn = new FoldIn(BASE.withImplicit(alpha).withLambda(lambda).withWeightedLambda(false));
        // The user touched item 0 with strength 2 and item 3 with −1 (negative evidence).
        double[] x = foldIn.solve(new double[][] {items[0], items[3]}, new double[] {2, -1}, FoldIn.gram(items, 2));

        // Closed form without the YᵀY trick: every item enters with c = 1 + α|r| (1 if untouched)
        // and p = [r > 0].
        double[] r = {2, 0, 0, -1};
        double[][] a = new double[2][2];
        double[] b = new double[2];
        for (int i = 0; i < items.length; i++) {
            double c = 1 + alpha * Math.abs(r[i]);
            double p = r[i] > 0 ? 1 : 0;
            for (int s = 0; s < 2; s++) {
                for (int t = 0; t < 2; t++) {
                    a[s][t] += c * items[i][s] * items[i][t];
                }
                b[s] += c * p * items[i][s];
            }
        }
        a[0][0] += lambda;
        a[1][1] += lambda;
        assertThat(x).containsExactly(Cholesky.solve(a, b), within(1e-12));
    }

    @Test
    void noInteractionsGiveTheZeroVector() {
        assertThat(new FoldIn(BASE).solve(new double[0][], new double[0], null)).containsExactly(0, 0);
    }

    @Test
    void foldInResultsAreCappedAtMaxNorm() {
        FoldIn foldIn = new FoldIn(BASE.withLambda(1e-6).withWeightedLambda(false), 1.0);
        double[] x = foldIn.solve(new double[][] {{0.01, 0}}, new double[] {5}, null);
        assertThat(Math.hypot(x[0], x[1])).isCloseTo(1.0, within(1e-9));
        assertThat(x[0]).isPositive();
    }

    @Test
    void explicitIncrementalUpdateMovesThePredictionOntoTheRating() {
        FoldIn foldIn = new FoldIn(BASE.withLambda(0));
        double[] identity = {1, 0, 0, 1};
        double[] x = foldIn.incremental(null, new double[] {1, 0}, 3, foldIn.factorForIncremental(identity));
        assertThat(x).containsExactly(new double[] {3, 0}, within(1e-6));
    }

    @Test
    void implicitIncrementalUpdateMovesPartWayToOneAndIgnoresAgreeingEvidence() {
        FoldIn foldIn = new FoldIn(BASE.withImplicit(1).withLambda(0));
        double[] factor = foldIn.factorForIncremental(new double[] {1, 0, 0, 1});
        double[] y = {1, 0};
        // value 1 from estimate 0: target = 0 + 1/(1+1)·(1 − 0) = 0.5
        double[] x = foldIn.incremental(new double[] {0, 0.3}, y, 1, factor);
        assertThat(x[0] * y[0] + x[1] * y[1]).isCloseTo(0.5, within(1e-6));
        assertThat(x[1]).isCloseTo(0.3, within(1e-12)); // orthogonal part untouched
        // An estimate already at 1 gets no further positive push; negative evidence pulls it down.
        assertThat(foldIn.incremental(new double[] {1.2, 0}, y, 1, factor)).isNull();
        double[] down = foldIn.incremental(new double[] {1.0, 0}, y, -1, factor);
        assertThat(down[0]).isCloseTo(0.5, within(1e-6));
    }
}
