package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the elasticsearch-java client (low-level REST client + Jackson mapper) from a config. */
final class ElasticsearchClients {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchClients.class);

    private ElasticsearchClients() {}

    static ElasticsearchClient create(ElasticsearchSinkConfig config) {
        HttpHost[] hosts = config.hosts.stream()
                .map(URI::create)
                .map(u -> new HttpHost(u.getHost(), u.getPort(), u.getScheme()))
                .toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts);

        List<Header> headers = new ArrayList<>();
        // Credentials go in a preemptive header: no 401 round trip per connection, and the secret is
        // never part of anything this class logs.
        if (config.username != null) {
            String token = Base64.getEncoder()
                    .encodeToString((config.username + ':' + config.password).getBytes(StandardCharsets.UTF_8));
            headers.add(new BasicHeader(HttpHeaders.AUTHORIZATION, "Basic " + token));
        } else if (config.apiKey != null) {
            headers.add(new BasicHeader(HttpHeaders.AUTHORIZATION, "ApiKey " + config.apiKey));
        }
        builder.setDefaultHeaders(headers.toArray(new Header[0]));
        builder.setRequestConfigCallback(rc -> rc.setConnectTimeout((int) config.connectTimeout.toMillis())
                .setSocketTimeout((int) config.socketTimeout.toMillis()));

        SSLContext sslContext = sslContext(config);
        if (sslContext != null || config.insecureTrustAll) {
            builder.setHttpClientConfigCallback(hc -> {
                hc.setSSLContext(sslContext);
                if (config.insecureTrustAll) {
                    hc.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
                }
                return hc;
            });
        }
        if (config.insecureTrustAll) {
            LOG.warn(
                    "Elasticsearch sink trusts ANY certificate and host name for {} (insecureTrustAll); "
                            + "use a CA certificate or trust store outside test clusters",
                    config.hostList());
        }
        RestClient restClient = builder.build();
        return new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper()));
    }

    /** The low-level REST client behind {@code client}, for APIs the typed client cannot parse. */
    static RestClient restClient(ElasticsearchClient client) {
        return ((RestClientTransport) client._transport()).restClient();
    }

    private static SSLContext sslContext(ElasticsearchSinkConfig config) {
        try {
            if (config.insecureTrustAll) {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustAllManager()}, new SecureRandom());
                return ctx;
            }
            KeyStore trust;
            if (config.caCertificatePem != null) {
                trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate cert : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(config.caCertificatePem))) {
                    trust.setCertificateEntry("es-ca-" + i++, cert);
                }
            } else if (config.trustStore != null) {
                trust = KeyStore.getInstance(config.trustStoreType);
                trust.load(new ByteArrayInputStream(config.trustStore), config.trustStorePassword);
            } else {
                return null; // JVM default trust store
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(
                    "Cannot set up TLS for Elasticsearch hosts " + config.hostList() + ": " + e.getMessage(), e);
        }
    }

    /** Accepts every certificate; used only when insecureTrustAll was set explicitly. */
    private static final class TrustAllManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
