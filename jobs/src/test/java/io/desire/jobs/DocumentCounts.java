package io.desire.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each user's largest {@code profile_events} over their recommendation documents, searched in the
 * suite's Elasticsearch as an app would: how many events the documents say each user's profile counted.
 */
final class DocumentCounts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private DocumentCounts() {}

    /**
     * The counts in {@code index} (an index or an alias), read until they equal {@code expected} or
     * {@code timeout} passes. Every round refreshes the index first, so each search sees what was
     * written before it.
     */
    static Map<String, Long> await(String index, Map<String, Long> expected, Duration timeout) throws Exception {
        return Eventually.poll(timeout, () -> read(index), expected::equals);
    }

    /** The counts in {@code index} now (empty while the index does not exist). */
    static Map<String, Long> read(String index) throws IOException, InterruptedException {
        String es = LocalServices.elasticsearchUrl();
        HTTP.send(
                HttpRequest.newBuilder(URI.create(es + "/" + index + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        String query = "{\"size\":0,\"aggs\":{\"users\":{\"terms\":{\"field\":\"user\",\"size\":1000},"
                + "\"aggs\":{\"events\":{\"max\":{\"field\":\"profile_events\"}}}}}}";
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(es + "/" + index + "/_search"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(query))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Long> counts = new TreeMap<>();
        if (r.statusCode() == 200) {
            for (JsonNode b : JSON.readTree(r.body()).at("/aggregations/users/buckets")) {
                counts.put(b.path("key").asText(), b.at("/events/value").asLong());
            }
        }
        return counts;
    }

    /** How many documents of {@code user} {@code index} holds now (0 while it does not exist), after a refresh. */
    static long ofUser(String index, String user) throws IOException, InterruptedException {
        return count(index, "{\"query\":{\"term\":{\"user\":\"" + user + "\"}}}");
    }

    /** How many documents {@code index} holds now (0 while it does not exist), after a refresh. */
    static long total(String index) throws IOException, InterruptedException {
        return count(index, "{\"query\":{\"match_all\":{}}}");
    }

    private static long count(String index, String query) throws IOException, InterruptedException {
        String es = LocalServices.elasticsearchUrl();
        HTTP.send(
                HttpRequest.newBuilder(URI.create(es + "/" + index + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(es + "/" + index + "/_count"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(query))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 404 ? 0 : JSON.readTree(r.body()).path("count").asLong();
    }
}
