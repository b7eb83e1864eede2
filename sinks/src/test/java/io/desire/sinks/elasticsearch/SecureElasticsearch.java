package io.desire.sinks.elasticsearch;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The TLS proxy in front of the local Elasticsearch node that {@code bin/desire test} (or {@code
 * bin/desire start --secure}) runs: its URLs and the generated CA, trust store and secrets, read
 * from the home passed as {@code -Ddesire.it.secure.home} (or {@code DESIRE_HOME}).
 */
final class SecureElasticsearch {
    final Path secure;
    /** https URL of the proxy presenting a valid certificate. */
    final String url;
    /** https URL of the same proxy presenting a certificate that expired in 2020. */
    final String expiredUrl;

    private SecureElasticsearch(Path home, Properties ports) {
        this.secure = home.resolve("secure");
        this.url = "https://127.0.0.1:" + ports.getProperty("ES_PROXY_PORT");
        this.expiredUrl = "https://127.0.0.1:" + ports.getProperty("ES_PROXY_EXPIRED_PORT");
    }

    /** The proxy of the test home; fails naming {@code test} and how to run it when there is none. */
    static SecureElasticsearch find(String test) throws IOException {
        String home = System.getProperty("desire.it.secure.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("DESIRE_HOME");
        }
        Path ports = home == null ? null : Path.of(home, "ports.env");
        Properties p = new Properties();
        if (ports != null && Files.isRegularFile(ports)) {
            try (Reader in = Files.newBufferedReader(ports)) {
                p.load(in);
            }
        }
        if (p.getProperty("ES_PROXY_PORT", "").isBlank()
                || !Files.isRegularFile(Path.of(home, "secure", ".complete"))) {
            throw new IllegalStateException(test + " needs the TLS proxy in front of Elasticsearch: run it with"
                    + " `bin/desire test -pl sinks`, or start one with `bin/desire start --secure` and pass"
                    + " -Ddesire.it.secure.home=<its DESIRE_HOME>");
        }
        return new SecureElasticsearch(Path.of(home), p);
    }

    String user() throws IOException {
        return read("es-user");
    }

    String password() throws IOException {
        return read("es-password");
    }

    String apiKey() throws IOException {
        return read("es-api-key");
    }

    String trustStorePassword() throws IOException {
        return read("truststore.password");
    }

    Path caCertificate() {
        return secure.resolve("ca.pem");
    }

    Path trustStore() {
        return secure.resolve("truststore.p12");
    }

    private String read(String file) throws IOException {
        return Files.readString(secure.resolve(file), StandardCharsets.UTF_8).strip();
    }
}
