package io.desire.tools.demo.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.context.TimeBucketScheme;
import io.desire.jobs.JobEnvironment;
import io.desire.jobs.StreamingJob;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live page in a real headless Chromium against the real local Kafka and Elasticsearch and the
 * streaming job on a local Flink with its Prometheus endpoint, as the demo runs it (the status panel
 * reads the job's metrics there):
 * a user picked by id sees their list with reasons; pressing an item's button sends an event through
 * the page's server to Kafka, and the list changes and the new reason shows; "forget me" makes the
 * user's lists disappear. Bad requests get a 4xx with a message. Screenshot: target/live-page.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LivePageITCase {
    private static final Logger LOG = LoggerFactory.getLogger(LivePageITCase.class);
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final String run = Long.toString(System.nanoTime(), 36);
    private final String topic = "it-page-events-" + run;
    private final String user = "it-page-user-" + run;
    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaProducer<String, String> producer;
    private JobClient job;
    private LivePage page;
    private MetricsEndpoint metrics;
    private RecommendationReader reader;

    @BeforeAll
    void start(@TempDir Path home) throws Exception {
        String bootstrap = property("desire.it.kafka.bootstrap", "DESIRE_KAFKA_BOOTSTRAP");
        String esUrl = property("desire.it.es.url", "DESIRE_ES_URL");
        String alias = "it-page-recs-" + run;
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put(ConfigKeys.KAFKA_BOOTSTRAP.name(), bootstrap);
        values.put(ConfigKeys.KAFKA_TOPIC.name(), topic);
        values.put(ConfigKeys.KAFKA_GROUP.name(), "it-page-" + run);
        values.put(ConfigKeys.DEAD_LETTER_TOPIC.name(), "it-page-dead-" + run);
        values.put(ConfigKeys.ES_HOSTS.name(), esUrl);
        values.put(ConfigKeys.ES_INDEX.name(), alias);
        values.put(ConfigKeys.PARALLELISM.name(), "1");
        values.put(ConfigKeys.CHECKPOINT_INTERVAL.name(), "2s");
        values.put(
                ConfigKeys.CHECKPOINT_DIR.name(),
                home.resolve("checkpoints").toUri().toString());
        values.put(ConfigKeys.TRENDING_WINDOW.name(), "1min");
        values.put(ConfigKeys.TRENDING_SLIDE.name(), "5s");
        // the blend alone: its reasons follow from the events below, whatever the models learn
        values.put(ConfigKeys.LEARNING_ENABLED.name(), "false");
        JobConfig cfg = JobConfig.of(values);
        Topics.ensure(bootstrap, topic, cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        // a local Flink with its Prometheus endpoint, as the demo runs the job
        Configuration flink = new Configuration();
        metrics = MetricsEndpoint.configure(flink, 0, home);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(JobEnvironment.flinkConfiguration(flink, cfg));
        StreamingJob.wire(env, cfg);
        job = env.executeAsync("desire-streaming");
        page = LivePage.start(new LivePage.Settings(
                bootstrap, topic, esUrl, alias, metrics.url(), TimeBucketScheme.DAYPART_WEEKPART, 0, 0));
        reader = new RecommendationReader(esUrl, alias);
        seed();
        // The tests act as an app does once the job's index exists and is searchable (until its shards
        // start, Elasticsearch answers 503): wait for the seeded user's first document.
        assertThat(io.desire.jobs.Eventually.pollNonNull(DEADLINE, () -> {
                    try {
                        return reader.listsOf(user).isEmpty() ? null : Boolean.TRUE;
                    } catch (IOException e) {
                        return null;
                    }
                }))
                .as("the seeded user's first document in %s", alias)
                .isNotNull();
    }

    /**
     * A small catalogue, other users viewing its items, the user's first view of one book, and one
     * record that is not JSON. Event times lie in the recent past so that trending windows close.
     */
    private void seed() {
        long now = System.currentTimeMillis();
        for (int i = 1; i <= 4; i++) {
            send(
                    null,
                    "{\"event_id\":\"cat-b" + i + "-" + run + "\",\"ts\":" + (now - 60_000) + ",\"type\":\"item\","
                            + "\"item_id\":\"book-" + i + "\",\"category\":\"books\",\"price\":10,\"available\":true}");
            send(
                    null,
                    "{\"event_id\":\"cat-g" + i + "-" + run + "\",\"ts\":" + (now - 60_000) + ",\"type\":\"item\","
                            + "\"item_id\":\"game-" + i + "\",\"category\":\"games\",\"price\":30,\"available\":true}");
        }
        for (int u = 1; u <= 3; u++) {
            for (int i = 1; i <= 4; i++) {
                view(
                        "it-page-other-" + u + "-" + run,
                        (i % 2 == 0 ? "book-" : "game-") + i,
                        now - 50_000 + u * 100 + i);
            }
        }
        view(user, "book-1", now - 20_000);
        send(null, "this is not json");
        producer.flush();
    }

    private void view(String who, String item, long ts) {
        send(
                who,
                "{\"event_id\":\"v-" + who + "-" + item + "-" + ts + "\",\"ts\":" + ts + ",\"type\":\"view\","
                        + "\"user_id\":\"" + who + "\",\"item_id\":\"" + item + "\",\"context\":{\"lat\":48.8566,"
                        + "\"lon\":2.3522,\"device\":\"phone\",\"tz\":\"Europe/Paris\"}}");
    }

    /**
     * Views book-1 again until the user's list also holds items they have not touched (from the
     * context's trending list, which the job emits once the watermark passes a window's end).
     */
    private boolean awaitListBeyondTheUsersOwnItem() throws Exception {
        return poll(() -> {
                    view(user, "book-1", System.currentTimeMillis());
                    producer.flush();
                    try {
                        return new ObjectNodeList(reader.listsOf(user)).hasItemOtherThan("book-1")
                                ? Boolean.TRUE
                                : null;
                    } catch (IOException e) {
                        return null; // the job's index is still being created (its shards are not yet searchable)
                    }
                })
                != null;
    }

    /** The user's lists as read from Elasticsearch. */
    private record ObjectNodeList(List<com.fasterxml.jackson.databind.node.ObjectNode> lists) {
        boolean hasItemOtherThan(String item) {
            return lists.stream().anyMatch(d -> {
                for (com.fasterxml.jackson.databind.JsonNode i : d.path("items")) {
                    if (!i.path("item").asText().equals(item)) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    @Test
    void aUserSeesTheirListChangeAsTheyActAndCanBeForgotten() throws Exception {
        assertThat(awaitListBeyondTheUsersOwnItem())
                .as("the job wrote the user's list with trending items")
                .isTrue();
        try (LivePageDriver browser = new LivePageDriver(page.url())) {
            browser.pickUser("it-nobody-" + run);
            browser.await(DEADLINE, d -> browser.text("message").contains("unknown user") ? Boolean.TRUE : null);

            browser.pickUser(user);
            browser.await(DEADLINE, d -> browser.items().size() > 1 ? Boolean.TRUE : null);
            assertThat(browser.text("doc-meta")).contains("model: blend-v1").contains("event time");
            // another context, as an app there reads it: no list yet, so the README's fall-back query
            new org.openqa.selenium.support.ui.Select(browser.browser().findElement(By.id("ctx-device")))
                    .selectByValue("tv");
            browser.browser().findElement(By.id("ctx-show")).click();
            browser.await(
                    DEADLINE,
                    d -> browser.text("message").contains(":tv yet; an app there falls back to") ? Boolean.TRUE : null);
            assertThat(browser.items()).isNotEmpty();
            browser.browser().findElement(By.id("ctx-last")).click();
            browser.await(DEADLINE, d -> browser.text("doc-user").endsWith(":mobile") ? Boolean.TRUE : null);

            List<String> before = browser.rows();
            assertThat(String.join("\n", before)).contains("trending near you this");

            // an item of the list the user has not touched yet: after a click it is one they interacted with
            String target = browser.items().stream()
                    .filter(i -> !browser.row(i).contains("because you viewed it before"))
                    .findFirst()
                    .orElseThrow();
            assertThat(browser.row(target)).doesNotContain("because you viewed it before");
            long ms = browser.act(target, "click", DEADLINE);
            LOG.info("click -> updated list in {} ms (measured by the page)", ms);

            assertThat(browser.rows()).as("the list after the click").isNotEqualTo(before);
            assertThat(browser.row(target)).contains("because you viewed it before");
            assertThat(browser.text("latency")).matches("list updated \\d+ ms after the click.*");
            browser.await(DEADLINE, d -> browser.text("latency-summary").contains("p50") ? Boolean.TRUE : null);
            String status = poll(() -> {
                String body = http.send(
                                HttpRequest.newBuilder(URI.create(page.url() + "api/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                return body.contains("NOT_JSON") ? body : null;
            });
            assertThat(status)
                    .as("the job's metrics behind the status panel, with the record that is not JSON")
                    .isNotNull();
            browser.await(DEADLINE, d -> browser.text("dead-letters").contains("NOT_JSON") ? Boolean.TRUE : null);
            browser.screenshot(Path.of("target", "live-page.png"));

            browser.forget(DEADLINE);
            assertThat(browser.items()).isEmpty();
            assertThat(browser.browser().findElements(By.cssSelector("#context-select option")))
                    .isEmpty();
            assertThat(reader.listsOf(user))
                    .as("the user's documents in Elasticsearch")
                    .isEmpty();
            browser.screenshot(Path.of("target", "live-page-forgotten.png"));
        }
    }

    @Test
    void badRequestsGetAClearClientErrorAndNoStackTrace() throws Exception {
        HttpResponse<String> unknown = post(
                "/api/act",
                "{\"user\":\"it-nobody-" + run + "\",\"item\":\"book-1\","
                        + "\"type\":\"view\",\"context\":{\"geo_cell\":\"u09tq\",\"time_bucket\":\"weekday-evening\",\"device\":\"mobile\"}}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown user");
        HttpResponse<String> forgetUnknown = post("/api/forget", "{\"user\":\"it-nobody-" + run + "\"}");
        assertThat(forgetUnknown.statusCode()).isEqualTo(404);
        HttpResponse<String> badJson = post("/api/act", "{\"user\": oops");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).contains("not valid JSON");
        HttpResponse<String> huge = post("/api/act", "{\"user\":\"" + "x".repeat(HttpJson.MAX_BODY_BYTES) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        HttpResponse<String> lists = http.send(
                HttpRequest.newBuilder(URI.create(page.url() + "api/lists?user=it-nobody-" + run))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(lists.statusCode()).isEqualTo(404);
        for (HttpResponse<String> r : List.of(unknown, forgetUnknown, badJson, huge, lists)) {
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(page.url() + path.substring(1)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void send(String key, String json) {
        producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, json));
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until a non-null answer or the deadline; null at the deadline. */
    private static <T> T poll(Probe<T> probe) throws Exception {
        return io.desire.jobs.Eventually.pollNonNull(DEADLINE, probe::get);
    }

    @AfterAll
    void stop() throws Exception {
        if (page != null) {
            page.close();
        }
        if (job != null) {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        if (producer != null) {
            producer.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private static String property(String name, String env) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("The live page test needs the real servers: " + name + " (or " + env
                    + ") is not set. Run it with `bin/desire test`.");
        }
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
    }
}
