package io.desire.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CutoverTest {

    @Test
    void takesEpochMillisAndIsoInstantsWithOrWithoutOffset() {
        assertThat(Cutover.parse("1761955200000")).isEqualTo(1_761_955_200_000L);
        assertThat(Cutover.parse("2025-11-01T00:00:00Z")).isEqualTo(1_761_955_200_000L);
        assertThat(Cutover.parse(" 2025-11-01T01:00:00+01:00 ")).isEqualTo(1_761_955_200_000L);
    }

    @Test
    void refusesAnythingElseNamingTheKey() {
        assertThatThrownBy(() -> Cutover.parse("yesterday"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("history.cutover")
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void theBackfillFallsBackToItsStartButTheHybridJobRequiresOne() {
        JobConfig none = JobConfig.of(Map.of(ConfigKeys.HISTORY_INPUT.name(), "/data"));
        assertThat(Cutover.of(none, 42L)).isEqualTo(42L);
        assertThatThrownBy(() -> Cutover.required(none))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("history.cutover");
    }
}
