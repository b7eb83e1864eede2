package io.desire.sinks.elasticsearch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An in-process HTTP server that answers like Elasticsearch with canned responses and records every
 * request, for writer tests without a real cluster.
 */
final class StubElasticsearch implements AutoCloseable {

    record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        List<String> lines() {
            return body.isEmpty() ? List.of() : List.of(body.split("\n"));
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    record Response(int status, String body) {}

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Response> handler = r -> new Response(200, "{}");

    StubElasticsearch() throws IOException {
        this(false);
    }

    /**
     * @param https serve TLS with the throw-away certificate in {@code stub-es-server.p12}
     *     (CA: {@code stub-es-ca.pem}, CN and SAN 127.0.0.1)
     */
    StubElasticsearch(boolean https) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        if (https) {
            HttpsServer tls = HttpsServer.create(address, 0);
            tls.setHttpsConfigurator(new HttpsConfigurator(serverTls()));
            server = tls;
        } else {
            server = HttpServer.create(address, 0);
        }
        server.createContext("/", this::handle);
        // Requests are answered concurrently, as Elasticsearch does, so a handler may hold one
        // request while others arrive.
        server.setExecutor(handlers);
        server.start();
    }

    String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort();
    }

    static Path resource(String name) {
        try {
            return Path.of(StubElasticsearch.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext serverTls() throws IOException {
        try (InputStream in = Files.newInputStream(resource("stub-es-server.p12"))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, "changeit".toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    void respond(Function<Request, Response> handler) {
        this.handler = handler;
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    List<Request> requests(String pathSuffix) {
        return requests.stream().filter(r -> r.path().endsWith(pathSuffix)).collect(Collectors.toList());
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] in = exchange.getRequestBody().readAllBytes();
        Request request = new Request(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()),
                new String(in, StandardCharsets.UTF_8));
        requests.add(request);
        Response response;
        try {
            response = handler.apply(request);
        } catch (RuntimeException e) {
            response = new Response(
                    500, "{\"error\":{\"type\":\"stub_failure\",\"reason\":\"" + e + "\"},\"status\":500}");
        }
        byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
        // The 8.x client refuses responses without this header.
        exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        boolean head = "HEAD".equals(request.method());
        exchange.sendResponseHeaders(response.status(), head || out.length == 0 ? -1 : out.length);
        if (!head && out.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
        exchange.close();
    }

    // ---- canned Elasticsearch bodies ----

    /** A bulk response with one item per given item JSON. */
    static String bulkResponse(String... items) {
        boolean errors = false;
        for (String item : items) {
            errors |= item.contains("\"error\"");
        }
        return "{\"took\":1,\"errors\":" + errors + ",\"items\":[" + String.join(",", items) + "]}";
    }

    static String ok(String id) {
        return "{\"index\":{\"_index\":\"desire-recs-000001\",\"_id\":\"" + id + "\",\"_version\":1,"
                + "\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},"
                + "\"_seq_no\":0,\"_primary_term\":1,\"status\":201}}";
    }

    static String failed(String id, int status, String type, String reason) {
        return "{\"index\":{\"_index\":\"desire-recs-000001\",\"_id\":\"" + id + "\",\"status\":" + status
                + ",\"error\":{\"type\":\"" + type + "\",\"reason\":\"" + reason + "\"}}}";
    }

    static String error(int status, String type, String reason) {
        return "{\"error\":{\"root_cause\":[{\"type\":\"" + type + "\",\"reason\":\"" + reason + "\"}]," + "\"type\":\""
                + type + "\",\"reason\":\"" + reason + "\"},\"status\":" + status + "}";
    }

    /** Ids of the index operations in a bulk request body, in order. */
    static List<String> bulkIds(Request bulk) {
        List<String> ids = new ArrayList<>();
        for (String line : bulk.lines()) {
            if (line.startsWith("{\"index\":")) {
                int start = line.indexOf("\"_id\":\"") + 7;
                ids.add(line.substring(start, line.indexOf('"', start)));
            }
        }
        return ids;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
