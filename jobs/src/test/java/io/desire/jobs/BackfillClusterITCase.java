package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.jobs.backfill.BootstrapManifest;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.Topics;
import io.desire.jobs.ops.EngineState;
import io.desire.operators.DeduplicateEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-over from history to live as a user runs it on the real standalone Flink cluster ({@code
 * bin/desire cluster}), under the cluster's own configuration, with the real Kafka and Elasticsearch:
 *
 * <ol>
 *   <li>{@code bin/desire backfill} runs the backfill there ({@code flink run}, attached) over a history
 *       file with a cut-over in the middle of it: the documents go to a fresh index generation behind
 *       the alias, and the state becomes a bootstrap savepoint with its manifest;
 *   <li>the bootstrap holds every user's profile as of the cut-over;
 *   <li>{@code bin/desire submit -s <bootstrap> -- --kafka.starting-offsets <cut-over>} starts the
 *       streaming job from it, reading the topic that holds the same history (each record stamped
 *       with its event time) and then live events;
 *   <li>every user's document then counts each distinct event exactly once: the history before the
 *       cut-over from the bootstrap, the rest and the live events from Kafka; and the job read no
 *       record twice (its de-duplication, which would hide that, dropped none).
 * </ol>
 */
class BackfillClusterITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 12;
    private static final int HISTORY_PER_USER = 12;
    /** History events per user before the cut-over; the rest of the history is Kafka's. */
    private static final int BEFORE_CUTOVER = 8;

    private static final int LIVE_PER_USER = 3;
    private static final Duration CATCH_UP = Duration.ofMinutes(3);
    private static final String CONTEXT =
            "\"context\":{\"lat\":48.8566,\"lon\":2.3522,\"device\":\"phone\",\"tz\":\"Europe/Paris\"}";

    private final DesireCli cli = DesireCli.forSuite();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ClusterMetrics metrics = new ClusterMetrics(cli);
    private final String alias = "bf-cluster-" + Long.toString(System.currentTimeMillis(), 36);
    private final long t0 = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
    private final ClusterJobs jobs = new ClusterJobs(cli);

    @TempDir
    Path work;

    @AfterEach
    void cancelJobs() throws Exception {
        jobs.cancelAll();
    }

    @Test
    void backfillOnTheClusterHandsOverToTheStreamingJobCountingEveryEventOnce() throws Exception {
        Map<String, String> args = ClusterJobs.arguments(alias);
        JobConfig cfg = JobConfig.of(args);
        Topics.ensure(
                LocalServices.kafkaBootstrap(),
                cfg.getString(ConfigKeys.KAFKA_TOPIC),
                cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC));
        // The cut-over falls between each user's 8th and 9th history event.
        long cutover = time(USERS * BEFORE_CUTOVER);
        Path history = work.resolve("history.jsonl");
        Files.write(history, historyLines());
        Path bootstrapDir = work.resolve("bootstrap");
        Map<String, Long> expected = new TreeMap<>();

        // The topic holds the whole history too, stamped with event time, as a replayable log would.
        try (KafkaProducer<String, String> producer = ClusterJobs.producer()) {
            for (int n = 0; n < USERS * HISTORY_PER_USER; n++) {
                producer.send(new ProducerRecord<>(topic(), null, time(n), user(n), event(n)));
            }
            producer.flush();
        }

        // 1. the backfill on the cluster
        List<String> backfill = new ArrayList<>(List.of(ClusterJobs.command("backfill", args, "-p", "2")));
        backfill.addAll(List.of(
                "--history.input",
                history.toString(),
                "--history.cutover",
                Long.toString(cutover),
                "--backfill.bootstrap-dir",
                bootstrapDir.toString(),
                "--recs.coalesce",
                "1s"));
        DesireCli.Result result = cli.run(backfill.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stderr()).as(result.toString()).contains("flink run");
        assertThat(result.stdout())
                .as(result.toString())
                .contains("alias " + alias + " → " + alias + "-000001 (was none)")
                .contains((long) USERS * (HISTORY_PER_USER - BEFORE_CUTOVER) + " left to Kafka");
        assertThat(aliasTargets()).containsExactly(alias + "-000001");
        BootstrapManifest manifest = manifest(bootstrapDir);
        assertThat(manifest.cutoverMillis()).isEqualTo(cutover);
        assertThat(manifest.records()).isEqualTo((long) USERS * HISTORY_PER_USER);

        // 2. the bootstrap holds the profiles as of the cut-over
        Map<String, String> profiles =
                EngineState.read(manifest.savepoint(), cfg).get(EngineState.PROFILES);
        Map<String, Long> counted = new TreeMap<>();
        profiles.forEach((user, json) -> counted.put(user, events(json)));
        Map<String, Long> beforeCutover = new TreeMap<>();
        for (int u = 0; u < USERS; u++) {
            beforeCutover.put(user(u), (long) BEFORE_CUTOVER);
        }
        assertThat(counted).as("events per profile in the bootstrap").isEqualTo(beforeCutover);

        // 3. the streaming job from the bootstrap, from the cut-over on
        Map<String, String> fromCutover = new LinkedHashMap<>(args);
        fromCutover.put(ConfigKeys.KAFKA_START.name(), manifest.startingOffsets());
        String job = jobs.started(
                cli.answer(ClusterJobs.command("submit", fromCutover, "-p", "2", "-s", manifest.savepoint())));
        try (KafkaProducer<String, String> producer = ClusterJobs.producer()) {
            for (int n = 0; n < USERS * LIVE_PER_USER; n++) {
                int m = USERS * HISTORY_PER_USER + n;
                producer.send(new ProducerRecord<>(topic(), null, System.currentTimeMillis(), user(m), event(m)));
            }
            producer.flush();
        }

        // 4. each distinct event counted once
        for (int u = 0; u < USERS; u++) {
            expected.put(user(u), (long) (HISTORY_PER_USER + LIVE_PER_USER));
        }
        assertThat(DocumentCounts.await(alias, expected, CATCH_UP))
                .as("profile_events per user behind the alias")
                .isEqualTo(expected);
        // ... and read once: the job took from Kafka only what the bootstrap had not seen.
        assertThat(metrics.sum("eventsIn", job))
                .as("records the streaming job read")
                .isEqualTo(USERS * (HISTORY_PER_USER - BEFORE_CUTOVER + LIVE_PER_USER));
        assertThat(metrics.sum(DeduplicateEvents.DUPLICATES_METRIC, job))
                .as("duplicates it dropped")
                .isZero();
    }

    private String topic() {
        return alias + ".events";
    }

    /** Event {@code n}: users in turn, 100 ms apart, each one a view or (every fifth) a click. */
    private String event(int n) {
        return "{\"event_id\":\"" + alias + "-" + n + "\",\"ts\":" + time(n) + ",\"type\":\""
                + (n % 5 == 0 ? "click" : "view")
                + "\",\"user_id\":\"" + user(n) + "\",\"item_id\":\"item-" + (n * 7 % 13) + "\",\"category\":\"books\","
                + CONTEXT + "}";
    }

    private long time(int n) {
        return t0 + n * 100L;
    }

    private static String user(int n) {
        return String.format("u-%02d", n % USERS);
    }

    private List<String> historyLines() {
        List<String> lines = new ArrayList<>();
        for (int n = 0; n < USERS * HISTORY_PER_USER; n++) {
            lines.add(event(n));
        }
        return lines;
    }

    private static long events(String profileJson) {
        try {
            return JSON.readTree(profileJson).path("events").asLong();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable profile " + profileJson, e);
        }
    }

    /** The one manifest the backfill wrote next to its bootstrap. */
    private static BootstrapManifest manifest(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> manifests = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .toList();
            assertThat(manifests).hasSize(1);
            String name = manifests.get(0).getFileName().toString();
            return BootstrapManifest.read(dir.resolve(name.substring(0, name.length() - ".json".length()))
                    .toUri()
                    .toString());
        }
    }

    /** The indices the alias points to. */
    private List<String> aliasTargets() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(LocalServices.elasticsearchUrl() + "/_alias/" + alias))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> indices = new ArrayList<>();
        JSON.readTree(r.body()).fieldNames().forEachRemaining(indices::add);
        return indices;
    }
}
