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
                .hasMessageContaining("recs.coalesce")
                .hasMessageContaining("soon")
                .hasMessageContaining("250ms");
        assertThatThrownBy(() -> cfg.getInt(ConfigKeys.TOP_K, 1, 200))
                .hasMessageContaining("recs.top-k")
                .hasMessageContaining("[1, 200]");
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
        JobConfig cfg = JobConfig.fromArgs(
                new String[] {"--es.username", "app"},
                Map.of("DESIRE_ES_PASSWORD", "hunter2", "DESIRE_ES_API_KEY", "c2VjcmV0"));
        assertThat(cfg.getOptional(ConfigKeys.ES_PASSWORD)).isEqualTo("hunter2");
        assertThat(cfg.describe())
                .contains("es.username=app")
                .doesNotContain("hunter2")
                .doesNotContain("c2VjcmV0");
    }

    @Test
    void learningKeysHaveTheirDocumentedDefaults() {
        JobConfig cfg = JobConfig.defaults();
        assertThat(cfg.getBoolean(ConfigKeys.LEARNING_ENABLED)).isTrue();
        assertThat(cfg.getString(ConfigKeys.TOPIC_ITEM_FACTORS)).isEqualTo("desire.item-factors");
        assertThat(cfg.getString(ConfigKeys.TOPIC_RANKER_WEIGHTS)).isEqualTo("desire.ranker-weights");
        assertThat(cfg.getChoice(ConfigKeys.ALS_MODE, "implicit", "explicit")).isEqualTo("implicit");
        assertThat(cfg.getInt(ConfigKeys.ALS_RANK, 1, 256)).isEqualTo(10);
        assertThat(cfg.getDouble(ConfigKeys.ALS_LAMBDA, 0, Double.MAX_VALUE)).isEqualTo(0.1);
        assertThat(cfg.getDouble(ConfigKeys.ALS_ALPHA, 0, Double.MAX_VALUE)).isEqualTo(1.0);
        assertThat(cfg.getInt(ConfigKeys.ALS_CANDIDATES, 0, 1000)).isEqualTo(50);
        assertThat(cfg.getDuration(ConfigKeys.ALS_UPDATE_INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThat(cfg.getChoice(ConfigKeys.RANKER_LABELS, "sampled", "impressions", "both"))
                .isEqualTo("sampled");
        assertThat(cfg.getInt(ConfigKeys.RANKER_NEGATIVES, 0, 100)).isEqualTo(4);
        assertThat(cfg.getInt(ConfigKeys.RANKER_BITS, 1, 30)).isEqualTo(20);
        assertThat(cfg.getDuration(ConfigKeys.FEEDBACK_WINDOW)).isEqualTo(Duration.ofMinutes(30));
        assertThat(cfg.getDuration(ConfigKeys.COVISIT_HALF_LIFE)).isEqualTo(Duration.ofDays(7));
        assertThat(ConfigKeys.LEARNING_ENABLED.envName()).isEqualTo("DESIRE_LEARNING_ENABLED");
    }

    @Test
    void booleansAreTrueOrFalseOnly() {
        assertThat(JobConfig.of(Map.of("learning.enabled", " FALSE ")).getBoolean(ConfigKeys.LEARNING_ENABLED))
                .isFalse();
        assertThat(JobConfig.of(Map.of("learning.enabled", "True")).getBoolean(ConfigKeys.LEARNING_ENABLED))
                .isTrue();
        for (String bad : new String[] {"yes", "0", "", "flase"}) {
            JobConfig cfg = JobConfig.of(Map.of("learning.enabled", bad));
            assertThatThrownBy(() -> cfg.getBoolean(ConfigKeys.LEARNING_ENABLED))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("learning.enabled")
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("true or false");
        }
    }

    @Test
    void choicesIgnoreCaseAndNameTheAlternatives() {
        JobConfig cfg = JobConfig.of(Map.of("als.mode", " Explicit", "ranker.labels", "clicks"));
        assertThat(cfg.getChoice(ConfigKeys.ALS_MODE, "implicit", "explicit")).isEqualTo("explicit");
        assertThatThrownBy(() -> cfg.getChoice(ConfigKeys.RANKER_LABELS, "sampled", "impressions", "both"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ranker.labels")
                .hasMessageContaining("'clicks'")
                .hasMessageContaining("sampled, impressions, both");
    }

    @Test
    void boundedDoublesNameTheirRange() {
        JobConfig cfg = JobConfig.of(Map.of("als.lambda", "-0.5", "als.alpha", "NaN"));
        assertThatThrownBy(() -> cfg.getDouble(ConfigKeys.ALS_LAMBDA, 0, 1e6))
                .hasMessageContaining("als.lambda")
                .hasMessageContaining("-0.5")
                .hasMessageContaining("[0.0, 1000000.0]");
        assertThatThrownBy(() -> cfg.getDouble(ConfigKeys.ALS_ALPHA, 0, 1e6))
                .hasMessageContaining("als.alpha")
                .hasMessageContaining("finite");
    }

    @Test
    void theArmSampleIsAutoOrAShareOfUsers() {
        assertThat(io.desire.jobs.RecommendationPipeline.armSample(JobConfig.defaults()))
                .as("auto: decided by recs.serve")
                .isNull();
        assertThat(io.desire.jobs.RecommendationPipeline.armSample(JobConfig.of(Map.of("recs.arm-sample", " 0.25"))))
                .isEqualTo(0.25);
        for (String bad : new String[] {"1.5", "-0.1", "some", "NaN"}) {
            assertThatThrownBy(() -> io.desire.jobs.RecommendationPipeline.armSample(
                            JobConfig.of(Map.of("recs.arm-sample", bad))))
                    .as(bad)
                    .hasMessageContaining("recs.arm-sample")
                    .hasMessageContaining(bad)
                    .hasMessageContaining("auto or a share of users in [0, 1]");
        }
        // Refused when the job is built, with or without learning (without it there are no arms).
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment();
        var raw = env.fromData(new io.desire.features.event.RawRecord());
        assertThatThrownBy(() -> io.desire.jobs.RecommendationPipeline.build(
                        raw, JobConfig.of(Map.of("recs.arm-sample", "half", "learning.enabled", "false"))))
                .hasMessageContaining("recs.arm-sample");
    }

    @Test
    void theReadmeTableListsEveryKeyOnceWithItsDefault() {
        String table = ConfigKeys.markdownTable();
        for (ConfigKeys.Key k : ConfigKeys.ALL) {
            assertThat(table).containsOnlyOnce("| `" + k.name() + "` |");
        }
        assertThat(table).contains("| `ranker.bits` | `20` | hashed feature space 2^bits");
        assertThat(table).doesNotContain("\n\n");
    }

    @Test
    void tellsAGivenValueFromADefaultEvenWhenTheyAreEqual() {
        JobConfig cfg = JobConfig.fromArgs(new String[] {"--recs.coalesce", "200ms"}, Map.of());
        assertThat(cfg.isSet(ConfigKeys.COALESCE)).isTrue();
        assertThat(cfg.getString(ConfigKeys.COALESCE)).isEqualTo(ConfigKeys.COALESCE.defaultValue());
        assertThat(cfg.isSet(ConfigKeys.CHECKPOINT_INTERVAL)).isFalse();
    }
}
