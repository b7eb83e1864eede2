package io.desire.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    @Test
    void defaultsWorkOutOfTheBox() {
        JobConfig cfg = JobConfig.defaults();
        assertThat(cfg.getString(ConfigKeys.KAFKA_TOPIC)).isEqualTo("desire.events");
        assertThat(cfg.getDuration(ConfigKeys.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(cfg.getInt(ConfigKeys.TOP_K, 1, 200)).isEqualTo(10);
        assertThat(cfg.getOptional(ConfigKeys.ES_PASSWORD)).isNull();
    }

    @Test
    void argumentsOverrideFileOverridesEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, "kafka.topic=from-file\nrecs.top-k=20\n");
        JobConfig cfg = JobConfig.fromArgs(
                new String[] {"--config", file.toString(), "--recs.top-k", "30", "--es.index=shop-recs"},
                Map.of("DESIRE_KAFKA_TOPIC", "from-env", "DESIRE_KAFKA_GROUP", "env-group"));
        assertThat(cfg.getString(ConfigKeys.KAFKA_TOPIC)).isEqualTo("from-file");
        assertThat(cfg.getString(ConfigKeys.KAFKA_GROUP)).isEqualTo("env-group");
        assertThat(cfg.getInt(ConfigKeys.TOP_K, 1, 200)).isEqualTo(30);
        assertThat(cfg.getString(ConfigKeys.ES_INDEX)).isEqualTo("shop-recs");
    }

    @Test
    void unknownKeysAreRefusedWithTheListOfKnownOnes() {
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--kafka.topik", "x"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.topik")
                .hasMessageContaining("kafka.topic");
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        JobConfig cfg = JobConfig.of(Map.of("recs.coalesce", "soon", "recs.top-k", "0"));
        assertThatThrownBy(() -> cfg.getDuration(ConfigKeys.COALESCE))
                .hasMessageContaining("recs.coalesce").hasMessageContaining("soon").hasMessageContaining("250ms");
        assertThatThrownBy(() -> cfg.getInt(ConfigKeys.TOP_K, 1, 200))
                .hasMessageContaining("recs.top-k").hasMessageContaining("[1, 200]");
        assertThatThrownBy(() -> JobConfig.fromArgs(new String[] {"--parallelism"}, Map.of()))
                .hasMessageContaining("Missing value for --parallelism");
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertThat(JobConfig.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(JobConfig.parseDuration("5min")).isEqualTo(Duration.ofMinutes(5));
        assertThat(JobConfig.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(JobConfig.parseDuration("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThat(JobConfig.parseDuration("3 fortnights")).isNull();
    }

    @Test
    void secretsNeverAppearInTheDescription() {
        JobConfig cfg = JobConfig.fromArgs(new String[] {"--es.username", "app"},
                Map.of("DESIRE_ES_PASSWORD", "hunter2", "DESIRE_ES_API_KEY", "c2VjcmV0"));
        assertThat(cfg.getOptional(ConfigKeys.ES_PASSWORD)).isEqualTo("hunter2");
        assertThat(cfg.describe()).contains("es.username=app").doesNotContain("hunter2").doesNotContain("c2VjcmV0");
    }
}
