package io.desire.sinks.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The real Elasticsearch node the integration tests write to: the one {@code bin/desire test}
 * starts, passed as {@code -Ddesire.it.es.url} (or {@code DESIRE_ES_URL}), and plain REST requests
 * to it, as an app or an operator would send them.
 */
final class LocalElasticsearch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalElasticsearch() {}

    /** A REST reply: its status and its JSON body (an empty object for an empty body). */
    record Reply(int status, JsonNode body) {}

    /** Sends {@code method path} with the JSON {@code body} (or none) to the node at {@code url}. */
    static Reply request(String url, String method, String path, String body) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> resp = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                resp.statusCode(), resp.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(resp.body()));
    }

    /** A recommendation of {@code items} (scores 1.0, 0.9, …; category "cat"; reason "popular") at time {@code t}. */
    static Recommendation recommendation(
            String user, String geo, String bucket, String device, long t, String... items) {
        RankedItem[] ranked = new RankedItem[items.length];
        for (int i = 0; i < items.length; i++) {
            ranked[i] = new RankedItem(items[i], 1.0 - i * 0.1, "cat", new String[] {"popular"});
        }
        return Recommendation.upsert(user, geo, bucket, device, ranked, t, t + 250, "m-1");
    }

    /** The URL without a trailing slash; fails naming {@code test} and how to run it when none is set. */
    static String url(String test) {
        String url = System.getProperty("desire.it.es.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("DESIRE_ES_URL");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(test + " needs a running Elasticsearch: run it with"
                    + " `bin/desire test -pl sinks` (or pass -Ddesire.it.es.url=http://host:port / set DESIRE_ES_URL)");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
