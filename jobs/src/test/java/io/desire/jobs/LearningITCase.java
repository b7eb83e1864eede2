package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.desire.features.event.EventParser;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.features.ranking.Reasons;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.ModelUpdateCodec;
import io.desire.operators.ranker.LearnedRanker;
import io.desire.operators.serving.UserRecommender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * The learning pipeline end to end on a Flink mini cluster against the real local Kafka broker and
 * Elasticsearch node: a population with planted tastes (three groups, each loyal to one category)
 * trains online ALS, co-visitation and the FTRL ranker; item vectors and ranker weights travel
 * round their Kafka loops; a new reader of books then gets a document that ranks books first,
 * discovers books she never touched through the learned models, and names the ranker's version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LearningITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final String[] CATEGORIES = {"books", "music", "toys"};
    private static final int ITEMS_PER_CATEGORY = 8;
    private static final int USERS_PER_GROUP = 20;
    /**
     * Events per user: 24 rounds give ~480 clicks and ~2,400 sampled examples, more than the
     * ranker's default {@code ranker.min-updates} (1,000) before it takes over from the sources.
     */
    private static final int ROUNDS = 24;
    /** Yesterday 08:00 UTC: the traffic's few minutes of event time stay in one Paris time bucket. */
    private static final long T0 = TestEvents.yesterdayAt(8, 0);

    private static final String PARIS_PHONE = TestEvents.CTX;

    private final String run = Long.toString(System.nanoTime(), 36);
    private final String topic = "it-learn-events-" + run;
    private final String itemFactorsTopic = "it-learn-factors-" + run;
    private final String alias = "it-learn-recs-" + run;
    private String bootstrap;
    private String esUrl;
    private LiveJob job;
    private int eventSeq;
    private long clock = T0;

    @BeforeAll
    void startJob(@TempDir Path checkpoints) throws Exception {
        bootstrap = LocalServices.kafkaBootstrap();
        esUrl = LocalServices.elasticsearchUrl();
        JobConfig cfg = JobConfig.of(Map.ofEntries(
                Map.entry(ConfigKeys.KAFKA_BOOTSTRAP.name(), bootstrap),
                Map.entry(ConfigKeys.KAFKA_TOPIC.name(), topic),
                Map.entry(ConfigKeys.KAFKA_GROUP.name(), "it-learn-" + run),
                Map.entry(ConfigKeys.DEAD_LETTER_TOPIC.name(), "it-learn-dead-" + run),
                Map.entry(ConfigKeys.TOPIC_ITEM_FACTORS.name(), itemFactorsTopic),
                Map.entry(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), "it-learn-weights-" + run),
                Map.entry(ConfigKeys.ES_HOSTS.name(), esUrl),
                Map.entry(ConfigKeys.ES_INDEX.name(), alias),
                Map.entry(ConfigKeys.PARALLELISM.name(), "2"),
                Map.entry(ConfigKeys.CHECKPOINT_INTERVAL.name(), "2s"),
                Map.entry(ConfigKeys.CHECKPOINT_DIR.name(), checkpoints.toUri().toString()),
                Map.entry(ConfigKeys.TRENDING_WINDOW.name(), "60s"),
                Map.entry(ConfigKeys.TRENDING_SLIDE.name(), "5s"),
                Map.entry(ConfigKeys.OUT_OF_ORDERNESS.name(), "1s"),
                Map.entry(ConfigKeys.IDLENESS.name(), "1s"),
                Map.entry(ConfigKeys.ALS_UPDATE_INTERVAL.name(), "200ms"),
                // What is under test is the learned path end to end, so it serves whatever the arms say.
                Map.entry(ConfigKeys.SERVE.name(), "learned")));
        assertThat(LearningPipeline.enabled(cfg))
                .as("learning is on by default")
                .isTrue();
        job = LiveJob.start(cfg, "it-learning");
    }

    @AfterAll
    void stopJob() throws Exception {
        if (job != null) {
            job.close();
        }
    }

    @Test
    void aNewReaderOfBooksGetsBooksFirstDiscoveredThroughTheLearnedModels() throws Exception {
        for (String category : CATEGORIES) {
            for (int i = 1; i <= ITEMS_PER_CATEGORY; i++) {
                send(
                        null,
                        "{\"event_id\":\"cat-" + item(category, i) + "\",\"ts\":" + T0
                                + ",\"type\":\"item\",\"item_id\":\"" + item(category, i) + "\",\"category\":\""
                                + category + "\"}");
            }
        }
        // Planted tastes: each user stays in their group's category, with views and some clicks.
        Random random = new Random(42);
        for (int round = 0; round < ROUNDS; round++) {
            for (int g = 0; g < CATEGORIES.length; g++) {
                for (int u = 0; u < USERS_PER_GROUP; u++) {
                    String item = item(CATEGORIES[g], 1 + random.nextInt(ITEMS_PER_CATEGORY));
                    behaviour("user-" + g + "-" + u, item, random.nextInt(3) == 0 ? "click" : "view");
                }
            }
        }
        job.flush();

        // A new reader: two books. Her later probes re-read them, so the document is re-ranked with
        // whatever the models have learned by then; the models are ready once her document shows it.
        String reader = "reader";
        String documentId = reader + ":" + contextKey(reader);
        Set<String> touched = new HashSet<>(List.of("books-1", "books-2"));
        behaviour(reader, "books-1", "view");
        behaviour(reader, "books-2", "click");
        JsonNode doc = null;
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            long probeTime = behaviour(reader, "books-2", "view");
            job.flush();
            JsonNode seen = pollDocument(documentId, probeTime);
            if (seen != null && learned(seen, touched)) {
                doc = seen;
                break;
            }
        }
        assertThat(doc)
                .as("the reader's document, ranked by the learned models, within " + DEADLINE)
                .isNotNull();
        JsonNode source = doc.get("_source");
        List<JsonNode> items = new ArrayList<>();
        source.get("items").forEach(items::add);
        assertThat(items.get(0).get("category").asText())
                .as("her planted favourite ranks first")
                .isEqualTo("books");
        assertThat(items.subList(0, 3))
                .as("the top three")
                .allSatisfy(i -> assertThat(i.get("category").asText()).isEqualTo("books"));
        assertThat(source.get("model_version").asText()).startsWith(UserRecommender.LEARNED_MODEL_PREFIX);
        assertThat(Long.parseLong(
                        source.get("model_version").asText().substring(UserRecommender.LEARNED_MODEL_PREFIX.length())))
                .as("weights came back from the learner through Kafka")
                .isPositive();
        assertThat(items).allSatisfy(i -> assertThat(reasons(i)).contains(LearnedRanker.REASON_FTRL));

        // The item-vector loop: the compacted topic holds versioned vectors, keyed by item.
        Map<String, Long> versions = readItemFactorVersions();
        assertThat(versions.keySet()).contains("books-3", "music-1", "toys-1");
        assertThat(versions.values()).allSatisfy(v -> assertThat(v).isPositive());
    }

    /**
     * The document shows every learned part: trained weights, ALS and sequence candidates she never
     * touched, and a category on every item. Categories come from the catalogue, which may reach an
     * item's first behaviour events after them (the catalogue and the behaviour events travel in
     * different partitions); the models pick them up from later events.
     */
    private static boolean learned(JsonNode doc, Set<String> touched) {
        String version = doc.at("/_source/model_version").asText();
        if (!version.startsWith(UserRecommender.LEARNED_MODEL_PREFIX)
                || version.equals(UserRecommender.LEARNED_MODEL_PREFIX + "0")) {
            return false;
        }
        boolean als = false;
        boolean sequence = false;
        for (JsonNode i : doc.at("/_source/items")) {
            if (!i.hasNonNull("category")) {
                return false;
            }
            if (!touched.contains(i.get("item").asText())
                    && "books".equals(i.get("category").asText())) {
                als |= reasons(i).contains(Reasons.ALS);
                sequence |= reasons(i).contains(Reasons.SEQUENCE);
            }
        }
        return als && sequence;
    }

    private static List<String> reasons(JsonNode item) {
        List<String> out = new ArrayList<>();
        item.get("reasons").forEach(r -> out.add(r.asText()));
        return out;
    }

    private static String item(String category, int i) {
        return category + "-" + i;
    }

    private String contextKey(String user) {
        return new EventParser(ParserConfig.defaults())
                .parse(new RawRecord(
                        ("{\"event_id\":\"probe\",\"ts\":" + T0 + ",\"type\":\"view\",\"user_id\":\"" + user
                                        + "\",\"item_id\":\"x\"," + PARIS_PHONE + "}")
                                .getBytes(StandardCharsets.UTF_8),
                        "probe",
                        0))
                .event()
                .contextKey();
    }

    /** Sends a behaviour event 100 ms of event time after the previous one; returns its time. */
    private long behaviour(String user, String item, String type) {
        clock += 100;
        send(
                user,
                "{\"event_id\":\"l-" + (eventSeq++) + "\",\"ts\":" + clock + ",\"type\":\"" + type + "\",\"user_id\":\""
                        + user + "\",\"item_id\":\"" + item + "\"," + PARIS_PHONE + "}");
        return clock;
    }

    private void send(String key, String json) {
        job.send(key, json);
    }

    /** The document once it reflects event time {@code atLeast}, or null after 30 s. */
    private JsonNode pollDocument(String id, long atLeast) throws Exception {
        return job.pollDocument(
                id,
                doc -> java.time.Instant.parse(doc.at("/_source/event_time").asText())
                                .toEpochMilli()
                        >= atLeast,
                Duration.ofSeconds(30));
    }

    private Map<String, Long> readItemFactorVersions() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-learn-factor-reader-" + run);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, Long> versions = new java.util.HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(itemFactorsTopic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (versions.size() < CATEGORIES.length * ITEMS_PER_CATEGORY && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    var u = ModelUpdateCodec.decodeItemFactorUpdate(r.value());
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(u.itemId);
                    versions.merge(u.itemId, u.version, Math::max);
                }
            }
        }
        return versions;
    }
}
