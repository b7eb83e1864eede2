package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job end to end on a Flink mini cluster against the real local Kafka broker and
 * Elasticsearch node: events in through Kafka, the documents an app reads, dead letters with their
 * reasons in the dead-letter topic, and the effect of {@code forget_user}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /**
     * Event time of the test's traffic: yesterday 08:00 UTC, so all events (a few minutes of event
     * time) fall in one time bucket of the Paris morning, whatever the season.
     */
    private static final long T0 = TestEvents.yesterdayAt(8, 0);

    private static final String PARIS_PHONE = TestEvents.CTX;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = Long.toString(System.nanoTime(), 36);
    private final String topic = "it-events-" + run;
    private final String deadLetterTopic = "it-dead-" + run;
    private final String alias = "it-recs-" + run;
    private String bootstrap;
    private String esUrl;
    private LiveJob job;
    private int eventSeq;

    @BeforeAll
    void startJob(@TempDir Path checkpoints) throws Exception {
        bootstrap = LocalServices.kafkaBootstrap();
        esUrl = LocalServices.elasticsearchUrl();
        JobConfig cfg = JobConfig.of(Map.of(
                ConfigKeys.KAFKA_BOOTSTRAP.name(),
                bootstrap,
                ConfigKeys.KAFKA_TOPIC.name(),
                topic,
                ConfigKeys.KAFKA_GROUP.name(),
                "it-" + run,
                ConfigKeys.DEAD_LETTER_TOPIC.name(),
                deadLetterTopic,
                ConfigKeys.ES_HOSTS.name(),
                esUrl,
                ConfigKeys.ES_INDEX.name(),
                alias,
                ConfigKeys.PARALLELISM.name(),
                "2",
                ConfigKeys.CHECKPOINT_INTERVAL.name(),
                "1s",
                ConfigKeys.CHECKPOINT_DIR.name(),
                checkpoints.toUri().toString(),
                ConfigKeys.TRENDING_WINDOW.name(),
                "20s"));
        JobConfig withSlide = cfg.with(ConfigKeys.TRENDING_SLIDE.name(), "2s")
                .with(ConfigKeys.TOPIC_ITEM_FACTORS.name(), "it-factors-" + run)
                .with(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), "it-weights-" + run)
                .with(ConfigKeys.OUT_OF_ORDERNESS.name(), "1s")
                .with(ConfigKeys.IDLENESS.name(), "1s");
        job = LiveJob.start(withSlide, "it-streaming");
    }

    @AfterAll
    void stopJob() throws Exception {
        if (job != null) {
            job.close();
        }
    }

    @Test
    void appsReadContextAwareRecommendationsAndForgottenUsersDisappear() throws Exception {
        // Catalog: five books, five music albums.
        for (int i = 1; i <= 5; i++) {
            send(
                    null,
                    "{\"event_id\":\"cat-b" + i + "\",\"ts\":" + T0 + ",\"type\":\"item\",\"item_id\":\"b" + i
                            + "\",\"category\":\"books\",\"price\":10}");
            send(
                    null,
                    "{\"event_id\":\"cat-m" + i + "\",\"ts\":" + T0 + ",\"type\":\"item\",\"item_id\":\"m" + i
                            + "\",\"category\":\"music\",\"price\":10}");
        }
        job.flush();
        // Others in the same context (Paris, phone) make m1 and m2 trend there.
        long t = T0 + 1_000;
        for (String user : List.of("bob", "carol", "dan")) {
            for (String item : List.of("m1", "m1", "m2")) {
                behaviour(user, item, "click", t += 100, null);
            }
        }
        // Alice loves books: she bought b1 and keeps looking at b2 and b3.
        behaviour("alice", "b1", "purchase", t += 100, 10.0);
        for (int i = 0; i < 4; i++) {
            behaviour("alice", "b2", "view", t += 100, null);
            behaviour("alice", "b3", "view", t += 100, null);
        }
        // Records an app cannot use: they must reach the dead-letter topic with their reasons.
        send(null, "{\"event_id\":\"bad-1\",");
        send(
                null,
                "{\"event_id\":\"bad-2\",\"ts\":" + t + ",\"type\":\"teleport\",\"user_id\":\"x\",\"item_id\":\"y\"}");
        send(
                null,
                "{\"event_id\":\"bad-3\",\"ts\":" + t
                        + ",\"type\":\"rate\",\"user_id\":\"x\",\"item_id\":\"y\",\"value\":42}");
        job.flush();

        // Later events of Alice, once the other users' clicks made m1 trend in her context: her
        // document then blends her taste with what is popular around her.
        String aliceDoc = "alice:" + contextKeyOf("alice");
        JsonNode doc = null;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            behaviour("alice", "b2", "view", t += 2_000, null);
            job.flush();
            doc = pollDocument(aliceDoc, d -> hasReason(d, "context_trending"), Duration.ofSeconds(2));
            if (doc != null) {
                break;
            }
        }
        assertThat(doc).as("alice's document with context trending items").isNotNull();
        JsonNode source = doc.get("_source");
        assertThat(source.get("user").asText()).isEqualTo("alice");
        assertThat(source.at("/context/device").asText()).isEqualTo("mobile");
        List<String> items = new ArrayList<>();
        source.get("items").forEach(i -> items.add(i.get("item").asText()));
        assertThat(items).as("purchased items are not recommended again").doesNotContain("b1");
        assertThat(source.at("/items/0/category").asText())
                .as("her favourite category ranks first")
                .isEqualTo("books");
        assertThat(items).contains("m1");
        source.get("items").forEach(i -> assertThat(i.get("reasons")).isNotEmpty());

        // Apps query by context fields too.
        JsonNode hits = search("{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"context.device\":\"mobile\"}},"
                + "{\"term\":{\"context.geo_cell\":\""
                + source.at("/context/geo_cell").asText() + "\"}}]}},\"size\":50}");
        List<String> users = new ArrayList<>();
        hits.forEach(h -> users.add(h.at("/_source/user").asText()));
        assertThat(users).contains("alice", "bob", "carol", "dan");

        // Dead letters: reason, origin and the raw bytes.
        List<JsonNode> deadLetters = readDeadLetters(3);
        assertThat(deadLetters)
                .extracting(d -> d.get("reason").asText())
                .containsExactlyInAnyOrder("NOT_JSON", "UNKNOWN_TYPE", "VALUE_OUT_OF_RANGE");
        assertThat(deadLetters)
                .allSatisfy(d -> assertThat(d.get("source").asText()).startsWith("kafka:" + topic + "/"));
        assertThat(deadLetters)
                .anySatisfy(d -> assertThat(new String(
                                java.util.Base64.getDecoder()
                                        .decode(d.get("raw_base64").asText()),
                                StandardCharsets.UTF_8))
                        .isEqualTo("{\"event_id\":\"bad-1\","));

        // The right to be forgotten: all of Alice's documents go, everyone else's stay.
        send(
                "alice",
                "{\"event_id\":\"forget-alice\",\"ts\":" + (t += 100)
                        + ",\"type\":\"forget_user\",\"user_id\":\"alice\"}");
        job.flush();
        assertThat(pollCount("alice", 0))
                .as("alice's documents after forget_user")
                .isZero();
        assertThat(countOfUser("bob")).isPositive();
    }

    private boolean hasReason(JsonNode doc, String reason) {
        for (JsonNode item : doc.at("/_source/items")) {
            for (JsonNode r : item.get("reasons")) {
                if (r.asText().equals(reason)) {
                    return true;
                }
            }
        }
        return false;
    }

    private String contextKeyOf(String user) throws Exception {
        // The context key the parser derives for the Paris phone context at the test's event time.
        io.desire.features.event.ParseOutcome o = new io.desire.features.event.EventParser(
                        io.desire.features.event.ParserConfig.defaults())
                .parse(new io.desire.features.event.RawRecord(
                        ("{\"event_id\":\"probe\",\"ts\":" + T0 + ",\"type\":\"view\",\"user_id\":\"" + user
                                        + "\",\"item_id\":\"b2\"," + PARIS_PHONE + "}")
                                .getBytes(StandardCharsets.UTF_8),
                        "probe",
                        0));
        return o.event().contextKey();
    }

    private void behaviour(String user, String item, String type, long ts, Double value) {
        send(
                user,
                "{\"event_id\":\"e-" + (eventSeq++) + "\",\"ts\":" + ts + ",\"type\":\"" + type + "\",\"user_id\":\""
                        + user + "\",\"item_id\":\"" + item + "\"" + (value == null ? "" : ",\"value\":" + value)
                        + "," + PARIS_PHONE + "}");
    }

    private void send(String key, String json) {
        job.send(key, json);
    }

    private JsonNode pollDocument(String id, Predicate<JsonNode> condition, Duration within) throws Exception {
        return job.pollDocument(id, condition, within);
    }

    private JsonNode search(String query) throws Exception {
        http.send(
                HttpRequest.newBuilder(URI.create(esUrl + "/" + alias + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(esUrl + "/" + alias + "/_search"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(query))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).at("/hits/hits");
    }

    private long countOfUser(String user) throws Exception {
        return DocumentCounts.ofUser(alias, user);
    }

    private long pollCount(String user, long expected) throws Exception {
        return Eventually.poll(DEADLINE, () -> countOfUser(user), count -> count == expected);
    }

    private List<JsonNode> readDeadLetters(int expected) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dead-reader-" + run);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(deadLetterTopic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(JSON.readTree(r.value()));
                }
            }
        }
        return out;
    }
}
