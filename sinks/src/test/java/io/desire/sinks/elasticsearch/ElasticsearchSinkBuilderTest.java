package io.desire.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.recs.Recommendation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builder defaults and the messages of rejected settings. */
class ElasticsearchSinkBuilderTest {

    @TempDir
    Path tmp;

    private static ElasticsearchSinkBuilder<Recommendation> builder() {
        return RecommendationDocuments.sinkBuilder();
    }

    @Test
    void defaultsAreTheNamedConstants() {
        ElasticsearchSinkConfig c =
                builder().setHosts("http://127.0.0.1:9200").build().config();
        assertThat(c.hosts).containsExactly("http://127.0.0.1:9200");
        assertThat(c.bulkFlushMaxActions).isEqualTo(1000);
        assertThat(c.bulkFlushMaxSize).isEqualTo(MemorySize.parse("5mb"));
        assertThat(c.bulkFlushInterval).isEqualTo(Duration.ofMillis(200));
        assertThat(c.backoffInitialDelay).isEqualTo(Duration.ofMillis(100));
        assertThat(c.backoffMaxDelay).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.backoffMaxRetries).isEqualTo(8);
        assertThat(c.insecureTrustAll).isFalse();
        assertThat(c.username).isNull();
        assertThat(c.apiKey).isNull();
    }

    @Test
    void hostsMustBeHttpUrlsWithPort() {
        assertThatThrownBy(() -> builder().setHosts())
                .hasMessageContaining("At least one Elasticsearch host")
                .hasMessageContaining("http://host:port");
        for (String bad :
                new String[] {"127.0.0.1:9200", "ftp://h:21", "http://h", "http://h:9200/es", "http://u:p@h:9200", " "
                }) {
            assertThatThrownBy(() -> builder().setHosts(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected http://host:port or https://host:port");
        }
        assertThat(builder()
                        .setHosts("HTTPS://es.example:9243/", "http://b:9200")
                        .build()
                        .config()
                        .hosts)
                .containsExactly("https://es.example:9243", "http://b:9200");
        assertThatThrownBy(() -> RecommendationDocuments.sinkBuilder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No Elasticsearch host set");
    }

    @Test
    void basicAuthAndApiKeyExcludeEachOther() {
        assertThatThrownBy(() -> builder().setBasicAuth("u", "p").setApiKey("k"))
                .hasMessageContaining("either basic auth or an API key, not both");
        assertThatThrownBy(() -> builder().setApiKey("k").setBasicAuth("u", "p"))
                .hasMessageContaining("either basic auth or an API key, not both");
        assertThatThrownBy(() -> builder().setBasicAuth(" ", "p")).hasMessageContaining("non-blank user name");
        assertThatThrownBy(() -> builder().setBasicAuth("u", null)).hasMessageContaining("needs a password");
        assertThatThrownBy(() -> builder().setApiKey("")).hasMessageContaining("API key must be non-blank");
    }

    @Test
    void secretsNeverShowInToString() {
        ElasticsearchSink<Recommendation> sink = builder()
                .setHosts("http://h:9200")
                .setBasicAuth("writer", "pw-123")
                .build();
        assertThat(sink.toString()).contains("writer").doesNotContain("pw-123");
        ElasticsearchSink<Recommendation> keyed =
                builder().setHosts("http://h:9200").setApiKey("c2VjcmV0a2V5").build();
        assertThat(keyed.toString()).contains("apiKey").doesNotContain("c2VjcmV0a2V5");
    }

    @Test
    void tlsChoicesAreValidatedAndExclusive() throws Exception {
        Path missing = tmp.resolve("missing.pem");
        assertThatThrownBy(() -> builder().setCaCertificate(missing))
                .hasMessageContaining("CA certificate file " + missing + " does not exist");
        Path notPem = Files.writeString(tmp.resolve("ca.pem"), "hello");
        assertThatThrownBy(() -> builder().setCaCertificate(notPem)).hasMessageContaining("expected PEM");
        Path notStore = Files.writeString(tmp.resolve("trust.p12"), "hello");
        assertThatThrownBy(() -> builder().setTrustStore(notStore, "changeit"))
                .hasMessageContaining("cannot be opened as PKCS12");
        assertThatThrownBy(() -> builder().setInsecureTrustAll(true).setTrustStore(notStore, "x"))
                .hasMessageContaining("Choose one way to trust the server");
        assertThatThrownBy(() -> builder()
                        .setHosts("http://h:9200")
                        .setInsecureTrustAll(true)
                        .build())
                .hasMessageContaining("need at least one https:// host");
        assertThat(builder()
                        .setHosts("https://h:9200")
                        .setInsecureTrustAll(true)
                        .build()
                        .config()
                        .insecureTrustAll)
                .isTrue();
    }

    @Test
    void batchingAndBackoffMustBePositive() {
        assertThatThrownBy(() -> builder().setBulkFlushMaxActions(0)).hasMessageContaining("at least 1, got 0");
        assertThatThrownBy(() -> builder().setBulkFlushMaxSize(MemorySize.ZERO))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> builder().setBulkFlushInterval(Duration.ZERO))
                .hasMessageContaining("Bulk flush interval must be a positive duration");
        assertThatThrownBy(() -> builder().setBulkFlushMaxRetries(-1)).hasMessageContaining("0 (no retries) or more");
        assertThatThrownBy(() -> builder().setBulkConcurrency(0)).hasMessageContaining("between 1 and 16");
        assertThatThrownBy(() -> builder().setBulkConcurrency(17)).hasMessageContaining("got 17");
        assertThatThrownBy(() -> builder().setConnectTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("Connect timeout must be a positive");
        assertThatThrownBy(() -> builder()
                        .setHosts("http://h:9200")
                        .setBulkFlushBackoffInitialDelay(Duration.ofSeconds(10))
                        .build())
                .hasMessageContaining("must be at least the initial delay");
        assertThatThrownBy(() ->
                        ElasticsearchSink.builder().setHosts("http://h:9200").build())
                .hasMessageContaining("No emitter set");
    }

    @Test
    void sinkIsSerializable() throws Exception {
        ElasticsearchSink<Recommendation> sink =
                builder().setHosts("http://h:9200").setBasicAuth("u", "p").build();
        ElasticsearchSink<Recommendation> copy = InstantiationUtil.clone(sink);
        assertThat(copy.config().hosts).containsExactly("http://h:9200");
    }
}
