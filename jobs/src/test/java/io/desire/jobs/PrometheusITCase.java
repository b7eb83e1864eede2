package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.Topics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's package, started by {@code bin/desire prometheus start} with the shipped
 * flink-conf/prometheus files) scraping the suite's Flink cluster while the streaming job runs on it:
 * the JobManager and TaskManager targets are up, the job's metrics arrive under the names of
 * docs/metrics.md (dead-letter reasons as a label), and every alert rule is evaluated against them
 * without error, the parser-bug alert staying silent.
 */
class PrometheusITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private final DesireCli cli = DesireCli.forSuite();
    private final ClusterJobs jobs = new ClusterJobs(cli);
    private final HttpClient http = HttpClient.newHttpClient();
    private final String name = "it-prom-" + Long.toString(System.nanoTime(), 36);

    @AfterEach
    void stop() throws Exception {
        jobs.cancelAll();
        cli.run("prometheus", "stop");
    }

    @Test
    void scrapesTheClusterAndEvaluatesTheAlertRules() throws Exception {
        DesireCli.Result started = cli.run("prometheus", "start");
        assertThat(started.exitCode()).as(started.toString()).isZero();
        String prometheus = started.answer().replaceAll(".*(http://127\\.0\\.0\\.1:\\d+).*", "$1");

        Map<String, String> args = ClusterJobs.arguments(name);
        JobConfig cfg = JobConfig.of(args);
        Topics.ensure(
                LocalServices.kafkaBootstrap(),
                cfg.getString(ConfigKeys.KAFKA_TOPIC),
                cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC));
        jobs.started(cli.answer(ClusterJobs.command(
                "submit",
                args,
                "--jar",
                UpgradeJars.shippedJar().toAbsolutePath().toString(),
                "-p",
                "1")));
        try (KafkaProducer<String, String> producer = ClusterJobs.producer()) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(
                        cfg.getString(ConfigKeys.KAFKA_TOPIC),
                        "u" + (i % 5),
                        "{\"event_id\":\"" + name + "-" + i + "\",\"ts\":" + (now + i)
                                + ",\"type\":\"view\",\"user_id\":\"u" + (i % 5) + "\",\"item_id\":\"i" + (i % 7)
                                + "\",\"context\":{\"device\":\"phone\"}}"));
            }
            producer.send(new ProducerRecord<>(cfg.getString(ConfigKeys.KAFKA_TOPIC), null, "not json"));
        }

        String job = "job_name=\"desire_streaming\"";
        JsonNode eventsIn = poll(
                prometheus,
                "sum(flink_taskmanager_job_task_operator_eventsIn{" + job + ",operator_name=\"parse_and_validate\"})",
                r -> value(r) >= 51);
        assertThat(eventsIn)
                .as("eventsIn of the job, scraped from the TaskManager")
                .isNotNull();
        JsonNode reason = poll(
                prometheus,
                "flink_taskmanager_job_task_operator_deadLetterReason_NOT_JSON{" + job + ",reason=\"NOT_JSON\"}",
                r -> value(r) >= 1);
        assertThat(reason)
                .as("dead letters by reason, the reason copied into a label")
                .isNotNull();
        assertThat(poll(
                        prometheus,
                        "max(flink_jobmanager_job_numberOfCompletedCheckpoints{" + job + "})",
                        r -> value(r) >= 1))
                .as("job-level metrics from the JobManager")
                .isNotNull();

        JsonNode rules = pollRules(
                prometheus,
                eventsIn.path("data").path("result").get(0).path("value").get(0).asDouble());
        assertThat(rules)
                .as("every rule evaluated after the job's metrics arrived")
                .isNotNull();
        List<String> names = new ArrayList<>();
        for (JsonNode rule : rules) {
            names.add(rule.path("name").asText());
            assertThat(rule.path("health").asText())
                    .as(rule.path("name").asText() + ": " + rule.path("lastError"))
                    .isEqualTo("ok");
        }
        assertThat(names)
                .contains(
                        "DesireRecommendationsStale",
                        "DesireNoWatermark",
                        "DesireDeadLetters",
                        "DesireParserBug",
                        "DesireRestarting",
                        "DesireCheckpointsFailing",
                        "DesireRankerLoopBroken");
        assertThat(rules)
                .filteredOn(r -> r.path("name").asText().equals("DesireParserBug"))
                .allSatisfy(r -> assertThat(r.path("state").asText()).isEqualTo("inactive"));
    }

    /** The desire group's rules once each has been evaluated after {@code since} (epoch seconds). */
    private JsonNode pollRules(String prometheus, double since) throws Exception {
        return Eventually.pollNonNull(DEADLINE, () -> {
            JsonNode groups = get(prometheus + "/api/v1/rules").path("data").path("groups");
            for (JsonNode g : groups) {
                if (g.path("name").asText().equals("desire")) {
                    boolean all = g.path("rules").size() > 0;
                    for (JsonNode r : g.path("rules")) {
                        String last = r.path("lastEvaluation").asText("");
                        all &= !last.isEmpty()
                                && java.time.OffsetDateTime.parse(last).toEpochSecond() > since;
                    }
                    if (all) {
                        return g.path("rules");
                    }
                }
            }
            return null;
        });
    }

    private JsonNode poll(String prometheus, String query, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        return Eventually.pollNonNull(DEADLINE, () -> {
            JsonNode r = get(prometheus + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
            assertThat(r.path("status").asText()).as(query + ": " + r).isEqualTo("success");
            return r.path("data").path("result").size() > 0 && done.test(r) ? r : null;
        });
    }

    private static double value(JsonNode r) {
        return r.path("data").path("result").get(0).path("value").get(1).asDouble();
    }

    private JsonNode get(String url) throws Exception {
        return JSON.readTree(
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .body());
    }
}
