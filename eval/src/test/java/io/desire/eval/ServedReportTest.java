package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The HTML report shows the served rows next to the offline ones, and a failed run as an error row. */
class ServedReportTest {

    @Test
    void servedTableHasEveryRowAndTheErrorOfAFailedRun() {
        ServedScorer s = new ServedScorer(10, 5, item -> "c");
        s.add(new ServedProtocol.Unit("u", null, Set.of("a")), List.of("a", "b"), Set.of("b"));
        Map<String, Object> offline = new LinkedHashMap<>(Map.of(
                "name", "popularity", "kind", "offline", "description", "global popularity", "metrics", s.metrics()));
        Map<String, Object> served = new LinkedHashMap<>(Map.of(
                "name",
                "served",
                "kind",
                "served",
                "description",
                "served documents",
                "metrics",
                s.metrics(),
                "documents",
                3));
        Map<String, Object> failed = new LinkedHashMap<>(Map.of(
                "name",
                "source-als",
                "kind",
                "served",
                "description",
                "als alone",
                "error",
                "Unknown configuration key 'recs.sources'."));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("title", "t");
        report.put("generated_at", "now");
        report.put("elapsed_seconds", 1.0);
        report.put(
                "input",
                new LinkedHashMap<>(Map.of(
                        "source",
                        "s",
                        "format",
                        "f",
                        "rows",
                        1,
                        "users",
                        1,
                        "items",
                        1,
                        "lines",
                        1,
                        "bad_lines",
                        Map.of("count", 0, "by_reason", Map.of(), "first", List.of()))));
        report.put(
                "split",
                Map.of(
                        "description",
                        "d",
                        "train_rows",
                        1,
                        "validation_rows",
                        0,
                        "test_rows",
                        1,
                        "final_fit",
                        "train"));
        report.put(
                "protocol",
                Map.of(
                        "k",
                        10,
                        "relevant",
                        "r",
                        "candidates",
                        "c",
                        "unit",
                        "a user",
                        "ndcg",
                        "n",
                        "diversity",
                        "d",
                        "units",
                        1,
                        "users",
                        1,
                        "catalogue_items",
                        5));
        report.put("models", List.of());
        report.put(
                "served",
                Map.of("job_args", List.of("--recs.coalesce", "1s"), "rows", List.of(offline, served, failed)));

        String html = ReportWriter.html(report);
        assertThat(html)
                .contains(
                        "<table id=\"served\">",
                        ">popularity<",
                        ">served<",
                        ">source-als<",
                        "ERROR: Unknown configuration key",
                        "consumed items served",
                        "--recs.coalesce");
        assertThat(html).doesNotContain("<table id=\"models\">");
    }
}
