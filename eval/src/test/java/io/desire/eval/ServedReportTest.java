package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

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
        ServedReport.Row offline = ServedReport.Row.offline("popularity", "global popularity", s.metrics(), null);
        ServedReport.Row served = new ServedReport.Row(
                "served", "served", "served documents", null, null, null, 3L, s.metrics(), null, null, null);
        ServedReport.Row failed = new ServedReport.Row(
                "source-als",
                "served",
                "als alone",
                null,
                null,
                null,
                null,
                null,
                "Unknown configuration key 'recs.sources'.",
                null,
                null);
        EvalReport report = new EvalReport(
                "t",
                "now",
                new EvalReport.Input(
                        "s",
                        "f",
                        1,
                        1,
                        0,
                        0,
                        new EvalReport.BadLines(0, Map.of(), List.of()),
                        Map.of(),
                        null,
                        1,
                        1,
                        false,
                        0,
                        false,
                        0),
                new EvalReport.Split(null, "d", 0, 0, 0, 1, 0, 1, "train"),
                new EvalReport.Protocol.Served(10, "r", "c", "a user", "context", 1, 1, 5, "n", "d"),
                null,
                new ServedReport(null, List.of("--recs.coalesce", "1s"), List.of(offline, served, failed)),
                List.of(),
                null,
                null,
                1.0);

        String html = ReportHtml.render(report);
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
