package io.desire.sinks.elasticsearch;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.MemorySize;

/**
 * Validated, immutable settings of one {@link ElasticsearchSink}: where Elasticsearch is, how to
 * authenticate, how to batch and how to retry. Built only by {@link ElasticsearchSinkBuilder}.
 *
 * <p>TLS material is carried as bytes read when the sink was built, so task managers need no local
 * copy of the certificate or trust store. Secrets never appear in {@link #toString()}.
 */
final class ElasticsearchSinkConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    final List<String> hosts;
    final String username;
    final String password;
    final String apiKey;
    /** PEM-encoded CA certificate(s) trusted for https hosts, or {@code null}. */
    final byte[] caCertificatePem;
    /** A trust store file's content, or {@code null}. */
    final byte[] trustStore;

    final String trustStoreType;
    final char[] trustStorePassword;
    final boolean insecureTrustAll;
    final Duration connectTimeout;
    final Duration socketTimeout;
    final int bulkFlushMaxActions;
    final MemorySize bulkFlushMaxSize;
    final Duration bulkFlushInterval;
    /** Bulk requests one writer keeps in flight at once; 1 sends them one after the other. */
    final int bulkConcurrency;

    final Duration backoffInitialDelay;
    final Duration backoffMaxDelay;
    final int backoffMaxRetries;

    ElasticsearchSinkConfig(
            List<String> hosts,
            String username,
            String password,
            String apiKey,
            byte[] caCertificatePem,
            byte[] trustStore,
            String trustStoreType,
            char[] trustStorePassword,
            boolean insecureTrustAll,
            Duration connectTimeout,
            Duration socketTimeout,
            int bulkFlushMaxActions,
            MemorySize bulkFlushMaxSize,
            Duration bulkFlushInterval,
            int bulkConcurrency,
            Duration backoffInitialDelay,
            Duration backoffMaxDelay,
            int backoffMaxRetries) {
        this.hosts = List.copyOf(hosts);
        this.username = username;
        this.password = password;
        this.apiKey = apiKey;
        this.caCertificatePem = caCertificatePem;
        this.trustStore = trustStore;
        this.trustStoreType = trustStoreType;
        this.trustStorePassword = trustStorePassword;
        this.insecureTrustAll = insecureTrustAll;
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
        this.bulkFlushMaxActions = bulkFlushMaxActions;
        this.bulkFlushMaxSize = bulkFlushMaxSize;
        this.bulkFlushInterval = bulkFlushInterval;
        this.bulkConcurrency = bulkConcurrency;
        this.backoffInitialDelay = backoffInitialDelay;
        this.backoffMaxDelay = backoffMaxDelay;
        this.backoffMaxRetries = backoffMaxRetries;
    }

    /** Who the sink authenticates as, for error messages: never the secret itself. */
    String principal() {
        if (username != null) {
            return "user '" + username + "'";
        }
        if (apiKey != null) {
            return "the configured API key";
        }
        return "anonymous access (no credentials configured)";
    }

    String hostList() {
        return String.join(", ", hosts);
    }

    /** Backoff before retry number {@code attempt} (0-based): initial * 2^attempt, capped at max. */
    Duration backoff(int attempt) {
        long initial = backoffInitialDelay.toMillis();
        long max = backoffMaxDelay.toMillis();
        long delay = initial;
        for (int i = 0; i < attempt && delay < max; i++) {
            delay *= 2;
        }
        return Duration.ofMillis(Math.min(delay, max));
    }

    @Override
    public String toString() {
        return "ElasticsearchSinkConfig{hosts=" + hosts
                + ", auth=" + (username != null ? "basic(" + username + ")" : apiKey != null ? "apiKey" : "none")
                + ", tls="
                + (caCertificatePem != null
                        ? "ca-pem"
                        : trustStore != null ? "trust-store" : insecureTrustAll ? "INSECURE-trust-all" : "jvm-default")
                + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout
                + ", bulkFlushMaxActions=" + bulkFlushMaxActions + ", bulkFlushMaxSize=" + bulkFlushMaxSize
                + ", bulkFlushInterval=" + bulkFlushInterval + ", bulkConcurrency=" + bulkConcurrency
                + ", backoff=" + backoffInitialDelay + ".."
                + backoffMaxDelay + " x" + backoffMaxRetries + '}';
    }
}
