package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served evaluation end to end on the real local Kafka and Elasticsearch ({@code bin/desire
 * test}): generated traffic with planted tastes (users favour two categories), split per user, the
 * training part backfilled by the real job into a fresh alias, documents read as an app reads them,
 * scored next to popularity on the same units. What a user of the product relies on: the served lists
 * clearly beat popularity (NDCG@10 ≥ 1.5×) and never hold an item the user consumed in training. The
 * alias is deleted afterwards.
 */
class ServedEvaluationITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(heartbeats())
            .build());

    @TempDir
    Path out;

    private static Configuration heartbeats() {
        Configuration c = new Configuration();
        // accumulators (the backfill's progress) travel with the heartbeats
        c.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        return c;
    }

    private static String server(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("Integration tests need a real server: " + property + " / " + env
                    + " is not set. Run them with `bin/desire test`.");
        }
        return v;
    }

    @Test
    void servedListsBeatPopularityAndNeverRepeatWhatTheUserConsumed() throws Exception {
        EvalOptions options = EvalOptions.parse(
                "--served",
                "--generated",
                "6000",
                "--users",
                "60",
                "--items",
                "120",
                "--sources-alone",
                "none",
                "--kafka-bootstrap",
                server("desire.it.kafka.bootstrap", "DESIRE_KAFKA_BOOTSTRAP"),
                "--es-url",
                server("desire.it.es.url", "DESIRE_ES_URL"),
                "--out",
                out.toString(),
                // documents only from the backfill's final ranking of every user: one list per user and
                // context, from the final models, whatever the machine's speed
                "--",
                "--recs.coalesce",
                "1h",
                "--parallelism",
                "1",
                "--state.backend",
                "hashmap",
                // the offline rows never rank a training item again: the served lists exclude them all too
                "--recs.exclude",
                "view,click,add_to_cart,purchase,rate",
                // on this shop-like traffic (views of a favourite category) the user's affinities lead,
                // back-filled by the other sources; ALS leads by default (docs/serving.md)
                "--recs.serve",
                "affinity");
        EvalReport report = new ServedEvaluation(options, new Progress(System.out), System.out).run();

        List<ServedReport.Row> rows = report.served().rows();
        ServedReport.Row served = row(rows, "served");
        ServedReport.Row popularity = row(rows, "popularity");
        assertThat(served.error()).isNull();
        ServedReport.Metrics servedMetrics = served.metrics();
        ServedReport.Metrics popularityMetrics = popularity.metrics();
        System.out.printf("served %s%npopularity %s%n", servedMetrics, popularityMetrics);
        // both promises are checked (and reported) even when one fails
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(servedMetrics.unitsWithoutDocument()).isZero();
        soft.assertThat(servedMetrics.consumedInTraining())
                .as("items the user consumed in training, served")
                .isZero();
        soft.assertThat(servedMetrics.ndcg())
                .as("served NDCG@10 against 1.5 × popularity's")
                .isGreaterThanOrEqualTo(1.5 * popularityMetrics.ndcg());
        soft.assertThat(served.cleanedUp()).anyMatch(s -> s.startsWith(served.alias() + "-"));
        soft.assertAll();
    }

    private static ServedReport.Row row(List<ServedReport.Row> rows, String name) {
        return rows.stream().filter(r -> name.equals(r.name())).findFirst().orElseThrow();
    }
}
