package io.desire.sinks.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.http.TransportHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLException;
import org.apache.http.HttpEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.ResponseException;

/**
 * Decides whether a failure is worth retrying and words the message for those that are not.
 * Messages name hosts, users, indices and document ids, never passwords or API keys.
 */
final class ElasticsearchFailures {

    /** A classified failure: retry it, or fail with {@link #message}. */
    record Failure(boolean retryable, String message) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchSinkConfig config;

    ElasticsearchFailures(ElasticsearchSinkConfig config) {
        this.config = config;
    }

    /** Classifies an exception thrown by a whole request (bulk, refresh, delete-by-query, setup). */
    Failure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return fatal("Elasticsearch host is unreachable: unknown host '" + t.getMessage()
                        + "' (configured hosts: " + config.hostList() + ")");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return fatal(
                        "Elasticsearch is unreachable at " + config.hostList() + ": " + t.getMessage()
                                + " (connection refused or no route: is Elasticsearch running and are the sink's hosts right?)");
            }
            if (t instanceof SSLException) {
                String expired = expiredCertificate(t);
                if (expired != null) {
                    return fatal("TLS with Elasticsearch at " + config.hostList()
                            + " failed: the server's certificate has expired (" + expired
                            + "); renew the certificate on the server, the sink's trust settings are not at fault");
                }
                return fatal("TLS with Elasticsearch at " + config.hostList() + " failed: " + t.getMessage()
                        + " (check the CA certificate or trust store, and that the hosts use the right scheme)");
            }
            if (t instanceof SocketTimeoutException) {
                return new Failure(
                        true,
                        "Elasticsearch at " + config.hostList() + " did not answer within " + config.socketTimeout
                                + " (socket timeout)");
            }
        }
        int status = -1;
        String host = null;
        String detail = String.valueOf(error.getMessage());
        if (error instanceof ElasticsearchException ee) {
            status = ee.status();
            detail = describe(ee.error());
            host = node(ee.httpResponse());
        } else if (error instanceof TransportException te) {
            status = te.statusCode();
            host = node(te.response());
            if (te.getCause() instanceof ResponseException re) {
                host = re.getResponse().getHost().toURI();
                detail = describe(re);
            }
        } else if (error instanceof ResponseException re) {
            status = re.getResponse().getStatusLine().getStatusCode();
            host = re.getResponse().getHost().toURI();
            detail = describe(re);
        }
        if (status == 401 || status == 403) {
            return fatal("Elasticsearch authentication failed for " + config.principal() + " at "
                    + (host != null ? host : config.hostList()) + " (HTTP " + status
                    + (status == 401
                            ? ": wrong or missing credentials"
                            : ": the credentials lack privileges for this request")
                    + ")");
        }
        if (status > 0) {
            return new Failure(isRetryableStatus(status), "HTTP " + status + ": " + detail);
        }
        // I/O trouble without a status (connection reset, closed, ...): transient.
        return new Failure(true, error.getClass().getSimpleName() + ": " + detail);
    }

    /** The message of a certificate-expired cause in {@code error}'s chain, or {@code null}. */
    private static String expiredCertificate(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException) {
                return t.getMessage();
            }
            if (t instanceof CertPathValidatorException cpe
                    && cpe.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return t.getCause() != null ? t.getCause().getMessage() : t.getMessage();
            }
        }
        return null;
    }

    static boolean isRetryableStatus(int status) {
        return status == 429 || status >= 500;
    }

    /** A bulk item failed but may succeed later: overload, rejected execution, server errors. */
    static boolean isRetryable(BulkResponseItem item) {
        return isRetryableStatus(item.status())
                || (item.error() != null && String.valueOf(item.error().type()).contains("es_rejected_execution"));
    }

    /** Externally versioned write lost to a newer (or equal) version already indexed. */
    static boolean isVersionConflict(BulkResponseItem item) {
        return item.status() == 409
                && item.error() != null
                && "version_conflict_engine_exception".equals(item.error().type());
    }

    /** One line naming the failed item: operation, index, id, status and Elasticsearch's reason. */
    static String describe(BulkResponseItem item) {
        return item.operationType().jsonValue() + " of document id '" + item.id() + "' in index '" + item.index()
                + "' failed with HTTP " + item.status() + ": " + describe(item.error());
    }

    static String describe(ErrorCause cause) {
        if (cause == null) {
            return "(no reason given)";
        }
        StringBuilder sb = new StringBuilder().append(cause.type()).append(": ").append(cause.reason());
        if (cause.causedBy() != null) {
            sb.append(" (caused by ")
                    .append(cause.causedBy().type())
                    .append(": ")
                    .append(cause.causedBy().reason())
                    .append(')');
        }
        return sb.toString();
    }

    /** Elasticsearch's error type and reason from a raw error response, else its first line. */
    private static String describe(ResponseException e) {
        String body = null;
        try {
            HttpEntity entity = e.getResponse().getEntity();
            body = entity == null ? null : EntityUtils.toString(entity);
            JsonNode error = body == null ? null : JSON.readTree(body).path("error");
            if (error != null && error.hasNonNull("type")) {
                return error.path("type").asText() + ": " + error.path("reason").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: fall through to the raw text
        }
        String text = body != null && !body.isBlank()
                ? body
                : e.getResponse().getStatusLine().toString();
        text = text.replaceAll("\\s+", " ").trim();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String node(TransportHttpClient.Response response) {
        if (response == null || response.node() == null) {
            return null;
        }
        return String.valueOf(response.node().uri());
    }

    private static Failure fatal(String message) {
        return new Failure(false, message);
    }
}
