package io.desire.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads every recommendation document of the alias every two seconds, as an app would, and checks
 * that none ever goes back: a document's external version (the event time it reflects) and its
 * {@code profile_events} may only grow between two reads. A read that fails (Elasticsearch down) is
 * skipped. Also keeps each user's largest {@code profile_events}: the events their profile counted.
 */
final class DocumentWatch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Elasticsearch's default {@code index.max_result_window}: one page holds every document. */
    private static final int PAGE = 10_000;

    private final String es;
    private final String alias;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, long[]> seen = new HashMap<>();
    private final AtomicLong regressions = new AtomicLong();
    private final AtomicLong dips = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private volatile Map<String, Long> counts = Map.of();
    private volatile long documents;
    private volatile String firstRegression;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-document-watch");
        t.setDaemon(true);
        return t;
    });

    DocumentWatch(String esUrl, String alias) {
        this.es = esUrl.endsWith("/") ? esUrl.substring(0, esUrl.length() - 1) : esUrl;
        this.alias = alias;
    }

    void start() {
        poller.scheduleWithFixedDelay(
                () -> {
                    try {
                        read(false);
                    } catch (IOException e) {
                        // Elasticsearch down or restarting: the next read looks again
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                0,
                2,
                TimeUnit.SECONDS);
    }

    /**
     * Reads every document now (after a refresh when asked, so it sees every write acknowledged before)
     * and returns each user's largest {@code profile_events}.
     */
    synchronized Map<String, Long> read(boolean refresh) throws IOException, InterruptedException {
        if (refresh) {
            http.send(
                    HttpRequest.newBuilder(URI.create(es + "/" + alias + "/_refresh"))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        String query = "{\"size\":" + PAGE + ",\"version\":true,\"_source\":[\"user\",\"profile_events\"],"
                + "\"query\":{\"match_all\":{}}}";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(es + "/" + alias + "/_search"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(query))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return counts; // no index yet
        }
        if (r.statusCode() != 200) {
            throw new IOException("search answered " + r.statusCode());
        }
        JsonNode hits = JSON.readTree(r.body()).path("hits");
        if (hits.path("total").path("value").asLong() > PAGE) {
            throw new IllegalStateException("more than " + PAGE + " documents: use fewer users");
        }
        Map<String, Long> perUser = new TreeMap<>();
        long docs = 0;
        for (JsonNode h : hits.path("hits")) {
            docs++;
            String id = h.path("_id").asText();
            long version = h.path("_version").asLong();
            long events = h.path("_source").path("profile_events").asLong();
            long[] before = seen.get(id);
            if (before != null && (version < before[0] || events < before[1])) {
                (version < before[0] ? regressions : dips).incrementAndGet();
                if (firstRegression == null) {
                    firstRegression = id + ": version " + before[0] + " -> " + version + ", profile_events " + before[1]
                            + " -> " + events;
                }
            }
            seen.put(id, new long[] {
                Math.max(version, before == null ? 0 : before[0]), Math.max(events, before == null ? 0 : before[1])
            });
            perUser.merge(h.path("_source").path("user").asText(), events, Math::max);
        }
        counts = perUser;
        documents = docs;
        reads.incrementAndGet();
        return perUser;
    }

    /** Reads that found a document with an older version than a read before, so far. */
    long regressions() {
        return regressions.get();
    }

    /** Reads that found a document counting fewer events than a read before (its version not older). */
    long dips() {
        return dips.get();
    }

    /** The first document seen going back, with what changed. */
    String firstRegression() {
        return firstRegression;
    }

    /** Each user's largest {@code profile_events} at the last successful read. */
    Map<String, Long> counts() {
        return counts;
    }

    long documents() {
        return documents;
    }

    long reads() {
        return reads.get();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
