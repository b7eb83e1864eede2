package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.EventParser;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.features.privacy.PseudonymKeySource;
import io.desire.features.privacy.Pseudonymizer;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.privacy.SweptState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pseudonymous ids end to end on a mini cluster against the real local Kafka and Elasticsearch: the
 * streaming job with {@code privacy.pseudonyms} (and differentially private trending) receives events
 * of users whose raw ids all start with {@value #RAW}, and afterwards no raw id is found in a savepoint
 * of the running job, in any topic the job writes (dead letters, model loops) or in the index — while
 * each of those places does hold the pseudonyms, so the scan is known to look at real data. An app
 * finds a user's document through {@link Pseudonymizer} with the same key; the raw payload of a
 * rejected record is only on the protected raw dead-letter topic.
 */
class PrivacyITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String RAW = "raw-secret-";
    private static final String KEY_HEX = "d24119d01f02e63b55c8704bad9fa2e0ccd81d309b1b5a3c46723fd215e8de96";
    private static final int USERS = 30;
    private static final long T0 = TestEvents.yesterdayAt(8, 0);
    private static final String PARIS_PHONE = TestEvents.CTX;

    private final String run = Long.toString(System.nanoTime(), 36);
    private final String alias = "it-privacy-recs-" + run;
    private final String deadLetters = "it-privacy-dead-" + run;
    private final String rawDeadLetters = "it-privacy-dead-raw-" + run;
    private final String factors = "it-privacy-factors-" + run;
    private final String weights = "it-privacy-weights-" + run;
    private final String erasures = "it-privacy-erasures-" + run;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void noRawUserIdInSavepointTopicsOrIndexAndAppsFindDocumentsByPseudonym(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("pseudonym.key");
        Files.writeString(keyFile, KEY_HEX + "\n");
        JobConfig cfg = JobConfig.of(Map.ofEntries(
                Map.entry(ConfigKeys.KAFKA_BOOTSTRAP.name(), LocalServices.kafkaBootstrap()),
                Map.entry(ConfigKeys.KAFKA_TOPIC.name(), "it-privacy-events-" + run),
                Map.entry(ConfigKeys.KAFKA_GROUP.name(), "it-privacy-" + run),
                Map.entry(ConfigKeys.DEAD_LETTER_TOPIC.name(), deadLetters),
                Map.entry(ConfigKeys.PRIVACY_RAW_DEAD_LETTER_TOPIC.name(), rawDeadLetters),
                Map.entry(ConfigKeys.TOPIC_ITEM_FACTORS.name(), factors),
                Map.entry(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), weights),
                Map.entry(ConfigKeys.PRIVACY_ERASURE_TOPIC.name(), erasures),
                Map.entry(ConfigKeys.ES_HOSTS.name(), LocalServices.elasticsearchUrl()),
                Map.entry(ConfigKeys.ES_INDEX.name(), alias),
                Map.entry(ConfigKeys.PARALLELISM.name(), "2"),
                Map.entry(ConfigKeys.CHECKPOINT_INTERVAL.name(), "1s"),
                Map.entry(
                        ConfigKeys.CHECKPOINT_DIR.name(),
                        dir.resolve("checkpoints").toUri().toString()),
                Map.entry(ConfigKeys.TRENDING_WINDOW.name(), "60s"),
                Map.entry(ConfigKeys.TRENDING_SLIDE.name(), "5s"),
                Map.entry(ConfigKeys.OUT_OF_ORDERNESS.name(), "1s"),
                Map.entry(ConfigKeys.IDLENESS.name(), "1s"),
                Map.entry(ConfigKeys.RANKER_MIN_UPDATES.name(), "10"),
                Map.entry(ConfigKeys.PRIVACY_PSEUDONYMS.name(), "true"),
                Map.entry(ConfigKeys.PRIVACY_KEY_FILE.name(), keyFile.toString()),
                Map.entry(ConfigKeys.DP_EPSILON.name(), "1")));
        Pseudonymizer app = Pseudonymizer.from(PseudonymKeySource.of("k1", keyFile.toString()));

        String savepoint;
        String lastUserDocId = app.pseudonym(RAW + "user-" + (USERS - 1)) + ":" + contextKey();
        try (LiveJob job = LiveJob.start(cfg, "it-privacy")) {
            long clock = T0;
            int seq = 0;
            for (int round = 0; round < 6; round++) {
                for (int u = 0; u < USERS; u++) {
                    clock += 100;
                    String user = RAW + "user-" + u;
                    job.send(
                            user,
                            "{\"event_id\":\"p-" + (seq++) + "\",\"ts\":" + clock + ",\"type\":\""
                                    + (round % 3 == 2 ? "click" : "view") + "\",\"user_id\":\"" + user
                                    + "\",\"item_id\":\"item-"
                                    + ((u + round) % 7) + "\"," + PARIS_PHONE + "}");
                }
            }
            // a record the parser rejects (no ts): its raw bytes hold a raw id
            job.send(
                    null,
                    "{\"event_id\":\"bad-1\",\"type\":\"view\",\"user_id\":\"" + RAW
                            + "bad-user\",\"item_id\":\"item-1\"}");
            job.send(
                    null,
                    "{\"event_id\":\"forget-1\",\"ts\":" + (clock + 100) + ",\"type\":\"forget_user\",\"user_id\":\""
                            + RAW + "user-3\"}");
            long lastTs = clock;
            job.flush();

            // the app computes the pseudonym with the same key and reads the document by id
            com.fasterxml.jackson.databind.JsonNode doc = job.pollDocument(
                    lastUserDocId,
                    d -> Instant.parse(d.at("/_source/event_time").asText()).toEpochMilli() >= lastTs,
                    Duration.ofSeconds(90));
            assertThat(doc).as("the last user's document, found by pseudonym").isNotNull();
            assertThat(doc.at("/_source/user").asText()).isEqualTo(app.pseudonym(RAW + "user-" + (USERS - 1)));
            // the rejected record has reached both dead-letter topics (committed with a checkpoint)
            assertThat(TopicRecords.committed(deadLetters, 1, Duration.ofSeconds(60)))
                    .singleElement()
                    .satisfies(v -> assertThat(v)
                            .doesNotContain(RAW)
                            .contains("MISSING_FIELD")
                            .contains("\"raw_base64\":null"));
            assertThat(TopicRecords.committed(rawDeadLetters, 1, Duration.ofSeconds(60)))
                    .singleElement()
                    .satisfies(v -> assertThat(decodeRaw(v)).contains(RAW + "bad-user"));
            // the erasure log: the request, by pseudonym, with its request id
            assertThat(TopicRecords.committed(erasures, 1, Duration.ofSeconds(60)))
                    .singleElement()
                    .satisfies(v -> assertThat(v)
                            .contains("\"user\":\"" + app.pseudonym(RAW + "user-3") + "\"")
                            .contains("\"request_id\":\"forget-1\"")
                            .doesNotContain(RAW));
            savepoint = job.savepoint(dir.resolve("savepoints"));
        }

        // 1. the savepoint: every file, byte for byte (strings of ASCII ids are stored verbatim)
        String pseudonym = app.pseudonym(RAW + "user-0");
        List<Path> files;
        try (Stream<Path> s =
                Files.walk(Path.of(URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint)))) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        StringBuilder all = new StringBuilder();
        for (Path f : files) {
            all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        assertThat(all.indexOf(pseudonym))
                .as("the savepoint holds the pseudonyms (the scan sees user state)")
                .isNotNegative();
        assertThat(all.indexOf(RAW)).as("a raw user id in the savepoint").isNegative();
        // ... and read back through the State Processor API, uncompressed: no key and no value of the
        // user-keyed operators holds a raw id (Flink writes ASCII strings one byte per char)
        String rawHex = HexFormat.of().formatHex(RAW.getBytes(StandardCharsets.US_ASCII));
        Map<String, List<String>> rows = SweptState.rowsByOperator(savepoint, cfg);
        assertThat(rows.get(io.desire.operators.Uids.USER_RECOMMENDER))
                .as("the read-back sees the users' state")
                .anyMatch(row -> row.contains(pseudonym));
        rows.forEach((uid, r) ->
                assertThat(r).as("state rows of " + uid).noneMatch(row -> row.contains(RAW) || row.contains(rawHex)));

        // 2. every topic the job writes, from the start, including uncommitted records
        for (String topic : List.of(deadLetters, factors, weights, erasures)) {
            assertThat(String.join("\n", TopicRecords.all(topic, Duration.ofSeconds(60))))
                    .as("topic " + topic)
                    .doesNotContain(RAW);
        }
        assertThat(TopicRecords.all(factors, Duration.ofSeconds(60)))
                .as("the item-factor loop carries data")
                .isNotEmpty();

        // 3. the index, every document
        String es = LocalServices.elasticsearchUrl();
        send(HttpRequest.newBuilder(URI.create(es + "/" + alias + "/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        String docs = send(HttpRequest.newBuilder(URI.create(es + "/" + alias + "/_search?size=1000"))
                .GET()
                .build());
        assertThat(docs).contains(pseudonym).doesNotContain(RAW);
    }

    private String contextKey() {
        return new EventParser(ParserConfig.defaults())
                .parse(new RawRecord(
                        ("{\"event_id\":\"probe\",\"ts\":" + T0
                                        + ",\"type\":\"view\",\"user_id\":\"x\",\"item_id\":\"x\"," + PARIS_PHONE + "}")
                                .getBytes(StandardCharsets.UTF_8),
                        "probe",
                        0))
                .event()
                .contextKey();
    }

    private static String decodeRaw(String deadLetterJson) throws Exception {
        String b64 = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(deadLetterJson)
                .get("raw_base64")
                .asText();
        return new String(java.util.Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private String send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(request.uri() + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
