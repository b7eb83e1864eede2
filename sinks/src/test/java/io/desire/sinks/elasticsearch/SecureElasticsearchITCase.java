package io.desire.sinks.elasticsearch;

import static io.desire.sinks.elasticsearch.LocalElasticsearch.recommendation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.desire.features.recs.Recommendation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Elasticsearch sink through a real TLS-terminating proxy that demands credentials (nginx in
 * front of the local node, started by {@code bin/desire test}): a wrong password, a wrong API key,
 * an unknown CA and an expired server certificate each fail the job with a message that says which,
 * and once fixed every document arrives — with basic auth or an API key, trusting the server through
 * a CA file or a trust store. The secrets never reach the logs.
 */
class SecureElasticsearchITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final long T0 = 1_714_586_400_000L; // 2024-05-01T18:00:00Z
    private static final int DOCUMENTS = 200;
    private static final Path LOG = Path.of("target", "test-logs", "sinks.log");

    private static SecureElasticsearch proxy;
    private static String esUrl;
    private String alias;

    @BeforeAll
    static void findServers() throws Exception {
        proxy = SecureElasticsearch.find("SecureElasticsearchITCase");
        esUrl = LocalElasticsearch.url("SecureElasticsearchITCase");
    }

    @BeforeEach
    void uniqueAlias() {
        alias = "it-secure-"
                + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36)
                        .toLowerCase(Locale.ROOT);
    }

    @AfterEach
    void removeIndices() throws Exception {
        LocalElasticsearch.request(esUrl, "DELETE", "/" + alias + "-*", null);
        LocalElasticsearch.request(esUrl, "DELETE", "/_index_template/" + alias, null);
    }

    @Test
    void wrongPasswordFailsNamingTheUserAndNothingIsLostOnceFixed() throws Exception {
        String wrong = "not-" + proxy.password();
        Throwable failure = catchThrowable(() ->
                run(proxy.url, b -> b.setBasicAuth(proxy.user(), wrong).setCaCertificate(proxy.caCertificate())));
        assertThat(messages(failure))
                .contains("Elasticsearch authentication failed for user '" + proxy.user() + "' at " + proxy.url)
                .contains("HTTP 401: wrong or missing credentials")
                .doesNotContain(wrong);
        assertThat(documents()).isZero();

        // fixed: basic auth with the right password, the server trusted through the CA file
        run(proxy.url, b -> b.setBasicAuth(proxy.user(), proxy.password()).setCaCertificate(proxy.caCertificate()));
        assertEveryDocumentArrived();
    }

    @Test
    void wrongApiKeyFailsAndNothingIsLostOnceFixed() throws Exception {
        String wrong = Base64.getEncoder().encodeToString("someone:else".getBytes(StandardCharsets.UTF_8));
        Throwable failure =
                catchThrowable(() -> run(proxy.url, b -> b.setApiKey(wrong).setCaCertificate(proxy.caCertificate())));
        assertThat(messages(failure))
                .contains("Elasticsearch authentication failed for the configured API key")
                .doesNotContain(wrong);
        assertThat(documents()).isZero();

        // fixed: the right key, and the server trusted through a trust store this time
        run(proxy.url, b -> b.setApiKey(proxy.apiKey()).setTrustStore(proxy.trustStore(), proxy.trustStorePassword()));
        assertEveryDocumentArrived();
    }

    @Test
    void unknownCaFailsNamingTlsAndNothingIsLostOnceFixed() throws Exception {
        Path otherCa = StubElasticsearch.resource("stub-es-ca.pem");
        Throwable failure = catchThrowable(() -> run(
                proxy.url, b -> b.setBasicAuth(proxy.user(), proxy.password()).setCaCertificate(otherCa)));
        assertThat(messages(failure))
                .contains("TLS with Elasticsearch at " + proxy.url + " failed")
                .contains("check the CA certificate or trust store");
        assertThat(documents()).isZero();

        run(proxy.url, b -> b.setBasicAuth(proxy.user(), proxy.password()).setCaCertificate(proxy.caCertificate()));
        assertEveryDocumentArrived();
    }

    @Test
    void expiredServerCertificateFailsSayingSoAndNothingIsLostOnceRenewed() throws Exception {
        Throwable failure = catchThrowable(() -> run(
                proxy.expiredUrl,
                b -> b.setBasicAuth(proxy.user(), proxy.password()).setCaCertificate(proxy.caCertificate())));
        assertThat(messages(failure))
                .contains("TLS with Elasticsearch at " + proxy.expiredUrl + " failed")
                .contains("the server's certificate has expired");
        assertThat(documents()).isZero();

        // renewed: the same proxy, presenting its valid certificate
        run(proxy.url, b -> b.setBasicAuth(proxy.user(), proxy.password()).setCaCertificate(proxy.caCertificate()));
        assertEveryDocumentArrived();
    }

    /** Runs last of all (JUnit's class-level teardown): every failure above was logged, no secret was. */
    @AfterAll
    static void noSecretInTheLogs() throws Exception {
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        // the failures were logged (with stack traces), so the search below is not of an empty file
        assertThat(log).contains("Elasticsearch authentication failed");
        String basic = Base64.getEncoder()
                .encodeToString((proxy.user() + ':' + proxy.password()).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(proxy.password(), basic, proxy.apiKey(), proxy.trustStorePassword())) {
            assertThat(log).as("a secret in %s", LOG).doesNotContain(secret);
        }
    }

    private interface Settings extends UnaryOperator<ElasticsearchSinkBuilder<Recommendation>> {
        ElasticsearchSinkBuilder<Recommendation> set(ElasticsearchSinkBuilder<Recommendation> b) throws Exception;

        @Override
        default ElasticsearchSinkBuilder<Recommendation> apply(ElasticsearchSinkBuilder<Recommendation> b) {
            try {
                return set(b);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Writes the test's documents through {@code host} with a Flink job, the sink set up by {@code settings}. */
    private void run(String host, Settings settings) throws Exception {
        List<Recommendation> recs = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            recs.add(recommendation("u" + i, "u33d", "evening", "mobile", T0 + i, "i" + i, "i" + (i + 1)));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData(recs)
                .sinkTo(settings.apply(
                                RecommendationDocuments.sinkBuilder(alias, 0).setHosts(host))
                        .build())
                .name("elasticsearch");
        env.execute("secure-es-itcase");
    }

    private void assertEveryDocumentArrived() throws Exception {
        assertThat(documents()).isEqualTo(DOCUMENTS);
        Recommendation last =
                recommendation("u" + (DOCUMENTS - 1), "u33d", "evening", "mobile", T0 + DOCUMENTS - 1, "x");
        var doc = LocalElasticsearch.request(esUrl, "GET", "/" + alias + "/_doc/" + last.documentId(), null)
                .body();
        assertThat(doc.path("_version").asLong()).isEqualTo(T0 + DOCUMENTS - 1);
    }

    /** Documents behind the alias, counted on the node itself (0 when the alias does not exist yet). */
    private long documents() throws Exception {
        LocalElasticsearch.request(esUrl, "POST", "/" + alias + "/_refresh", null);
        var reply = LocalElasticsearch.request(esUrl, "GET", "/" + alias + "/_count", null);
        return reply.status() == 404 ? 0 : reply.body().path("count").asLong();
    }

    /** Every message of {@code failure}'s cause chain, one per line. */
    private static String messages(Throwable failure) {
        assertThat(failure).as("the job failed").isNotNull();
        StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            sb.append(t.getClass().getName())
                    .append(": ")
                    .append(t.getMessage())
                    .append('\n');
        }
        return sb.toString();
    }
}
