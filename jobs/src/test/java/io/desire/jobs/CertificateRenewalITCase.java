package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A running job whose Elasticsearch presents an expired certificate fails with a message that says
 * so and keeps restarting; once the certificate is renewed on the server (the nginx proxy reloads
 * it), the job's next attempt writes every document, without being submitted again.
 */
class CertificateRenewalITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOG = Path.of("target", "test-logs", "jobs.log");
    private static final long T0 = TestEvents.T0;
    private static final int DOCUMENTS = 100;

    private final String alias = "it-renewal-" + Long.toString(System.nanoTime(), 36);

    @Test
    void theJobWritesEveryDocumentOnceTheServerCertificateIsRenewed() throws Exception {
        SecureKafka secure = SecureKafka.find("CertificateRenewalITCase");
        JobConfig cfg = JobConfig.of(Map.of(
                ConfigKeys.ES_HOSTS.name(),
                secure.esRenewableUrl,
                ConfigKeys.ES_USERNAME.name(),
                "desire_writer",
                ConfigKeys.ES_PASSWORD_FILE.name(),
                secure.secure.resolve("es-password").toString(),
                ConfigKeys.ES_CA_CERT.name(),
                secure.secure.resolve("ca.pem").toString(),
                ConfigKeys.ES_INDEX.name(),
                alias));
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1000);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.fromData(recommendations()).sinkTo(OutputSinks.recommendations(cfg)).name("elasticsearch");

        String expired =
                "TLS with Elasticsearch at " + secure.esRenewableUrl + " failed: the server's certificate has expired";
        JobClient job = env.executeAsync("certificate-renewal-itcase");
        try {
            Eventually.poll(
                    Duration.ofSeconds(90),
                    () -> Files.readString(LOG, StandardCharsets.UTF_8),
                    log -> log.contains(expired));
            assertThat(DocumentCounts.total(alias)).isZero();

            secure.renewCertificate();
            job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        } finally {
            secure.expireCertificate();
            if (!job.getJobStatus().get().isTerminalState()) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(DocumentCounts.total(alias)).isEqualTo(DOCUMENTS);
    }

    private static List<Recommendation> recommendations() {
        List<Recommendation> recs = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            RankedItem[] items = {new RankedItem("i" + i, 1.0, "cat", new String[] {"popular"})};
            recs.add(Recommendation.upsert("u" + i, "u09tv", "evening", "mobile", items, T0 + i, T0 + i + 250, "m-1"));
        }
        return recs;
    }
}
