package io.desire.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @Test
    void aSecretComesFromItsFileWithoutTheTrailingLineBreak(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("es-password");
        Files.writeString(file, "s3cret value\n");
        JobConfig cfg = JobConfig.of(Map.of(ConfigKeys.ES_PASSWORD_FILE.name(), file.toString()));
        assertThat(Secrets.read(cfg, ConfigKeys.ES_PASSWORD, ConfigKeys.ES_PASSWORD_FILE))
                .isEqualTo("s3cret value");
    }

    @Test
    void aSecretComesFromTheEnvironment() {
        JobConfig cfg = JobConfig.fromArgs(new String[0], Map.of("DESIRE_ES_API_KEY", "a2V5"));
        assertThat(Secrets.read(cfg, ConfigKeys.ES_API_KEY, ConfigKeys.ES_API_KEY_FILE))
                .isEqualTo("a2V5");
        assertThat(cfg.describe()).doesNotContain("a2V5");
    }

    @Test
    void neitherSetIsNull() {
        assertThat(Secrets.read(JobConfig.defaults(), ConfigKeys.ES_PASSWORD, ConfigKeys.ES_PASSWORD_FILE))
                .isNull();
    }

    @Test
    void bothSetIsRefusedWithoutShowingTheSecret(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "from-file");
        JobConfig cfg = JobConfig.of(Map.of(
                ConfigKeys.ES_PASSWORD.name(), "given-value", ConfigKeys.ES_PASSWORD_FILE.name(), file.toString()));
        assertThatThrownBy(() -> Secrets.read(cfg, ConfigKeys.ES_PASSWORD, ConfigKeys.ES_PASSWORD_FILE))
                .hasMessageContaining("es.password")
                .hasMessageContaining("es.password-file")
                .message()
                .doesNotContain("given-value")
                .doesNotContain("from-file");
    }

    @Test
    void aMissingOrEmptyFileIsNamed(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> Secrets.read(
                        JobConfig.of(Map.of(ConfigKeys.ES_API_KEY_FILE.name(), empty.toString())),
                        ConfigKeys.ES_API_KEY,
                        ConfigKeys.ES_API_KEY_FILE))
                .hasMessageContaining("es.api-key-file " + empty + " is empty");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> Secrets.read(
                        JobConfig.of(Map.of(ConfigKeys.ES_API_KEY_FILE.name(), missing.toString())),
                        ConfigKeys.ES_API_KEY,
                        ConfigKeys.ES_API_KEY_FILE))
                .hasMessageContaining("Cannot read es.api-key-file " + missing);
    }
}
