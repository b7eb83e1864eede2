package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.Topics;
import io.desire.jobs.ops.EngineState;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoint upgrades on a real standalone Flink cluster ({@code bin/desire cluster}) with the real
 * Kafka and Elasticsearch, driven through {@code bin/desire submit|upgrade|savepoint} as a user would:
 *
 * <ol>
 *   <li>version 1 (the shipped jar, parallelism 1) learns from a burst of events;
 *   <li>{@code upgrade} stops it with a savepoint and starts version 2 from it — an operator added,
 *       a field added to the context windows' POJO, parallelism 2 — and a savepoint of version 2 holds the
 *       same profiles, context windows, ALS factors and FTRL weights (State Processor API);
 *   <li>under a steady stream of events, version 2 is upgraded again mid-stream; afterwards every
 *       user's profile (in state and in Elasticsearch) has counted each produced event exactly once;
 *   <li>a program without the learning operators is refused that savepoint with Flink's message,
 *       and starts when the user allows non-restored state.
 * </ol>
 */
class ClusterUpgradeITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 40;
    private static final String[] CATEGORIES = {"books", "games", "shoes", "music"};
    private static final String[] CONTEXTS = {
        "\"context\":{\"lat\":48.8566,\"lon\":2.3522,\"device\":\"phone\",\"tz\":\"Europe/Paris\"}",
        "\"context\":{\"lat\":40.7128,\"lon\":-74.0060,\"device\":\"desktop\",\"tz\":\"America/New_York\"}"
    };
    private static final Duration CATCH_UP = Duration.ofMinutes(3);

    private final DesireCli cli = DesireCli.forSuite();
    private final ClusterMetrics metrics = new ClusterMetrics(cli);
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final String index = "upgrade-" + run;
    private final Map<String, Long> produced = new TreeMap<>();
    private final ClusterJobs jobs = new ClusterJobs(cli);
    private final long t0 = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
    private long sequence;

    @TempDir
    Path work;

    @AfterEach
    void cancelJobs() throws Exception {
        jobs.cancelAll();
    }

    @Test
    void upgradesKeepStateAndCountEveryEventOnce() throws Exception {
        Map<String, String> args = jobArguments();
        JobConfig cfg = JobConfig.of(args);
        Topics.ensure(
                LocalServices.kafkaBootstrap(),
                cfg.getString(ConfigKeys.KAFKA_TOPIC),
                cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC));
        Path v1 = UpgradeJars.shippedJar().toAbsolutePath();
        Path v2 = UpgradeJars.upgradedJar(v1, work).toAbsolutePath();

        try (KafkaProducer<String, String> producer = ClusterJobs.producer()) {
            // 1. version 1 at parallelism 1 takes a burst of events
            String first =
                    jobs.started(cli.answer(ClusterJobs.command("submit", args, "--jar", v1.toString(), "-p", "1")));
            for (int i = 0; i < USERS * 30; i++) {
                send(producer);
            }
            producer.flush();
            assertThat(awaitDocumentsCounting(produced))
                    .as("profile_events per user in Elasticsearch")
                    .isEqualTo(produced);
            // the metrics an operator watches, as Prometheus scrapes them from the TaskManager
            assertThat(metrics.sum("eventsIn", first))
                    .as("eventsIn of version 1 (Prometheus)")
                    .isEqualTo(total(produced));
            assertThat(metrics.sum("deadLetters", first)).as("deadLetters").isZero();
            assertThat(metrics.sum("numRecordsSend", first, "elasticsearch"))
                    .as("documents written to Elasticsearch")
                    .isGreaterThanOrEqualTo(USERS);
            assertThat(metrics.sum("eventTimeLagMs", first)).as("freshness lag").isPositive();
            // The models publish on their own clocks (item vectors once per als.update-interval), so
            // their versions may trail documents that converged within that interval.
            assertThat(Eventually.poll(Duration.ofSeconds(30), () -> metrics.sum("ftrlVersion", first), v -> v > 0))
                    .as("FTRL model version")
                    .isPositive();
            assertThat(Eventually.poll(
                            Duration.ofSeconds(30), () -> metrics.sum("alsItemModelVersion", first), v -> v > 0))
                    .as("ALS item model version")
                    .isPositive();

            // 2. upgrade to version 2 (operator added, POJO field added, parallelism 2)
            String second = jobs.started(cli.answer(
                    "upgrade",
                    first,
                    "--jar",
                    v2.toString(),
                    "--main",
                    UpgradedStreamingJob.class.getName(),
                    "-p",
                    "2"));
            Path before = savepointOf(first);
            Path after = Path.of(URI.create(cli.answer("savepoint", second)));
            assertThat(operatorNames(second)).anyMatch(name -> name.startsWith("audit: records per source"));
            assertThat(mentions(before, UpgradeJars.ADDED_FIELD))
                    .as("v1 savepoint knows the v2 field")
                    .isFalse();
            assertThat(mentions(after, UpgradeJars.ADDED_FIELD))
                    .as("v2 wrote context windows with their new field")
                    .isTrue();

            Map<String, Map<String, String>> v1State = EngineState.read(before.toString(), cfg);
            Map<String, Map<String, String>> v2State = EngineState.read(after.toString(), cfg);
            assertThat(v1State.get(EngineState.PROFILES)).hasSize(USERS);
            assertThat(v1State.get(EngineState.ALS_USERS)).hasSize(USERS);
            assertThat(v1State.get(EngineState.ALS_ITEMS)).isNotEmpty();
            assertThat(v1State.get(EngineState.TRENDING)).isNotEmpty();
            assertThat(v1State.get(EngineState.FTRL)).hasSize(1);
            for (String state : v1State.keySet()) {
                assertThat(v2State.get(state)).as(state + " across the upgrade").isEqualTo(v1State.get(state));
            }

            // 3. a steady stream of events across another stop-with-savepoint and restore
            AtomicBoolean upgraded = new AtomicBoolean();
            ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
            long sentBefore = total(produced);
            load.scheduleAtFixedRate(
                    () -> {
                        if (upgraded.get() && total(produced) - sentBefore >= USERS * 20L) {
                            load.shutdown();
                            return;
                        }
                        for (int i = 0; i < 10; i++) {
                            send(producer);
                        }
                    },
                    0,
                    50,
                    TimeUnit.MILLISECONDS);
            String third;
            try {
                third = jobs.started(cli.answer("upgrade", second));
            } finally {
                upgraded.set(true);
            }
            assertThat(load.awaitTermination(2, TimeUnit.MINUTES))
                    .as("load generator finished")
                    .isTrue();
            producer.flush();
            assertThat(total(produced)).isGreaterThan(sentBefore);

            assertThat(awaitDocumentsCounting(produced))
                    .as("profile_events per user after a mid-stream upgrade")
                    .isEqualTo(produced);
            Path last = Path.of(URI.create(cli.answer("savepoint", third, "--stop")));
            jobs.stopped(third);
            Map<String, String> profiles =
                    EngineState.read(last.toString(), cfg).get(EngineState.PROFILES);
            Map<String, Long> counted = new TreeMap<>();
            for (Map.Entry<String, String> p : profiles.entrySet()) {
                counted.put(
                        p.getKey(), JSON.readTree(p.getValue()).path("events").asLong());
            }
            assertThat(counted).as("events counted in the profiles' state").isEqualTo(produced);
            String inspected = inspect(last.toUri().toString(), "--user", "u-07");
            assertThat(inspected)
                    .contains(
                            io.desire.operators.Uids.USER_RECOMMENDER,
                            io.desire.operators.Uids.FTRL_LEARNER,
                            UpgradedStreamingJob.AUDIT_COUNT_UID)
                    .containsPattern("profiles +" + USERS + "\\n")
                    .containsPattern("FTRL learner [0-9,]+ examples")
                    .contains("user u-07:")
                    .containsPattern("\"events\":" + produced.get("u-07") + "[,}]")
                    // where the bytes per user go: every user holds a profile and ALS factors
                    .containsPattern(io.desire.operators.Uids.USER_RECOMMENDER + " +user-profile +" + USERS + " +[1-9]")
                    .containsPattern(
                            io.desire.operators.Uids.ALS_USER_FACTORS + " +als-user-factors +" + USERS + " +[1-9]");

            // 4. removing operators (learning off) is refused unless non-restored state is allowed
            List<String> withoutLearning = new ArrayList<>(List.of(ClusterJobs.command(
                    "submit",
                    args,
                    "--jar",
                    v1.toString(),
                    "-p",
                    "2",
                    "-s",
                    last.toUri().toString())));
            withoutLearning.addAll(List.of("--learning.enabled", "false"));
            DesireCli.Result refused = cli.run(withoutLearning.toArray(String[]::new));
            assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
            assertThat(refused.stdout() + refused.stderr())
                    .contains("Cannot map checkpoint/savepoint state for operator")
                    .contains("allowNonRestoredState");
            List<String> allowed = new ArrayList<>(withoutLearning);
            allowed.add(allowed.indexOf("-s"), "--allow-non-restored");
            jobs.started(cli.answer(allowed.toArray(String[]::new)));
        }
    }

    /** What {@code bin/desire inspect} prints for the savepoint. */
    private static String inspect(String... args) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(io.desire.jobs.ops.InspectSavepoint.run(args, print, print))
                .as(out.toString(StandardCharsets.UTF_8))
                .isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The job's arguments: its own deployment (topics, group, index), read from the start of its topic. */
    private Map<String, String> jobArguments() {
        Map<String, String> a = ClusterJobs.arguments(index);
        a.put(ConfigKeys.KAFKA_START.name(), "earliest");
        return a;
    }

    /** One valid behaviour event of the next user in turn; counted as produced. */
    private void send(KafkaProducer<String, String> producer) {
        long n = sequence++;
        String user = String.format("u-%02d", n % USERS);
        String category = CATEGORIES[(int) (n % USERS) % CATEGORIES.length];
        String item = category + "-" + (n * 7 % 13);
        String type = n % 5 == 0 ? "click" : "view";
        String json = "{\"event_id\":\"" + index + "-" + n + "\",\"ts\":" + (t0 + n * 100) + ",\"type\":\"" + type
                + "\",\"user_id\":\"" + user + "\",\"item_id\":\"" + item + "\",\"category\":\"" + category + "\","
                + CONTEXTS[(int) (n / USERS % CONTEXTS.length)] + "}";
        producer.send(new ProducerRecord<>(index + ".events", user, json));
        synchronized (produced) {
            produced.merge(user, 1L, Long::sum);
        }
    }

    private long total(Map<String, Long> counts) {
        synchronized (produced) {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Each user's {@code profile_events} in Elasticsearch once it equals {@code expected}, or after {@link #CATCH_UP}. */
    private Map<String, Long> awaitDocumentsCounting(Map<String, Long> expected) throws Exception {
        Map<String, Long> want;
        synchronized (produced) {
            want = new TreeMap<>(expected);
        }
        return DocumentCounts.await(index, want, CATCH_UP);
    }

    private List<String> operatorNames(String job) throws Exception {
        List<String> names = new ArrayList<>();
        JSON.readTree(metrics.get("FLINK_REST_PORT", "/jobs/" + job))
                .path("vertices")
                .forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    /** The savepoint {@code bin/desire upgrade} took when it stopped {@code job}. */
    private Path savepointOf(String job) throws Exception {
        try (Stream<Path> dirs = Files.list(Path.of(cli.home(), "flink", "savepoints"))) {
            List<Path> found = dirs.filter(
                            d -> d.getFileName().toString().startsWith("savepoint-" + job.substring(0, 6)))
                    .toList();
            assertThat(found).as("savepoints of job " + job).hasSize(1);
            return found.get(0);
        }
    }

    /** Whether any file of the savepoint contains {@code text} (serializer snapshots name POJO fields). */
    private static boolean mentions(Path savepoint, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(savepoint)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] data = Files.readAllBytes(f);
                outer:
                for (int i = 0; i + needle.length <= data.length; i++) {
                    for (int j = 0; j < needle.length; j++) {
                        if (data[i + j] != needle[j]) {
                            continue outer;
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }
}
