package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.jobs.backfill.BackfillJob;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.sinks.elasticsearch.IndexGenerations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill that fails leaves the alias where it was: apps keep reading the previous generation.
 * The failure is real — Elasticsearch refuses every write into the new index (a higher-priority
 * template blocks writes on the alias's generations), the sink fails the job — on the test's mini
 * cluster against the real local Kafka broker and Elasticsearch node.
 */
class BackfillFailureITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final String run = Long.toString(System.nanoTime(), 36);
    private final String alias = "it-bf-fail-" + run;
    private final String es = LocalServices.elasticsearchUrl();

    @AfterEach
    void removeIndicesAndTemplates() throws Exception {
        http("DELETE", "/" + alias + "-*", null);
        http("DELETE", "/_index_template/" + alias, null);
        http("DELETE", "/_index_template/" + alias + "-blocked", null);
    }

    @Test
    void aBackfillWhoseWritesFailLeavesTheAliasOnThePreviousIndex(@TempDir Path dir) throws Exception {
        JobConfig cfg = JobConfig.of(Map.ofEntries(
                Map.entry(ConfigKeys.KAFKA_BOOTSTRAP.name(), LocalServices.kafkaBootstrap()),
                Map.entry(ConfigKeys.KAFKA_GROUP.name(), alias),
                Map.entry(ConfigKeys.DEAD_LETTER_TOPIC.name(), alias + "-dead"),
                Map.entry(ConfigKeys.TOPIC_ITEM_FACTORS.name(), alias + "-factors"),
                Map.entry(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), alias + "-weights"),
                Map.entry(ConfigKeys.ES_HOSTS.name(), es),
                Map.entry(ConfigKeys.ES_INDEX.name(), alias),
                Map.entry(ConfigKeys.PARALLELISM.name(), "1"),
                Map.entry(ConfigKeys.RANKER_BITS.name(), "8"),
                Map.entry(ConfigKeys.COALESCE.name(), "100ms"),
                Map.entry(ConfigKeys.ES_FLUSH_INTERVAL.name(), "100ms")));
        var client = OutputSinks.recommendations(cfg).createClient();
        String previous;
        try {
            IndexGenerations generations = new IndexGenerations(alias, 0);
            previous = generations.createNext(client);
            generations.promote(client, previous, 2);
        } finally {
            client._transport().close();
        }
        assertThat(http(
                        "PUT",
                        "/_index_template/" + alias + "-blocked",
                        "{\"index_patterns\":[\"" + alias
                                + "-*\"],\"priority\":500,\"template\":{\"settings\":{\"index.blocks.write\":true}}}"))
                .isEqualTo(200);
        Path history = dir.resolve("history.jsonl");
        long t0 = System.currentTimeMillis() - 3_600_000L;
        Files.write(
                history,
                List.of(
                        "{\"event_id\":\"f1\",\"ts\":" + t0
                                + ",\"type\":\"view\",\"user_id\":\"u1\",\"item_id\":\"i1\"}",
                        "{\"event_id\":\"f2\",\"ts\":" + (t0 + 1000)
                                + ",\"type\":\"click\",\"user_id\":\"u2\",\"item_id\":\"i1\"}"),
                StandardCharsets.UTF_8);
        JobConfig backfill = cfg.with(ConfigKeys.HISTORY_INPUT.name(), history.toString())
                .with(
                        ConfigKeys.BACKFILL_BOOTSTRAP_DIR.name(),
                        dir.resolve("bootstrap").toUri().toString())
                .with(ConfigKeys.BACKFILL_SETTLE.name(), "30s");

        assertThatThrownBy(() -> BackfillJob.run(
                        backfill, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(BackfillJob.BackfillFailedException.class)
                .hasMessageContaining("still points where it did")
                .hasMessageContaining(alias + "-000002");

        String aliases = body("/_alias/" + alias);
        assertThat(aliases)
                .as("the alias, after the failed backfill")
                .contains("\"" + previous + "\"")
                .doesNotContain(alias + "-000002");
        assertThat(dir.resolve("bootstrap").resolve("bootstrap-" + alias + "-000002"))
                .as("no bootstrap savepoint")
                .doesNotExist();
    }

    private int http(String method, String path, String json) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(es + path)).header("content-type", "application/json");
        b.method(
                method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String body(String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(es + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
