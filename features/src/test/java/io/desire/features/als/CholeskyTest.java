package io.desire.features.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CholeskyTest {

    @Test
    void factorsAndSolvesTwoByTwoByHand() {
        // A = [[4, 2], [2, 3]] = L·Lᵀ with L = [[2, 0], [1, √2]]; A⁻¹ = 1/8·[[3, −2], [−2, 4]].
        double[] a = {4, 2, 2, 3};
        assertThat(Cholesky.decompose(a, 2)).isTrue();
        assertThat(a[0]).isCloseTo(2, within(1e-12));
        assertThat(a[2]).isCloseTo(1, within(1e-12));
        assertThat(a[3]).isCloseTo(Math.sqrt(2), within(1e-12));
        double[] b = {2, 1};
        Cholesky.solve(a, 2, b);
        assertThat(b).containsExactly(new double[] {0.5, 0.0}, within(1e-12));
    }

    @Test
    void solvesTheTextbookThreeByThree() {
        // The classic example: L = [[2, 0, 0], [6, 1, 0], [−8, 5, 3]]; b = A·(1, 2, 3).
        double[][] a = {{4, 12, -16}, {12, 37, -43}, {-16, -43, 98}};
        double[] x = Cholesky.solve(a, new double[] {-20, -43, 192});
        assertThat(x).containsExactly(new double[] {1, 2, 3}, within(1e-9));

        double[] flat = {4, 12, -16, 12, 37, -43, -16, -43, 98};
        assertThat(Cholesky.decompose(flat, 3)).isTrue();
        assertThat(new double[] {flat[0], flat[3], flat[4], flat[6], flat[7], flat[8]})
                .containsExactly(new double[] {2, 6, 1, -8, 5, 3}, within(1e-12));
    }

    @Test
    void readsOnlyTheLowerTriangle() {
        double[] a = {4, 999, 2, 3}; // garbage above the diagonal must not matter
        assertThat(Cholesky.decompose(a, 2)).isTrue();
        double[] b = {2, 1};
        Cholesky.solve(a, 2, b);
        assertThat(b).containsExactly(new double[] {0.5, 0.0}, within(1e-12));
    }

    @Test
    void rejectsMatricesThatAreNotPositiveDefinite() {
        assertThat(Cholesky.decompose(new double[] {1, 2, 2, 1}, 2)).isFalse();
        assertThat(Cholesky.decompose(new double[] {0, 0, 0, 0}, 2)).isFalse();
        assertThatThrownBy(() -> Cholesky.solve(new double[][] {{1, 2}, {2, 1}}, new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive definite");
    }
}
