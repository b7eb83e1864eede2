package io.desire.jobs;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The SASL_SSL listener (SCRAM-SHA-512 over TLS) of the local Kafka broker and the TLS proxy in front
 * of Elasticsearch that {@code bin/desire test} (or {@code bin/desire start --secure}) runs, with the
 * generated client settings and secrets, read from the home passed as {@code
 * -Ddesire.it.secure.home} (or {@code DESIRE_HOME}).
 */
final class SecureKafka {
    /** The folder of the generated CA, certificates and secrets. */
    final Path secure;
    /** host:port of the SASL_SSL listener. */
    final String bootstrap;
    /** https URL of the Elasticsearch proxy. */
    final String esProxyUrl;
    /** https URL of the proxy's port whose certificate expired until {@link #renewCertificate()}. */
    final String esRenewableUrl;

    private final Path proxyDir;

    private SecureKafka(Path home, Properties ports) {
        this.secure = home.resolve("secure");
        this.proxyDir = home.resolve("es-proxy");
        this.esRenewableUrl = "https://127.0.0.1:" + ports.getProperty("ES_PROXY_RENEW_PORT");
        this.bootstrap = "127.0.0.1:" + ports.getProperty("KAFKA_SECURE_PORT");
        this.esProxyUrl = "https://127.0.0.1:" + ports.getProperty("ES_PROXY_PORT");
    }

    /** The secured services of the test home; fails naming {@code test} and how to run it when there are none. */
    static SecureKafka find(String test) throws IOException {
        String home = System.getProperty("desire.it.secure.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("DESIRE_HOME");
        }
        Properties p = new Properties();
        Path ports = home == null ? null : Path.of(home, "ports.env");
        if (ports != null && Files.isRegularFile(ports)) {
            try (Reader in = Files.newBufferedReader(ports)) {
                p.load(in);
            }
        }
        if (p.getProperty("KAFKA_SECURE_PORT", "").isBlank()
                || p.getProperty("ES_PROXY_PORT", "").isBlank()
                || !Files.isRegularFile(Path.of(home, "secure", "kafka-client.properties"))) {
            throw new IllegalStateException(test + " needs Kafka's SASL_SSL listener and the Elasticsearch TLS proxy:"
                    + " run it with `bin/desire test -pl jobs`, or start them with `bin/desire start --secure` and pass"
                    + " -Ddesire.it.secure.home=<its DESIRE_HOME>");
        }
        return new SecureKafka(Path.of(home), p);
    }

    /** The client settings file (kafka.properties-file) of the generated SCRAM user. */
    Path clientProperties() {
        return secure.resolve("kafka-client.properties");
    }

    /** The client settings as properties, for the test's own producers and consumers. */
    Properties client() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(clientProperties())) {
            p.load(in);
        }
        return p;
    }

    /** Gives the renewable port the valid certificate and has nginx reload it, as an operator renewing it would. */
    void renewCertificate() throws Exception {
        swapCertificate("server");
    }

    /** Gives the renewable port the expired certificate again (what every proxy start does too). */
    void expireCertificate() throws Exception {
        swapCertificate("server-expired");
    }

    private void swapCertificate(String name) throws Exception {
        Files.copy(secure.resolve(name + ".pem"), proxyDir.resolve("renewable.pem"), REPLACE_EXISTING);
        Files.copy(secure.resolve(name + ".key"), proxyDir.resolve("renewable.key"), REPLACE_EXISTING);
        String pid = Files.readString(proxyDir.resolve("es-proxy.pid")).strip();
        Process reload = new ProcessBuilder("kill", "-HUP", pid).inheritIO().start();
        if (reload.waitFor() != 0) {
            throw new IllegalStateException("Cannot reload the Elasticsearch proxy (pid " + pid + ")");
        }
    }

    String kafkaPassword() throws IOException {
        return Files.readString(secure.resolve("kafka-password")).strip();
    }
}
