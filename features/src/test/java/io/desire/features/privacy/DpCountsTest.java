package io.desire.features.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Empirical checks of the published counts: unbiased above the threshold, suppressed below it. */
class DpCountsTest {
    private static final DpParams DEFAULTS = new DpParams(1.0, 1e-5, 1);

    @Test
    void thresholdOfTheDefaultsIsAbout23DistinctUsers() {
        assertThat(DEFAULTS.noiseScale()).isEqualTo(2.0);
        assertThat(DEFAULTS.threshold()).isBetween(22.0, 23.5);
        // more contributions per user or a smaller budget ask for more users
        assertThat(new DpParams(1.0, 1e-5, 3).threshold()).isGreaterThan(DEFAULTS.threshold() * 3);
        assertThat(new DpParams(0.5, 1e-5, 1).threshold()).isGreaterThan(new DpParams(2, 1e-5, 1).threshold());
    }

    @Test
    void refusesBudgetsOutsideTheirRangeByKeyName() {
        assertThatThrownBy(() -> new DpParams(0, 1e-5, 1)).hasMessageContaining("privacy.dp.epsilon");
        assertThatThrownBy(() -> new DpParams(1, 0.5, 1)).hasMessageContaining("privacy.dp.delta");
        assertThatThrownBy(() -> new DpParams(1, 1e-5, 0)).hasMessageContaining("privacy.dp.max-contributions");
    }

    @Test
    void noiseHasMeanZeroAndTheDiscreteLaplaceVariance() {
        DiscreteLaplace noise = new DiscreteLaplace(new Random(7));
        double b = 2.0;
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            long x = noise.sample(b);
            sum += x;
            sumSq += (double) x * x;
        }
        double q = Math.exp(-1 / b);
        double variance = 2 * q / ((1 - q) * (1 - q));
        assertThat(sum / n).isCloseTo(0.0, within(4 * Math.sqrt(variance / n)));
        assertThat(sumSq / n).isCloseTo(variance, within(0.05 * variance));
    }

    @Test
    void publishedCountsAreUnbiasedAboveTheThreshold() {
        DpCounts dp = new DpCounts(DEFAULTS, new DiscreteLaplace()); // SecureRandom, as in the job
        long truth = 60;
        int trials = 40_000;
        double sum = 0;
        int published = 0;
        for (int i = 0; i < trials; i++) {
            List<DpCounts.Released> r = dp.release(List.of("a"), new long[] {truth});
            if (!r.isEmpty()) {
                published++;
                sum += r.get(0).count();
            }
        }
        assertThat(published).isEqualTo(trials); // 60 is 37 above τ: missing it has probability < 1e-8
        double sd = Math.sqrt(2 * Math.exp(-0.5) / Math.pow(1 - Math.exp(-0.5), 2));
        assertThat(sum / published).isCloseTo(truth, within(5 * sd / Math.sqrt(trials)));
    }

    @Test
    void itemsFewUsersHoldAreSuppressedAtTheRateDeltaAllows() {
        DpCounts dp = new DpCounts(DEFAULTS, new DiscreteLaplace(new Random(11)));
        int trials = 200_000;
        long[] counts = {1, 5, 10, 23, 80};
        int[] published = new int[counts.length];
        List<String> items = List.of("u1", "u5", "u10", "u23", "u80");
        for (int i = 0; i < trials; i++) {
            for (DpCounts.Released r : dp.release(items, counts)) {
                published[items.indexOf(r.item())]++;
            }
        }
        double b = DEFAULTS.noiseScale();
        double tau = DEFAULTS.threshold();
        // one user alone: at most δ (the continuous bound ½·e^{−(τ−1)/b} ≥ the discrete rate)
        assertThat(published[0] / (double) trials).isLessThanOrEqualTo(3 * DEFAULTS.delta());
        // few users: far below half, as the Laplace tail says
        assertThat(published[1] / (double) trials).isLessThan(3 * 0.5 * Math.exp(-(tau - 5) / b));
        assertThat(published[2] / (double) trials).isLessThan(3 * 0.5 * Math.exp(-(tau - 10) / b));
        // at the threshold about half, well above it always
        assertThat(published[3] / (double) trials).isBetween(0.4, 0.75);
        assertThat(published[4]).isEqualTo(trials);
    }
}
