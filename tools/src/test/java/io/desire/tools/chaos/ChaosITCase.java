package io.desire.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.tools.chaos.ChaosReport.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small fault campaign on the suite's own Flink cluster, Kafka and Elasticsearch ({@code bin/desire
 * test} starts them): 50,000 events to 200 users with known counts, a TaskManager killed with SIGKILL
 * and Elasticsearch stopped for 30 s while events keep arriving. Afterwards every user's documents
 * count each event exactly once, no document was ever read with an older version than before, the
 * profiles in the final savepoint count each event once, and the dead letters are exactly the bad
 * records sent. The servers are left as found: the killed TaskManager and the stopped Elasticsearch are
 * started again by the campaign itself.
 */
class ChaosITCase {

    @Test
    void taskManagerKillAndElasticsearchOutageLoseNothingAndCountNothingTwice() throws Exception {
        ChaosOptions options = new ChaosOptions(
                Path.of("..", "bin", "desire").toAbsolutePath().normalize(),
                Path.of(require("desire.it.flink.home", "DESIRE_HOME")),
                require("desire.it.kafka.bootstrap", "DESIRE_KAFKA_BOOTSTRAP"),
                require("desire.it.es.url", "DESIRE_ES_URL"),
                50_000,
                200,
                2_500,
                6,
                2,
                List.of(FaultKind.TM_KILL, FaultKind.ES_OUTAGE),
                Duration.ofSeconds(30),
                Duration.ofSeconds(65),
                false,
                Duration.ofMinutes(4),
                false,
                Map.of("checkpoint.interval", "2s", "ranker.bits", "16"));

        ChaosReport report = new ChaosCampaign(options, System.out).run();
        report.print(System.out);

        assertThat(report.rows()).extracting(Row::fault).containsExactly("none", "tm-kill", "es-outage");
        for (Row row : report.rows()) {
            assertThat(row.toLagZeroSeconds())
                    .as(row.fault() + ": caught up again")
                    .isNotNegative();
            assertThat(row.lost()).as(row.fault() + ": events lost").isZero();
            assertThat(row.twice()).as(row.fault() + ": events counted twice").isZero();
            assertThat(row.regressed())
                    .as(row.fault() + ": documents read older than before")
                    .isZero();
        }
        assertThat(report.rows().get(1).toRunningSeconds())
                .as("the job restarted after the TaskManager kill")
                .isPositive();
        assertThat(report.checksPassed())
                .as("final checks (savepoint profiles, dead letters)")
                .isTrue();
    }

    private static String require(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("The fault campaign needs the suite's servers: system property " + property
                    + " or environment variable " + env + " is not set. Run it with `bin/desire test`.");
        }
        return v;
    }
}
