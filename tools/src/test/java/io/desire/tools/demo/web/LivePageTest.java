package io.desire.tools.demo.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.context.TimeBucketScheme;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The page server's answers to bad requests, without any backing service: every mistake is a 4xx
 * with a JSON message, an unreachable Elasticsearch a 503, and no answer carries a stack trace. The
 * server listens on the loopback interface only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LivePageTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private LivePage page;

    @BeforeAll
    void start() throws Exception {
        // nothing listens on port 1: Kafka and Elasticsearch are unreachable
        page = LivePage.start(new LivePage.Settings(
                "127.0.0.1:1",
                "events",
                "http://127.0.0.1:1",
                "recs",
                "http://127.0.0.1:1/metrics",
                TimeBucketScheme.DAYPART_WEEKPART,
                0,
                200));
    }

    @AfterAll
    void stop() {
        page.close();
    }

    @Test
    void servesThePageOnLoopbackOnly() throws Exception {
        assertThat(page.url()).startsWith("http://127.0.0.1:");
        HttpResponse<String> r = get("");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<script src=\"/app.js\">").contains("id=\"recs\"");
        assertThat(get("app.js").statusCode()).isEqualTo(200);
    }

    @Test
    void refusesMalformedBodies() throws Exception {
        assertError(post("api/act", "application/json", "{\"user\": oops"), 400, "not valid JSON");
        assertError(post("api/act", "application/json", "[1,2]"), 400, "JSON object");
        assertError(post("api/act", "application/json", ""), 400, "empty");
        assertError(post("api/act", "text/plain", "{}"), 415, "application/json");
        assertError(
                post("api/act", "application/json", "{\"u\":\"" + "x".repeat(HttpJson.MAX_BODY_BYTES) + "\"}"),
                413,
                "larger than");
    }

    @Test
    void refusesMissingOrMalformedFields() throws Exception {
        assertError(post("api/act", "application/json", "{\"item\":\"i1\",\"type\":\"view\"}"), 400, "user is missing");
        assertError(
                post("api/act", "application/json", "{\"user\":\"u 1\",\"item\":\"i1\",\"type\":\"view\"}"),
                400,
                "user:");
        assertError(
                post(
                        "api/act",
                        "application/json",
                        "{\"user\":\"u1\",\"item\":\"i1\",\"type\":\"steal\"," + "\"context\":{}}"),
                400,
                "type must be one of");
        assertError(
                post("api/act", "application/json", "{\"user\":\"u1\",\"item\":\"i1\",\"type\":\"rate\"}"),
                400,
                "numeric value");
        assertError(
                post("api/act", "application/json", "{\"user\":\"u1\",\"item\":\"i1\",\"type\":\"view\"}"),
                400,
                "context must be an object");
        assertError(post("api/latency", "application/json", "{\"ms\":\"fast\"}"), 400, "ms must be");
        assertError(get("api/lists"), 400, "user is missing");
        assertError(get("api/lists?user=a%20b"), 400, "user:");
    }

    @Test
    void refusesUnknownPathsAndMethods() throws Exception {
        assertError(get("api/nothing"), 404, "no such page");
        assertError(get("api/act"), 405, "use POST");
        assertError(post("api/status", "application/json", "{}"), 405, "use GET");
    }

    @Test
    void anUnreachableElasticsearchIsAServiceErrorWithoutDetails() throws Exception {
        assertError(get("api/lists?user=u1"), 503, "not reachable");
    }

    private void assertError(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(r.body())
                .contains("\"error\"")
                .contains(message)
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(page.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String type, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(page.url() + path))
                        .header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
