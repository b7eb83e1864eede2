package io.desire.operators.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.desire.features.als.AlsParams;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlsConfigTest {

    @Test
    void defaultsAreImplicitRankTenWithOneSecondInterval() {
        AlsConfig c = AlsConfig.defaults();
        assertThat(c.rank()).isEqualTo(10);
        assertThat(c.implicit()).isTrue();
        assertThat(c.updateIntervalMillis()).isEqualTo(1_000L);
        assertThat(c.maxRecentInteractions()).isEqualTo(50);
        assertThat(c.params().ridge(3)).isCloseTo(0.3, within(1e-12));
    }

    @Test
    void invalidSettingsAreRejectedWithWhatIsAllowed() {
        assertThatThrownBy(() -> AlsConfig.builder().rank(0)).hasMessage("rank must be in [1, 256], got 0");
        assertThatThrownBy(() -> AlsConfig.builder().lambda(-1)).hasMessage("lambda must be finite and ≥ 0, got -1.0");
        assertThatThrownBy(() -> AlsConfig.builder().implicit(Double.NaN))
                .hasMessage("alpha must be finite and ≥ 0, got NaN");
        assertThatThrownBy(() -> AlsConfig.builder().updateInterval(Duration.ZERO))
                .hasMessage("updateInterval must be at least 1 ms, got PT0S");
        assertThatThrownBy(() -> AlsConfig.builder().maxRecentInteractions(0))
                .hasMessage("maxRecentInteractions must be in [1, 1000], got 0");
        assertThatThrownBy(() -> AlsConfig.builder().itemLearningRate(1.5))
                .hasMessage("itemLearningRate must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> AlsConfig.builder().userStateTtl(null))
                .hasMessage("userStateTtl must be a positive duration, got null");
        assertThatThrownBy(() -> AlsConfig.builder().maxNorm(0.05).build())
                .hasMessage("initScale (0.1) must not exceed maxNorm (0.05)");
    }

    @Test
    void continuesFromBatchParameters() {
        AlsParams batch = AlsParams.defaults()
                .withRank(16)
                .withLambda(0.02)
                .withImplicit(4.0)
                .withSeed(9);
        AlsConfig c = AlsConfig.builder().params(batch).build();
        assertThat(c.params()).isEqualTo(batch.withIterations(1).withThreads(1));
    }

    @Test
    void initialItemVectorsAreDeterministicSmallAndDistinct() {
        AlsConfig c = AlsConfig.defaults();
        double[] a = c.initialItemVector("item-1");
        assertThat(AlsConfig.builder().build().initialItemVector("item-1")).containsExactly(a);
        assertThat(c.initialItemVector("item-2")).isNotEqualTo(a);
        assertThat(AlsConfig.builder().seed(1).build().initialItemVector("item-1"))
                .isNotEqualTo(a);
        double norm = 0;
        for (double v : a) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(AlsConfig.DEFAULT_INIT_SCALE, within(1e-12));
    }
}
