package io.desire.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

    private static final String SCRAM = "security.protocol=SASL_SSL\n"
            + "sasl.mechanism=SCRAM-SHA-512\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"desire\" password=\"${env:KAFKA_PW}\";\n"
            + "ssl.truststore.type=PEM\n"
            + "ssl.truststore.location=/etc/desire/ca.pem\n";

    @Test
    void unsetMeansAPlaintextClusterWithoutExtraSettings() {
        assertThat(KafkaClientSettings.of(JobConfig.defaults())).isEmpty();
    }

    @Test
    void readsTheFileAndTakesPasswordsFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, SCRAM);
        Properties p = KafkaClientSettings.load(file, Map.of("KAFKA_PW", "pa$$\\word"));
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.jaas.config")).endsWith("username=\"desire\" password=\"pa$$\\word\";");
        assertThat(KafkaClientSettings.saslUser(p)).isEqualTo("desire");
        assertThat(KafkaClientSettings.describe(p))
                .isEqualTo("SASL_SSL SCRAM-SHA-512 as user 'desire', settings [sasl.jaas.config, sasl.mechanism,"
                        + " security.protocol, ssl.truststore.location, ssl.truststore.type]")
                .doesNotContain("pa$$");
    }

    @Test
    void anUnsetEnvironmentVariableIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, SCRAM);
        assertThatThrownBy(() -> KafkaClientSettings.load(file, Map.of()))
                .hasMessageContaining("'sasl.jaas.config' refers to environment variable KAFKA_PW, which is not set");
    }

    @Test
    void settingsTheJobChoosesAreRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "bootstrap.servers=elsewhere:9093\n");
        JobConfig cfg = JobConfig.of(Map.of(ConfigKeys.KAFKA_PROPERTIES_FILE.name(), file.toString()));
        assertThatThrownBy(() -> KafkaClientSettings.of(cfg))
                .hasMessageContaining("sets 'bootstrap.servers', which the job sets itself (use kafka.bootstrap)");
    }

    @Test
    void theSharedSettingsGoOnTopOfEachClientsTuning() {
        Properties tuning = new Properties();
        tuning.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Properties client = new Properties();
        client.setProperty("security.protocol", "SSL");
        Properties merged = KafkaClientSettings.merged(tuning, client);
        assertThat(merged).containsEntry("compression.type", "lz4").containsEntry("security.protocol", "SSL");
        assertThat(tuning).doesNotContainKey("security.protocol");
    }

    @Test
    void startUpErrorsSayWhatFailedWithoutTheSecret() {
        Properties client = new Properties();
        client.setProperty("security.protocol", "SASL_SSL");
        client.setProperty("sasl.mechanism", "SCRAM-SHA-512");
        client.setProperty(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"desire\" password=\"pw\";");
        assertThat(KafkaConnectionCheck.message(
                        "k:9093", client, new SaslAuthenticationException("invalid credentials")))
                .startsWith("Kafka at k:9093 refused the credentials of user 'desire' (SCRAM-SHA-512)")
                .contains("kafka.properties-file")
                .doesNotContain("\"pw\"");
        assertThat(KafkaConnectionCheck.message(
                        "k:9093",
                        client,
                        new SslAuthenticationException("handshake", new RuntimeException("PKIX path building failed"))))
                .startsWith("TLS with Kafka at k:9093 failed: PKIX path building failed")
                .contains("ssl.truststore");
    }
}
