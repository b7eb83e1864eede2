package io.desire.tools.demo.web;

import static io.desire.tools.demo.web.HttpJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.desire.tools.demo.web.HttpJson.ApiException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The JSON endpoints behind the live page. Reads go to Elasticsearch as an app's would
 * ({@link RecommendationReader}); actions go to Kafka as events ({@link ActionSender}). Every
 * method either returns the answer's body or throws {@link ApiException} with a 4xx and a message:
 * unknown user (404), missing or malformed fields (400).
 */
final class LivePageApi {
    static final Set<String> ACTIONS = Set.of("view", "click", "add_to_cart", "purchase", "rate");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

    private final RecommendationReader reader;
    private final ActionSender sender;
    private final ContextPlacement placement;
    private final StatusSampler status;
    private final LatencyStats latency;
    private final LongSupplier clock;
    private final ObjectNode config;

    LivePageApi(
            RecommendationReader reader,
            ActionSender sender,
            ContextPlacement placement,
            StatusSampler status,
            LatencyStats latency,
            LongSupplier clock,
            ObjectNode config) {
        this.reader = reader;
        this.sender = sender;
        this.placement = placement;
        this.status = status;
        this.latency = latency;
        this.clock = clock;
        this.config = config;
    }

    ObjectNode config() {
        return config;
    }

    ObjectNode users(Map<String, String> q) throws IOException, InterruptedException, ApiException {
        String prefix = q.getOrDefault("prefix", "");
        if (!prefix.isEmpty() && !ID.matcher(prefix).matches()) {
            throw new ApiException(400, "prefix: letters, digits and . _ : @ - only, at most 128");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode users = out.putArray("users");
        reader.users(prefix, 20).forEach(users::add);
        return out;
    }

    ObjectNode randomUser() throws IOException, InterruptedException, ApiException {
        String user = reader.randomActiveUser();
        if (user == null) {
            throw new ApiException(404, "no recommendations written yet; wait a few seconds");
        }
        return JSON.createObjectNode().put("user", user);
    }

    /** All lists of a user; 404 for a user without documents. */
    ObjectNode lists(Map<String, String> q) throws IOException, InterruptedException, ApiException {
        String user = id(q.get("user"), "user");
        List<ObjectNode> lists = reader.listsOf(user);
        if (lists.isEmpty()) {
            throw new ApiException(404, "unknown user '" + user + "': no recommendations for this user");
        }
        ObjectNode out = JSON.createObjectNode().put("user", user);
        out.putArray("lists").addAll(lists);
        return out;
    }

    /** One document by id (real-time GET); 404 when there is none. */
    ObjectNode document(Map<String, String> q) throws IOException, InterruptedException, ApiException {
        String id = id(q.get("id"), "id");
        ObjectNode doc = reader.byId(id);
        if (doc == null) {
            throw new ApiException(404, "no document '" + id + "'");
        }
        return doc;
    }

    /** The user's list for a context, falling back to any of their lists (the README's query). */
    ObjectNode forContext(Map<String, String> q) throws IOException, InterruptedException, ApiException {
        String user = id(q.get("user"), "user");
        ObjectNode doc = reader.forContext(
                user,
                name(q.get("geo_cell"), "geo_cell"),
                name(q.get("time_bucket"), "time_bucket"),
                name(q.get("device"), "device"));
        if (doc == null) {
            throw new ApiException(404, "unknown user '" + user + "': no recommendations for this user");
        }
        return doc;
    }

    /** Sends one behaviour event as the user, in the asked context; says which document it updates. */
    ObjectNode act(JsonNode body) throws IOException, InterruptedException, ApiException {
        String user = id(text(body, "user"), "user");
        String item = id(text(body, "item"), "item");
        String type = text(body, "type");
        if (type == null || !ACTIONS.contains(type)) {
            throw new ApiException(400, "type must be one of " + ACTIONS + ", got " + type);
        }
        Double value = null;
        if (type.equals("rate")) {
            JsonNode v = body.path("value");
            if (!v.isNumber() || v.asDouble() < 0.5 || v.asDouble() > 5) {
                throw new ApiException(400, "a rate event needs a numeric value from 0.5 to 5");
            }
            value = v.asDouble();
        }
        JsonNode ctx = body.path("context");
        if (!ctx.isObject()) {
            throw new ApiException(400, "context must be an object {geo_cell, time_bucket, device}");
        }
        String geo = name(text(ctx, "geo_cell"), "context.geo_cell");
        String bucket = name(text(ctx, "time_bucket"), "context.time_bucket");
        String device = name(text(ctx, "device"), "context.device");
        requireKnown(user);
        long now = clock.getAsLong();
        ContextPlacement.Placement where = placement.place(geo, bucket, device, now);
        ActionSender.Sent sent;
        try {
            sent = sender.act(user, item, type, value, where, now);
        } catch (ActionSender.SendFailed e) {
            throw new ApiException(503, e.getMessage());
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("event_id", sent.eventId()).put("ts", sent.ts());
        out.put("doc_id", user + ":" + where.key());
        out.putObject("context")
                .put("geo_cell", where.geoCell())
                .put("time_bucket", where.timeBucket())
                .put("device", where.deviceClass())
                .put("key", where.key());
        out.put("landed_elsewhere", !where.key().equals(geo + ":" + bucket + ":" + device));
        return out;
    }

    /** Sends {@code forget_user} for a known user. */
    ObjectNode forget(JsonNode body) throws IOException, InterruptedException, ApiException {
        String user = id(text(body, "user"), "user");
        requireKnown(user);
        try {
            ActionSender.Sent sent = sender.forget(user, clock.getAsLong());
            return JSON.createObjectNode()
                    .put("event_id", sent.eventId())
                    .put("ts", sent.ts())
                    .put("user", user);
        } catch (ActionSender.SendFailed e) {
            throw new ApiException(503, e.getMessage());
        }
    }

    /** Records a click-to-list time measured by the page. */
    void latency(JsonNode body) throws ApiException {
        JsonNode ms = body.path("ms");
        if (!ms.isNumber() || ms.asLong() < 0 || ms.asLong() > 600_000) {
            throw new ApiException(400, "ms must be a number of milliseconds from 0 to 600000");
        }
        latency.add(ms.asLong());
    }

    ObjectNode status() throws IOException, InterruptedException {
        ObjectNode out = JSON.createObjectNode();
        out.set("points", JSON.valueToTree(status.points()));
        out.putObject("latency")
                .put("p50_ms", latency.quantile(0.5))
                .put("p90_ms", latency.quantile(0.9))
                .put("count", latency.count())
                .put("last_ms", latency.last());
        String model = reader.latestModelVersion();
        out.put("model_version", model == null ? "-" : model);
        return out;
    }

    private void requireKnown(String user) throws IOException, InterruptedException, ApiException {
        if (reader.listsOf(user).isEmpty()) {
            throw new ApiException(404, "unknown user '" + user + "': no recommendations for this user");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    private static String id(String value, String field) throws ApiException {
        if (value == null || value.isEmpty()) {
            throw new ApiException(400, field + " is missing");
        }
        if (!ID.matcher(value).matches()) {
            throw new ApiException(400, field + ": letters, digits and . _ : @ - only, at most 128 characters");
        }
        return value;
    }

    private static String name(String value, String field) throws ApiException {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new ApiException(400, field + " is missing or not a context value (lower-case letters, digits, -)");
        }
        return value;
    }
}
