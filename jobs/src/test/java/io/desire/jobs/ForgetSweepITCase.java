package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.desire.features.event.EventParser;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.ops.EngineState;
import io.desire.jobs.privacy.ForgetSweep;
import io.desire.jobs.privacy.SweptState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forget-sweep} against the real local Kafka and Elasticsearch, the streaming job on a mini
 * cluster: users send events, a savepoint is taken, then one user is forgotten. The sweep rewrites the
 * savepoint (taken before the erasure) from the erasure log; a State Processor API read-back of every
 * user-keyed operator of the rewritten savepoint finds nothing of the forgotten user and the other
 * users' state as it was, no file of it holds the user's id, the audit trail records the request as
 * removed from that snapshot, the old savepoint is gone — and the job restored from the rewritten
 * savepoint keeps serving the other users.
 */
class ForgetSweepITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String[] USERS = {
        "sweepuser-anna",
        "sweepuser-bert",
        "sweepuser-cleo",
        "sweepuser-dora",
        "sweepuser-emil",
        "sweepuser-finn",
        "sweepuser-gina",
        "sweepuser-hugo"
    };
    private static final String FORGOTTEN = "sweepuser-dora";
    private static final long T0 = TestEvents.yesterdayAt(8, 0);
    private static final String PARIS_PHONE = TestEvents.CTX;

    private final String run = Long.toString(System.nanoTime(), 36);
    private final String erasures = "it-sweep-erasures-" + run;
    private final String audit = "it-sweep-audit-" + run;

    @Test
    void sweptSavepointHoldsNoTraceOfTheForgottenUserAndServesTheOthers(@TempDir Path dir) throws Exception {
        JobConfig cfg = JobConfig.of(Map.ofEntries(
                Map.entry(ConfigKeys.KAFKA_BOOTSTRAP.name(), LocalServices.kafkaBootstrap()),
                Map.entry(ConfigKeys.KAFKA_TOPIC.name(), "it-sweep-events-" + run),
                Map.entry(ConfigKeys.KAFKA_GROUP.name(), "it-sweep-" + run),
                Map.entry(ConfigKeys.DEAD_LETTER_TOPIC.name(), "it-sweep-dead-" + run),
                Map.entry(ConfigKeys.TOPIC_ITEM_FACTORS.name(), "it-sweep-factors-" + run),
                Map.entry(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), "it-sweep-weights-" + run),
                Map.entry(ConfigKeys.PRIVACY_ERASURE_TOPIC.name(), erasures),
                Map.entry(ConfigKeys.PRIVACY_AUDIT_TOPIC.name(), audit),
                Map.entry(ConfigKeys.ES_HOSTS.name(), LocalServices.elasticsearchUrl()),
                Map.entry(ConfigKeys.ES_INDEX.name(), "it-sweep-recs-" + run),
                Map.entry(ConfigKeys.PARALLELISM.name(), "2"),
                Map.entry(ConfigKeys.CHECKPOINT_INTERVAL.name(), "1s"),
                Map.entry(
                        ConfigKeys.CHECKPOINT_DIR.name(),
                        dir.resolve("checkpoints").toUri().toString()),
                Map.entry(ConfigKeys.TRENDING_WINDOW.name(), "60s"),
                Map.entry(ConfigKeys.TRENDING_SLIDE.name(), "5s"),
                Map.entry(ConfigKeys.OUT_OF_ORDERNESS.name(), "1s"),
                Map.entry(ConfigKeys.IDLENESS.name(), "1s")));
        String context = contextKey();
        String before;
        long clock = T0;
        try (LiveJob job = LiveJob.start(cfg, "it-sweep")) {
            int seq = 0;
            for (int round = 0; round < 5; round++) {
                for (int u = 0; u < USERS.length; u++) {
                    clock += 100;
                    job.send(
                            USERS[u],
                            event(
                                    "s-" + (seq++),
                                    clock,
                                    round % 3 == 2 ? "click" : "view",
                                    USERS[u],
                                    "item-" + ((u + round) % 6)));
                }
                // an event without an item is de-duplicated under the user's key
                for (String user : List.of(FORGOTTEN, USERS[0])) {
                    clock += 100;
                    job.send(
                            user,
                            "{\"event_id\":\"attr-" + user + "-" + round + "\",\"ts\":" + clock
                                    + ",\"type\":\"user\",\"user_id\":\"" + user + "\",\"segment\":\"s\"}");
                }
            }
            job.flush();
            long lastTs = clock;
            for (String user : USERS) {
                assertThat(job.pollDocument(
                                user + ":" + context,
                                d -> Instant.parse(d.at("/_source/event_time").asText())
                                                .toEpochMilli()
                                        >= lastTs - 1000,
                                Duration.ofSeconds(90)))
                        .as("document of " + user)
                        .isNotNull();
            }
            before = job.savepoint(dir.resolve("savepoints"));
            // the erasure comes after the savepoint
            clock += 100;
            job.send(
                    FORGOTTEN,
                    "{\"event_id\":\"forget-dora\",\"ts\":" + clock + ",\"type\":\"forget_user\",\"user_id\":\""
                            + FORGOTTEN + "\"}");
            job.flush();
            assertThat(TopicRecords.committed(erasures, 1, Duration.ofSeconds(60)))
                    .singleElement()
                    .satisfies(v -> assertThat(v)
                            .contains("\"user\":\"" + FORGOTTEN + "\"")
                            .contains("forget-dora"));
        }
        Path beforeDir = localPath(before);
        Map<String, Map<String, String>> stateBefore = EngineState.read(beforeDir.toString(), cfg);
        assertThat(stateBefore.get(EngineState.PROFILES))
                .as("the savepoint holds the user before the sweep")
                .containsKey(FORGOTTEN);
        assertThat(matches(beforeDir, FORGOTTEN)).isNotEmpty();

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int rc = ForgetSweep.run(
                new String[] {
                    dir.resolve("savepoints").toString(),
                    "--kafka.bootstrap",
                    LocalServices.kafkaBootstrap(),
                    "--privacy.erasure-topic",
                    erasures,
                    "--privacy.audit-topic",
                    audit
                },
                new PrintStream(printed, true),
                System.err);
        assertThat(rc).as(printed.toString()).isZero();

        // the old savepoint is gone, a rewritten one stands next to it
        assertThat(beforeDir).doesNotExist();
        Path swept;
        try (Stream<Path> s = Files.list(dir.resolve("savepoints"))) {
            swept = s.filter(p -> p.getFileName().toString().startsWith(beforeDir.getFileName() + "-swept-"))
                    .findFirst()
                    .orElseThrow();
        }
        // read-back of every state of every user-keyed operator: no key of the forgotten user
        Map<String, Set<String>> keys = SweptState.keysByOperator(swept.toString(), cfg);
        assertThat(keys)
                .containsKeys(
                        io.desire.operators.Uids.USER_RECOMMENDER,
                        io.desire.operators.Uids.ALS_USER_FACTORS,
                        io.desire.operators.Uids.DEDUPLICATE);
        keys.forEach((uid, k) -> assertThat(k).as(uid).noneMatch(key -> key.contains(FORGOTTEN)));
        assertThat(keys.get(io.desire.operators.Uids.DEDUPLICATE))
                .as("de-duplication keys of users' item-less events")
                .contains(io.desire.operators.EnrichFromCatalog.NO_ITEM_KEY_PREFIX + USERS[0], "item-2");
        assertThat(keys.get(io.desire.operators.Uids.USER_RECOMMENDER)).containsAll(othersThan(FORGOTTEN));
        assertThat(keys.get(io.desire.operators.Uids.ALS_USER_FACTORS)).containsAll(othersThan(FORGOTTEN));
        // the others' state as it was (the engine's own reader: profiles, contexts, ALS users, item side)
        Map<String, Map<String, String>> stateAfter = EngineState.read(swept.toString(), cfg);
        stateBefore.forEach((label, byKey) -> {
            Map<String, String> expected = new java.util.TreeMap<>(byKey);
            expected.remove(FORGOTTEN);
            assertThat(stateAfter.get(label)).as(label).isEqualTo(expected);
        });
        assertThat(matches(swept, FORGOTTEN))
                .as("files of the rewritten savepoint holding the forgotten id; operators"
                        + " with it inline in _metadata: " + inlineHolders(swept, FORGOTTEN))
                .isEmpty();
        // the audit trail: the request is complete in state and documents, and removed from the snapshot
        List<String> trail = TopicRecords.committed(audit, 2, Duration.ofSeconds(60));
        assertThat(trail)
                .anySatisfy(v -> assertThat(v).contains("forget-dora").contains("\"completed\":\"state+documents\""));
        assertThat(trail)
                .anySatisfy(v -> assertThat(v)
                        .contains("forget-dora")
                        .contains("\"completed\":\"snapshot\"")
                        .contains("\"action\":\"removed\"")
                        .contains(swept.getFileName().toString()));

        // the job restores from the rewritten savepoint and keeps serving the others
        try (LiveJob job = LiveJob.start(cfg, "it-sweep-restored", swept.toUri().toString())) {
            long next = clock + 60_000;
            String user = USERS[5];
            job.send(user, event("after-1", next, "click", user, "item-2"));
            job.flush();
            JsonNode doc = job.pollDocument(
                    user + ":" + context,
                    d -> Instant.parse(d.at("/_source/event_time").asText()).toEpochMilli() >= next,
                    Duration.ofSeconds(90));
            assertThat(doc).as("the restored job serves " + user).isNotNull();
            assertThat(doc.at("/_source/items").size()).isPositive();
            assertThat(job.document(FORGOTTEN + ":" + context))
                    .as("no document of the forgotten user")
                    .isNull();
        }
    }

    private static List<String> othersThan(String user) {
        return Stream.of(USERS).filter(u -> !u.equals(user)).toList();
    }

    private static String event(String id, long ts, String type, String user, String item) {
        return "{\"event_id\":\"" + id + "\",\"ts\":" + ts + ",\"type\":\"" + type + "\",\"user_id\":\"" + user
                + "\",\"item_id\":\"" + item + "\"," + PARIS_PHONE + "}";
    }

    private static Path localPath(String savepoint) {
        return Path.of(URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint));
    }

    /**
     * Each place {@code text} occurs in a file under {@code dir} (ASCII ids are stored verbatim), as the
     * file name and the printable bytes around it.
     */
    private static List<String> matches(Path dir, String text) throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (int i = content.indexOf(text); i >= 0; i = content.indexOf(text, i + 1)) {
                    String around = content.substring(Math.max(0, i - 120), Math.min(content.length(), i + 60));
                    found.add(f.getFileName() + ": " + around.replaceAll("[^\\x20-\\x7e]", "."));
                }
            }
        }
        return found;
    }

    /** Uids (or ids) of the operators whose state stored inline in {@code _metadata} holds {@code text}. */
    private static List<String> inlineHolders(Path savepoint, String text) throws Exception {
        List<String> holders = new ArrayList<>();
        var metadata = org.apache.flink.state.api.runtime.SavepointLoader.loadSavepointMetadata(savepoint.toString());
        for (var op : metadata.getOperatorStates()) {
            for (var subtask : op.getStates()) {
                List<org.apache.flink.runtime.state.StateObject> handles = new ArrayList<>();
                handles.addAll(subtask.getManagedKeyedState());
                handles.addAll(subtask.getManagedOperatorState());
                for (var h : handles) {
                    org.apache.flink.runtime.state.StateObject d = h;
                    if (h instanceof org.apache.flink.runtime.state.KeyGroupsStateHandle k) {
                        d = k.getDelegateStateHandle();
                    } else if (h instanceof org.apache.flink.runtime.state.OperatorStateHandle o) {
                        d = o.getDelegateStateHandle();
                    }
                    if (d instanceof org.apache.flink.runtime.state.memory.ByteStreamStateHandle b
                            && new String(b.getData(), StandardCharsets.ISO_8859_1).contains(text)) {
                        holders.add(
                                op.getOperatorUid().orElse(op.getOperatorID().toString()) + " "
                                        + h.getClass().getSimpleName());
                    }
                }
            }
        }
        return holders;
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
}
