package io.desire.sinks.elasticsearch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.MemorySize;

/**
 * Builds an {@link ElasticsearchSink}. Every setter checks its argument at once and says what is
 * allowed; {@link #build()} checks that the settings fit together.
 *
 * <pre>{@code
 * ElasticsearchSink<Recommendation> sink = RecommendationDocuments.sinkBuilder()
 *         .setHosts("https://es-1:9200", "https://es-2:9200")
 *         .setBasicAuth("desire_writer", password)
 *         .setCaCertificate(Path.of("/etc/desire/es-ca.pem"))
 *         .build();
 * }</pre>
 *
 * @param <T> the stream element type
 */
public final class ElasticsearchSinkBuilder<T> {

    /** Send a bulk request once this many operations are buffered. */
    public static final int DEFAULT_BULK_FLUSH_MAX_ACTIONS = 1000;
    /** Send a bulk request once the buffered operations reach this size. */
    public static final MemorySize DEFAULT_BULK_FLUSH_MAX_SIZE = MemorySize.ofMebiBytes(5);
    /** Send what is buffered at the latest this long after the first operation was buffered. */
    public static final Duration DEFAULT_BULK_FLUSH_INTERVAL = Duration.ofMillis(200);
    /** Bulk requests in flight per writer: one at a time, in emission order. */
    public static final int DEFAULT_BULK_CONCURRENCY = 1;
    /** Upper bound of {@link #setBulkConcurrency}: each request in flight holds a sender thread and a connection. */
    public static final int MAX_BULK_CONCURRENCY = 16;
    /** Wait before the first retry of failed retryable items; doubles on each further retry. */
    public static final Duration DEFAULT_BACKOFF_INITIAL_DELAY = Duration.ofMillis(100);
    /** Upper bound of the wait between retries. */
    public static final Duration DEFAULT_BACKOFF_MAX_DELAY = Duration.ofSeconds(5);
    /** Retries of one batch's retryable failures before the sink gives up and fails the task. */
    public static final int DEFAULT_BACKOFF_MAX_RETRIES = 8;
    /** TCP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Wait for a response (a bulk request or a delete-by-query) before the request times out. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private static final String HOST_FORMAT =
            "expected http://host:port or https://host:port, e.g. http://127.0.0.1:9200";

    private final List<String> hosts = new ArrayList<>();
    private String username;
    private String password;
    private String apiKey;
    private byte[] caCertificatePem;
    private byte[] trustStore;
    private String trustStoreType;
    private char[] trustStorePassword;
    private boolean insecureTrustAll;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
    private int bulkFlushMaxActions = DEFAULT_BULK_FLUSH_MAX_ACTIONS;
    private MemorySize bulkFlushMaxSize = DEFAULT_BULK_FLUSH_MAX_SIZE;
    private Duration bulkFlushInterval = DEFAULT_BULK_FLUSH_INTERVAL;
    private int bulkConcurrency = DEFAULT_BULK_CONCURRENCY;
    private Duration backoffInitialDelay = DEFAULT_BACKOFF_INITIAL_DELAY;
    private Duration backoffMaxDelay = DEFAULT_BACKOFF_MAX_DELAY;
    private int backoffMaxRetries = DEFAULT_BACKOFF_MAX_RETRIES;
    private ElasticsearchEmitter<? super T> emitter;
    private IndexBootstrap indexBootstrap = IndexBootstrap.NONE;

    ElasticsearchSinkBuilder() {}

    /**
     * The Elasticsearch nodes to send requests to, each {@code http://host:port} or
     * {@code https://host:port}; at least one. Replaces hosts set before.
     */
    public ElasticsearchSinkBuilder<T> setHosts(String... hostUrls) {
        if (hostUrls == null || hostUrls.length == 0) {
            throw new IllegalArgumentException("At least one Elasticsearch host is required: " + HOST_FORMAT);
        }
        List<String> parsed = new ArrayList<>(hostUrls.length);
        for (String url : hostUrls) {
            parsed.add(normalizeHost(url));
        }
        hosts.clear();
        hosts.addAll(parsed);
        return this;
    }

    /** Authenticate with HTTP basic auth. Not combinable with {@link #setApiKey(String)}. */
    public ElasticsearchSinkBuilder<T> setBasicAuth(String username, String password) {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("Basic auth needs a non-blank user name");
        }
        if (password == null) {
            throw new IllegalArgumentException(
                    "Basic auth for user '" + username + "' needs a password (may be empty, not null)");
        }
        if (apiKey != null) {
            throw new IllegalArgumentException(
                    "Use either basic auth or an API key, not both: an API key is already set");
        }
        this.username = username;
        this.password = password;
        return this;
    }

    /**
     * Authenticate with an Elasticsearch API key, the base64 {@code id:api_key} value that
     * Elasticsearch returns as {@code encoded}. Not combinable with {@link #setBasicAuth}.
     */
    public ElasticsearchSinkBuilder<T> setApiKey(String encodedApiKey) {
        if (encodedApiKey == null || encodedApiKey.isBlank()) {
            throw new IllegalArgumentException("The API key must be non-blank (the base64 'encoded' value)");
        }
        if (username != null) {
            throw new IllegalArgumentException("Use either basic auth or an API key, not both: basic auth for user '"
                    + username + "' is already set");
        }
        this.apiKey = encodedApiKey.trim();
        return this;
    }

    /**
     * Trust the CA certificate(s) in this PEM file for https hosts (instead of the JVM's default
     * trust store). The file is read now, so it need not exist on task managers.
     */
    public ElasticsearchSinkBuilder<T> setCaCertificate(Path pemFile) {
        requireNoOtherTrust("a CA certificate", trustStore != null, insecureTrustAll);
        byte[] pem = readFile(pemFile, "CA certificate");
        try {
            if (CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem))
                    .isEmpty()) {
                throw new IllegalArgumentException("CA certificate file " + pemFile
                        + " holds no certificate: expected PEM ('-----BEGIN CERTIFICATE-----')");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "CA certificate file " + pemFile
                            + " is not a readable X.509 certificate: expected PEM ('-----BEGIN CERTIFICATE-----'): "
                            + e.getMessage(),
                    e);
        }
        this.caCertificatePem = pem;
        return this;
    }

    /**
     * Trust the certificates in this trust store (PKCS12 or JKS, by extension {@code .p12}/{@code .pfx}
     * or {@code .jks}, else the JVM default type) for https hosts. Read now, so it need not exist on
     * task managers.
     */
    public ElasticsearchSinkBuilder<T> setTrustStore(Path trustStoreFile, String trustStorePassword) {
        requireNoOtherTrust("a trust store", caCertificatePem != null, insecureTrustAll);
        byte[] bytes = readFile(trustStoreFile, "Trust store");
        String name = trustStoreFile.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".p12") || name.endsWith(".pfx")
                ? "PKCS12"
                : name.endsWith(".jks") ? "JKS" : KeyStore.getDefaultType();
        char[] pass = trustStorePassword == null ? null : trustStorePassword.toCharArray();
        try {
            KeyStore.getInstance(type).load(new ByteArrayInputStream(bytes), pass);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Trust store " + trustStoreFile + " cannot be opened as " + type
                            + " (wrong password or not a PKCS12/JKS file): " + e.getMessage(),
                    e);
        }
        this.trustStore = bytes;
        this.trustStoreType = type;
        this.trustStorePassword = pass;
        return this;
    }

    /**
     * Accept any server certificate and host name on https hosts. Off by default; only for test
     * clusters with throw-away certificates, never in production.
     */
    public ElasticsearchSinkBuilder<T> setInsecureTrustAll(boolean insecureTrustAll) {
        if (insecureTrustAll) {
            requireNoOtherTrust("insecureTrustAll", caCertificatePem != null, false);
            requireNoOtherTrust("insecureTrustAll", trustStore != null, false);
        }
        this.insecureTrustAll = insecureTrustAll;
        return this;
    }

    /** TCP connect timeout, positive. Default {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public ElasticsearchSinkBuilder<T> setConnectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "Connect timeout");
        return this;
    }

    /** Response timeout of one request, positive. Default {@link #DEFAULT_SOCKET_TIMEOUT}. */
    public ElasticsearchSinkBuilder<T> setSocketTimeout(Duration timeout) {
        this.socketTimeout = positive(timeout, "Socket timeout");
        return this;
    }

    /** Operations per bulk request, at least 1. Default {@link #DEFAULT_BULK_FLUSH_MAX_ACTIONS}. */
    public ElasticsearchSinkBuilder<T> setBulkFlushMaxActions(int maxActions) {
        if (maxActions < 1) {
            throw new IllegalArgumentException("Bulk flush max actions must be at least 1, got " + maxActions);
        }
        this.bulkFlushMaxActions = maxActions;
        return this;
    }

    /** Bulk request size that triggers a flush, positive. Default {@link #DEFAULT_BULK_FLUSH_MAX_SIZE}. */
    public ElasticsearchSinkBuilder<T> setBulkFlushMaxSize(MemorySize maxSize) {
        if (maxSize == null || maxSize.getBytes() <= 0) {
            throw new IllegalArgumentException(
                    "Bulk flush max size must be positive, e.g. MemorySize.parse(\"5mb\"), got " + maxSize);
        }
        this.bulkFlushMaxSize = maxSize;
        return this;
    }

    /**
     * Longest time an operation waits in the buffer, positive. Default
     * {@link #DEFAULT_BULK_FLUSH_INTERVAL}. Checkpoints and end of input flush regardless.
     */
    public ElasticsearchSinkBuilder<T> setBulkFlushInterval(Duration interval) {
        this.bulkFlushInterval = positive(interval, "Bulk flush interval");
        return this;
    }

    /**
     * Bulk requests one writer keeps in flight at once, 1 to {@value #MAX_BULK_CONCURRENCY}. Default
     * {@link #DEFAULT_BULK_CONCURRENCY}: each request is sent once the previous one is acknowledged.
     * With more, the task goes on ranking and buffering while Elasticsearch indexes; operations on
     * one document are still sent in emission order (a request waits for an earlier one that holds
     * the same document), operations on different documents may be applied in any order, and
     * checkpoints, the end of input and delete-by-query still wait for every request in flight.
     */
    public ElasticsearchSinkBuilder<T> setBulkConcurrency(int concurrency) {
        if (concurrency < 1 || concurrency > MAX_BULK_CONCURRENCY) {
            throw new IllegalArgumentException("Bulk concurrency must be between 1 and " + MAX_BULK_CONCURRENCY
                    + " (requests in flight per writer), got " + concurrency);
        }
        this.bulkConcurrency = concurrency;
        return this;
    }

    /** First wait before retrying failed retryable items, positive. Default {@link #DEFAULT_BACKOFF_INITIAL_DELAY}. */
    public ElasticsearchSinkBuilder<T> setBulkFlushBackoffInitialDelay(Duration delay) {
        this.backoffInitialDelay = positive(delay, "Backoff initial delay");
        return this;
    }

    /** Longest wait between retries, at least the initial delay. Default {@link #DEFAULT_BACKOFF_MAX_DELAY}. */
    public ElasticsearchSinkBuilder<T> setBulkFlushBackoffMaxDelay(Duration delay) {
        this.backoffMaxDelay = positive(delay, "Backoff max delay");
        return this;
    }

    /** Retries of retryable failures before failing, 0 or more. Default {@link #DEFAULT_BACKOFF_MAX_RETRIES}. */
    public ElasticsearchSinkBuilder<T> setBulkFlushMaxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException(
                    "Bulk flush max retries must be 0 (no retries) or more, got " + maxRetries);
        }
        this.backoffMaxRetries = maxRetries;
        return this;
    }

    /** Turns elements into requests. Required. */
    public ElasticsearchSinkBuilder<T> setEmitter(ElasticsearchEmitter<? super T> emitter) {
        if (emitter == null) {
            throw new IllegalArgumentException("The emitter must not be null");
        }
        this.emitter = emitter;
        return this;
    }

    /** Prepares indices, templates or aliases when each writer opens. Default: nothing. */
    public ElasticsearchSinkBuilder<T> setIndexBootstrap(IndexBootstrap bootstrap) {
        if (bootstrap == null) {
            throw new IllegalArgumentException(
                    "The index bootstrap must not be null; use IndexBootstrap.NONE for none");
        }
        this.indexBootstrap = bootstrap;
        return this;
    }

    public ElasticsearchSink<T> build() {
        if (hosts.isEmpty()) {
            throw new IllegalStateException("No Elasticsearch host set: call setHosts(...), " + HOST_FORMAT);
        }
        if (emitter == null) {
            throw new IllegalStateException("No emitter set: call setEmitter(...)");
        }
        if (backoffMaxDelay.compareTo(backoffInitialDelay) < 0) {
            throw new IllegalStateException("Backoff max delay " + backoffMaxDelay
                    + " must be at least the initial delay " + backoffInitialDelay);
        }
        boolean anyHttps = hosts.stream().anyMatch(h -> h.startsWith("https://"));
        boolean tlsConfigured = caCertificatePem != null || trustStore != null || insecureTrustAll;
        if (tlsConfigured && !anyHttps) {
            throw new IllegalStateException("TLS settings (CA certificate, trust store or insecureTrustAll) need"
                    + " at least one https:// host, but all hosts are http: " + hosts);
        }
        ElasticsearchSinkConfig config = new ElasticsearchSinkConfig(
                hosts,
                username,
                password,
                apiKey,
                caCertificatePem,
                trustStore,
                trustStoreType,
                trustStorePassword,
                insecureTrustAll,
                connectTimeout,
                socketTimeout,
                bulkFlushMaxActions,
                bulkFlushMaxSize,
                bulkFlushInterval,
                bulkConcurrency,
                backoffInitialDelay,
                backoffMaxDelay,
                backoffMaxRetries);
        return new ElasticsearchSink<>(config, emitter, indexBootstrap);
    }

    static String normalizeHost(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Elasticsearch host must not be blank: " + HOST_FORMAT);
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Elasticsearch host '" + url + "' is not valid: " + HOST_FORMAT, e);
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean pathOk = uri.getRawPath() == null
                || uri.getRawPath().isEmpty()
                || uri.getRawPath().equals("/");
        if (!("http".equals(scheme) || "https".equals(scheme))
                || uri.getHost() == null
                || uri.getPort() <= 0
                || !pathOk
                || uri.getRawQuery() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("Elasticsearch host '" + url + "' is not valid: " + HOST_FORMAT
                    + " (no path, no credentials in the URL: use setBasicAuth or setApiKey)");
        }
        return scheme + "://" + uri.getHost() + ':' + uri.getPort();
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be a positive duration, got " + d);
        }
        return d;
    }

    private static byte[] readFile(Path file, String what) {
        if (file == null) {
            throw new IllegalArgumentException(what + " path must not be null");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " file " + file + " does not exist or is not readable");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void requireNoOtherTrust(String setting, boolean otherTrustSet, boolean trustAll) {
        if (otherTrustSet || trustAll) {
            throw new IllegalArgumentException("Choose one way to trust the server: " + setting
                    + " cannot be combined with a CA certificate, a trust store or insecureTrustAll set before");
        }
    }
}
