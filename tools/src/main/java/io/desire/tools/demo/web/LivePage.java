package io.desire.tools.demo.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.desire.features.context.TimeBucketScheme;
import io.desire.features.context.TimeBuckets;
import io.desire.tools.demo.web.HttpJson.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's live page and its JSON API, served by the JDK's {@link HttpServer} on the loopback
 * interface only. It is also the example app: it reads Elasticsearch with the README's queries and
 * sends the user's actions to Kafka as events. Client mistakes get a 4xx with a JSON message; any
 * other failure a 500 or 503 with a short message, the cause going to the log, never to the client.
 *
 * <pre>
 * GET  /                 the page          GET  /api/config, /api/status
 * GET  /api/users?prefix= GET /api/users/random
 * GET  /api/lists?user=   GET /api/doc?id=  GET /api/context?user=&amp;geo_cell=&amp;time_bucket=&amp;device=
 * POST /api/act {user, item, type, value?, context{geo_cell, time_bucket, device}}
 * POST /api/forget {user}                   POST /api/latency {ms}
 * </pre>
 */
public final class LivePage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LivePage.class);
    private static final String RESOURCES = "/io/desire/tools/demo/web/";
    private static final Map<String, String> STATIC =
            Map.of("/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/style.css", "style.css");

    /** What the page needs: where to read and send, the metrics endpoint, the context scheme. */
    public record Settings(
            String kafkaBootstrap,
            String eventsTopic,
            String esUrl,
            String alias,
            String metricsUrl,
            TimeBucketScheme scheme,
            int port,
            double demoRate) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final ActionSender sender;
    private final StatusSampler status;
    private final LatencyStats latency = new LatencyStats();
    private final LivePageApi api;

    private LivePage(Settings s) throws IOException {
        this.sender = new ActionSender(s.kafkaBootstrap(), s.eventsTopic());
        this.status = new StatusSampler(s.metricsUrl()).start(Duration.ofSeconds(2));
        ObjectNode config = HttpJson.JSON.createObjectNode();
        config.put("alias", s.alias()).put("es_url", s.esUrl()).put("rate", s.demoRate());
        ArrayNode buckets = config.putArray("time_buckets");
        TimeBuckets.all(s.scheme()).forEach(buckets::add);
        ArrayNode devices = config.putArray("devices");
        List.of("mobile", "tablet", "desktop", "tv", "other").forEach(devices::add);
        this.api = new LivePageApi(
                new RecommendationReader(s.esUrl(), s.alias()),
                sender,
                new ContextPlacement(s.scheme()),
                status,
                latency,
                System::currentTimeMillis,
                config);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.port()), 16);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "desire-live-page");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the page on 127.0.0.1 ({@code port} 0: a free port). */
    public static LivePage start(Settings settings) throws IOException {
        return new LivePage(settings);
    }

    /** The page's address, e.g. http://127.0.0.1:41234/ */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + "/";
    }

    /** Click-to-updated-list times reported by the page. */
    public LatencyStats latency() {
        return latency;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        try {
            if (STATIC.containsKey(path)) {
                requireMethod(method, "GET");
                serveResource(ex, STATIC.get(path));
                return;
            }
            Map<String, String> q = HttpJson.query(ex);
            switch (path) {
                case "/api/config" -> get(ex, method, api::config);
                case "/api/status" -> get(ex, method, api::status);
                case "/api/users" -> get(ex, method, () -> api.users(q));
                case "/api/users/random" -> get(ex, method, api::randomUser);
                case "/api/lists" -> get(ex, method, () -> api.lists(q));
                case "/api/doc" -> get(ex, method, () -> api.document(q));
                case "/api/context" -> get(ex, method, () -> api.forContext(q));
                case "/api/act" -> {
                    requireMethod(method, "POST");
                    HttpJson.send(ex, 202, api.act(HttpJson.body(ex)));
                }
                case "/api/forget" -> {
                    requireMethod(method, "POST");
                    HttpJson.send(ex, 202, api.forget(HttpJson.body(ex)));
                }
                case "/api/latency" -> {
                    requireMethod(method, "POST");
                    api.latency(HttpJson.body(ex));
                    HttpJson.send(ex, 204, null);
                }
                default -> throw new ApiException(404, "no such page or endpoint: " + path);
            }
        } catch (ApiException e) {
            HttpJson.sendError(ex, e.status, e.getMessage());
        } catch (IOException e) {
            LOG.warn("{} {} failed: {}", method, path, e.toString());
            HttpJson.sendError(
                    ex, 503, "a backing service (Elasticsearch or Kafka) is not reachable; see the demo's log");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HttpJson.sendError(ex, 503, "the server is stopping");
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            HttpJson.sendError(ex, 500, "internal error; see the demo's log");
        }
    }

    /** A read: answers it only for GET, before touching any backing service. */
    private interface Read {
        Object answer() throws IOException, InterruptedException, ApiException;
    }

    private static void get(HttpExchange ex, String method, Read read)
            throws IOException, InterruptedException, ApiException {
        requireMethod(method, "GET");
        HttpJson.send(ex, 200, read.answer());
    }

    private static void requireMethod(String method, String allowed) throws ApiException {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "method " + method + " not allowed here; use " + allowed);
        }
    }

    private static void serveResource(HttpExchange ex, String name) throws IOException, ApiException {
        byte[] bytes;
        try (InputStream in = LivePage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new ApiException(404, "missing resource " + name);
            }
            bytes = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        status.close();
        sender.close();
    }
}
