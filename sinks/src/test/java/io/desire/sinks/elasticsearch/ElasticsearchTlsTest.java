package io.desire.sinks.elasticsearch;

import static io.desire.sinks.elasticsearch.StubElasticsearch.bulkIds;
import static io.desire.sinks.elasticsearch.StubElasticsearch.bulkResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.recs.Recommendation;
import io.desire.sinks.elasticsearch.StubElasticsearch.Response;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https hosts: trusted through a CA certificate or trust store, refused otherwise with a clear message. */
class ElasticsearchTlsTest {

    private StubElasticsearch stub;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        stub = new StubElasticsearch(true);
        stub.respond(r -> new Response(
                200, bulkResponse(bulkIds(r).stream().map(StubElasticsearch::ok).toArray(String[]::new))));
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void caCertificateInPemIsTrusted() throws Exception {
        writeOne(b -> b.setCaCertificate(StubElasticsearch.resource("stub-es-ca.pem")));
        assertThat(stub.requests("/_bulk")).hasSize(1);
    }

    @Test
    void trustStoreIsTrusted() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var in = Files.newInputStream(StubElasticsearch.resource("stub-es-ca.pem"))) {
            store.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path file = tmp.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "pw".toCharArray());
        }
        writeOne(b -> b.setTrustStore(file, "pw"));
        assertThat(stub.requests("/_bulk")).hasSize(1);
    }

    @Test
    void insecureTrustAllAcceptsAnyCertificate() throws Exception {
        writeOne(b -> b.setInsecureTrustAll(true));
        assertThat(stub.requests("/_bulk")).hasSize(1);
    }

    @Test
    void untrustedCertificateFailsNamingTls() {
        assertThatThrownBy(() -> writeOne(b -> {}))
                .isInstanceOf(ElasticsearchSinkException.class)
                .hasMessageContaining("TLS with Elasticsearch at " + stub.url() + " failed")
                .hasMessageContaining("CA certificate or trust store");
        assertThat(stub.requests()).isEmpty();
    }

    private void writeOne(Consumer<ElasticsearchSinkBuilder<Recommendation>> tls) throws Exception {
        ElasticsearchSinkBuilder<Recommendation> builder =
                RecommendationDocuments.sinkBuilder().setHosts(stub.url());
        tls.accept(builder);
        ElasticsearchSinkConfig config = builder.build().config();
        try (ElasticsearchWriter<Recommendation> writer = new ElasticsearchWriter<>(
                config,
                new RecommendationDocuments(),
                IndexBootstrap.NONE,
                ElasticsearchClients.create(config),
                new TestMetricGroup(),
                new TestProcessingTimeService(),
                d -> {})) {
            writer.write(ElasticsearchWriterTest.rec("u1", 1L), null);
            writer.flush(true);
        }
    }
}
