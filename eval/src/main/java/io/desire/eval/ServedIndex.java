package io.desire.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads recommendation documents from an Elasticsearch alias the way the README tells apps to: one
 * document by id {@code user:contextKey} (a real-time GET), or all documents of a user (a {@code term}
 * query on {@code user}, after a refresh). Also deletes the indices of a throw-away alias. Plain HTTP,
 * no client library, so what is measured is what any app would get.
 */
final class ServedIndex {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** More documents than any user has contexts in practice; a user's further documents are not read. */
    static final int MAX_DOCUMENTS_PER_USER = 1000;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;
    private final String alias;

    ServedIndex(String url, String alias) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.alias = alias;
    }

    /** Makes every written document visible to searches. */
    void refresh() throws IOException {
        send("POST", "/" + alias + "/_refresh", null, false);
    }

    /** The document of (user, context), or null when there is none. */
    ServedDocument byId(String user, String contextKey) throws IOException {
        String id = user + ':' + contextKey;
        JsonNode r = send("GET", "/" + alias + "/_doc/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null, true);
        if (r == null || !r.path("found").asBoolean(false)) {
            return null;
        }
        return document(r.path("_id").asText(), r.path("_source"));
    }

    /** All documents of a user, most recent first. */
    List<ServedDocument> ofUser(String user) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", MAX_DOCUMENTS_PER_USER);
        body.putObject("query").putObject("term").put("user", user);
        JsonNode r = send("POST", "/" + alias + "/_search", body, false);
        List<ServedDocument> docs = new ArrayList<>();
        for (JsonNode hit : r.path("hits").path("hits")) {
            docs.add(document(hit.path("_id").asText(), hit.path("_source")));
        }
        docs.sort(DocumentMatcher.MOST_RECENT);
        return docs;
    }

    /** Number of documents behind the alias. */
    long count() throws IOException {
        return send("GET", "/" + alias + "/_count", null, false).path("count").asLong();
    }

    /** Deletes every index named {@code <alias>-*} (the generations of a throw-away alias), and with them the alias. */
    List<String> deleteIndices() throws IOException {
        JsonNode r = send("GET", "/_cat/indices/" + alias + "-*?format=json&h=index", null, true);
        List<String> deleted = new ArrayList<>();
        if (r == null) {
            return deleted;
        }
        for (JsonNode row : r) {
            String index = row.path("index").asText();
            if (index.startsWith(alias + "-")) {
                send("DELETE", "/" + index, null, true);
                deleted.add(index);
            }
        }
        return deleted;
    }

    static ServedDocument document(String id, JsonNode source) {
        List<JsonNode> ranked = new ArrayList<>();
        source.path("items").forEach(ranked::add);
        ranked.sort(Comparator.comparingInt(n -> n.path("rank").asInt(Integer.MAX_VALUE)));
        List<String> items = new ArrayList<>(ranked.size());
        for (JsonNode n : ranked) {
            items.add(n.path("item").asText());
        }
        String eventTime = source.path("event_time").asText("");
        long time = eventTime.isEmpty() ? 0 : Instant.parse(eventTime).toEpochMilli();
        return new ServedDocument(
                id,
                source.path("context").path("key").asText(null),
                time,
                source.path("profile_events").asLong(0),
                items);
    }

    /** Sends a request; a 404 gives null when {@code missingOk}, every other failure throws with the body. */
    private JsonNode send(String method, String path, JsonNode body, boolean missingOk) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json");
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling Elasticsearch", e);
        }
        if (response.statusCode() == 404 && missingOk) {
            return null;
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Elasticsearch " + method + " " + path + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        return JSON.readTree(response.body());
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
