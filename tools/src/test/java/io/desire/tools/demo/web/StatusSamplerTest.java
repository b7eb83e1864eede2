package io.desire.tools.demo.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status panel's figures from the job's Prometheus metrics, named as Flink's reporter names them. */
class StatusSamplerTest {
    private static final String OP = "flink_taskmanager_job_task_operator_";

    private static String scrape(long eventsIn, long sent, long lag) {
        return "# HELP " + OP + "eventsIn eventsIn (scope: taskmanager_job_task_operator)\n"
                + "# TYPE " + OP + "eventsIn gauge\n"
                + OP
                + "eventsIn{job_name=\"desire_streaming\",operator_name=\"parse_and_validate\",subtask_index=\"0\",} "
                + eventsIn / 2 + ".0\n"
                + OP
                + "eventsIn{job_name=\"desire_streaming\",operator_name=\"parse_and_validate\",subtask_index=\"1\",} "
                + (eventsIn - eventsIn / 2) + ".0\n"
                + OP + "deadLetters{operator_name=\"parse_and_validate\",subtask_index=\"0\",} 3.0\n"
                + OP + "deadLetterReason_NOT_JSON{operator_name=\"parse_and_validate\",subtask_index=\"0\",} 2.0\n"
                + OP + "deadLetterReason_BAD_TIMESTAMP{operator_name=\"parse_and_validate\",subtask_index=\"0\",} 1.0\n"
                + OP
                + "deadLetterReason_INTERNAL_ERROR{operator_name=\"parse_and_validate\",subtask_index=\"0\",} 0.0\n"
                + OP + "eventTimeLagMs{operator_name=\"user_recommender\",subtask_index=\"0\",} " + lag + ".0\n"
                + OP + "eventTimeLagMs{operator_name=\"user_recommender\",subtask_index=\"1\",} -1.0\n"
                + OP + "numRecordsSend{operator_name=\"elasticsearch:_desire_recs:_Writer\",subtask_index=\"0\",} "
                + sent + ".0\n"
                + OP
                + "numRecordsSend{operator_name=\"dead_letters:_desire_deadletter:_Writer\",subtask_index=\"0\",} 3.0\n"
                + OP + "ftrlVersion{operator_name=\"ftrl_learner\",subtask_index=\"0\",} 1200.0\n"
                + OP + "alsItemModelVersion{operator_name=\"ALS_item_factors\",subtask_index=\"0\",} 7.0\n"
                + OP + "alsItemModelVersion{operator_name=\"ALS_item_factors\",subtask_index=\"1\",} 9.0\n";
    }

    @Test
    void sumsCountersOverSubtasksAndTakesTheWorstLag() {
        StatusSampler sampler = new StatusSampler("http://127.0.0.1:1/metrics");
        sampler.add(1_000, PrometheusText.parse(scrape(1000, 40, 2500)));
        StatusSampler.Point p = sampler.add(3_000, PrometheusText.parse(scrape(1400, 90, 3100)));
        assertThat(p.eventsIn()).isEqualTo(1400);
        assertThat(p.eventsPerSecond()).isEqualTo(200.0);
        assertThat(p.deadLetters()).isEqualTo(3);
        assertThat(p.deadLettersByReason()).isEqualTo(Map.of("NOT_JSON", 2L, "BAD_TIMESTAMP", 1L));
        assertThat(p.lagMs()).isEqualTo(3100);
        assertThat(p.documentsWritten())
                .as("only the Elasticsearch writer's records")
                .isEqualTo(90);
        assertThat(p.ftrlVersion()).isEqualTo(1200);
        assertThat(p.alsItemVersion()).isEqualTo(9);
        assertThat(sampler.points()).hasSize(2);
    }

    @Test
    void aRestartedCounterIsNotANegativeRateAndNoWatermarkReadsMinusOne() {
        StatusSampler sampler = new StatusSampler("http://127.0.0.1:1/metrics");
        sampler.add(1_000, PrometheusText.parse(scrape(5000, 0, 0)));
        StatusSampler.Point p = sampler.add(
                2_000,
                PrometheusText.parse(scrape(10, 0, 0)
                        .replace(
                                OP + "eventTimeLagMs{operator_name=\"user_recommender\",subtask_index=\"0\",} 0.0\n",
                                "")));
        assertThat(p.eventsPerSecond()).isZero();
        assertThat(p.lagMs()).isEqualTo(-1);
    }

    @Test
    void keepsTheLastPointsOnly() {
        StatusSampler sampler = new StatusSampler("http://127.0.0.1:1/metrics");
        for (int i = 0; i < StatusSampler.KEEP + 10; i++) {
            sampler.add(i * 1000L, PrometheusText.parse(scrape(i, 0, 0)));
        }
        assertThat(sampler.points()).hasSize(StatusSampler.KEEP);
        assertThat(sampler.points().get(0).t()).isEqualTo(10_000);
    }

    @Test
    void readsLabelsWithEscapesAndSkipsWhatItCannotRead() {
        assertThat(PrometheusText.parse("m{a=\"x\\\"y\",b=\"z\"} 2.5 1700000000\n# c\nbroken{a=\"x\" 1\nplain 3\n"))
                .extracting(PrometheusText.Sample::name, PrometheusText.Sample::labels, PrometheusText.Sample::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("m", Map.of("a", "x\"y", "b", "z"), 2.5),
                        org.assertj.core.groups.Tuple.tuple("plain", Map.of(), 3.0));
    }
}
