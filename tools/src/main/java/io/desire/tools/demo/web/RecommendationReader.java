package io.desire.tools.demo.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads recommendation documents exactly as an app does, over Elasticsearch's HTTP API with the
 * queries of the README: by id (real-time GET), all contexts of one user ({@code term user}), and the
 * user's list for a context with a fall-back to any of their lists. The user picker's two look-ups
 * (users by id prefix, a recently active user) are plain searches on the same alias. A missing alias
 * reads as "no documents"; an unreachable Elasticsearch is an {@link IOException}.
 */
public final class RecommendationReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;

    /** @param esUrl Elasticsearch, e.g. http://127.0.0.1:9200;  @param alias the read alias (es.index) */
    public RecommendationReader(String esUrl, String alias) {
        String url = esUrl.endsWith("/") ? esUrl.substring(0, esUrl.length() - 1) : esUrl;
        this.base = url + "/" + alias;
    }

    /** The document with this id ({@code _id} added to its source), or {@code null}. */
    public ObjectNode byId(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/_doc/" + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return null;
        }
        JsonNode body = checked(r);
        return body.path("found").asBoolean() ? withId(body) : null;
    }

    /** Every list of one user (one per context), most recent event time first. */
    public List<ObjectNode> listsOf(String user) throws IOException, InterruptedException {
        ObjectNode q = JSON.createObjectNode();
        q.putObject("query").putObject("term").put("user", user);
        q.put("size", 100);
        q.putArray("sort").addObject().put("event_time", "desc");
        return hits(search(q));
    }

    /**
     * The user's list for the context the app is in, falling back to any of their lists: the README's
     * {@code bool} query with the user as filter and the context fields as {@code should}.
     */
    public ObjectNode forContext(String user, String geoCell, String timeBucket, String device)
            throws IOException, InterruptedException {
        ObjectNode q = JSON.createObjectNode();
        ObjectNode bool = q.putObject("query").putObject("bool");
        bool.putArray("filter").addObject().putObject("term").put("user", user);
        ArrayNode should = bool.putArray("should");
        should.addObject().putObject("term").put("context.time_bucket", timeBucket);
        should.addObject().putObject("term").put("context.device", device);
        should.addObject().putObject("term").put("context.geo_cell", geoCell);
        q.put("size", 1);
        List<ObjectNode> hits = hits(search(q));
        return hits.isEmpty() ? null : hits.get(0);
    }

    /** Users whose id starts with {@code prefix}, in id order, at most {@code limit}. */
    public List<String> users(String prefix, int limit) throws IOException, InterruptedException {
        ObjectNode q = JSON.createObjectNode();
        q.put("size", 0);
        if (!prefix.isEmpty()) {
            q.putObject("query").putObject("prefix").put("user", prefix);
        }
        ObjectNode terms = q.putObject("aggs").putObject("users").putObject("terms");
        terms.put("field", "user").put("size", limit).putObject("order").put("_key", "asc");
        List<String> out = new ArrayList<>();
        search(q)
                .path("aggregations")
                .path("users")
                .path("buckets")
                .forEach(b -> out.add(b.path("key").asText()));
        return out;
    }

    /** A user among those whose documents were updated most recently, or {@code null} if there are none. */
    public String randomActiveUser() throws IOException, InterruptedException {
        ObjectNode q = JSON.createObjectNode();
        q.put("size", 50);
        q.putArray("_source").add("user");
        q.putArray("sort").addObject().put("updated_at", "desc");
        List<ObjectNode> hits = hits(search(q));
        return hits.isEmpty()
                ? null
                : hits.get(ThreadLocalRandom.current().nextInt(hits.size()))
                        .path("user")
                        .asText();
    }

    /** The model version of the most recently updated document, or {@code null}. */
    public String latestModelVersion() throws IOException, InterruptedException {
        ObjectNode q = JSON.createObjectNode();
        q.put("size", 1);
        q.putArray("_source").add("model_version");
        q.putArray("sort").addObject().put("updated_at", "desc");
        List<ObjectNode> hits = hits(search(q));
        return hits.isEmpty() ? null : hits.get(0).path("model_version").asText(null);
    }

    private JsonNode search(ObjectNode query) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/_search"))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(query)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return JSON.createObjectNode(); // the alias does not exist yet: no documents
        }
        return checked(r);
    }

    private static JsonNode checked(HttpResponse<String> r) throws IOException {
        if (r.statusCode() / 100 != 2) {
            throw new IOException("Elasticsearch answered HTTP " + r.statusCode() + " to "
                    + r.request().uri());
        }
        return JSON.readTree(r.body());
    }

    private static List<ObjectNode> hits(JsonNode response) {
        List<ObjectNode> out = new ArrayList<>();
        response.path("hits").path("hits").forEach(h -> out.add(withId(h)));
        return out;
    }

    private static ObjectNode withId(JsonNode hit) {
        ObjectNode source = hit.path("_source").isObject()
                ? (ObjectNode) hit.path("_source").deepCopy()
                : JSON.createObjectNode();
        source.put("_id", hit.path("_id").asText());
        return source;
    }
}
