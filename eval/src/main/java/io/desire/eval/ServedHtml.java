package io.desire.eval;

import static io.desire.eval.ReportHtml.esc;
import static io.desire.eval.ReportHtml.fmt;
import static io.desire.eval.ReportHtml.str;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The HTML table of the served rows next to the offline ones, scored by one protocol; a failed run shows its error. */
final class ServedHtml {

    /** The columns; the first {@value #RANKED_COLUMNS} mark their best value. */
    private static final List<Function<ServedReport.Metrics, Object>> COLUMNS = List.of(
            ServedReport.Metrics::ndcg,
            ServedReport.Metrics::recall,
            ServedReport.Metrics::precision,
            ServedReport.Metrics::hitRate,
            ServedReport.Metrics::coverage,
            ServedReport.Metrics::diversity,
            ServedReport.Metrics::consumedInTraining,
            ServedReport.Metrics::listsShorterThanK,
            ServedReport.Metrics::unitsWithoutDocument);

    private static final int RANKED_COLUMNS = 6;

    private ServedHtml() {}

    static void append(StringBuilder sb, ServedReport served, EvalReport.Protocol.Served protocol) {
        int k = protocol.k();
        sb.append("<h2>Served quality (@").append(k).append(")</h2>\n<p>Unit: ").append(esc(str(protocol.unit())));
        sb.append(". NDCG: ").append(esc(str(protocol.ndcg()))).append(". Diversity: ");
        sb.append(esc(str(protocol.diversity())))
                .append(". ")
                .append(protocol.units())
                .append(" units, ");
        sb.append(protocol.users()).append(" users, catalogue ").append(protocol.catalogueItems());
        sb.append(" items. Backfill job arguments: <code>")
                .append(esc(str(served.jobArgs())))
                .append("</code>.</p>\n");
        String[] heads = {
            "NDCG@" + k,
            "Recall@" + k,
            "Precision@" + k,
            "HR@" + k,
            "coverage",
            "diversity",
            "consumed items served",
            "lists < K",
            "no document"
        };
        sb.append("<table id=\"served\"><tr><th class=\"l\">what</th><th class=\"l\">kind</th>");
        for (String head : heads) {
            sb.append("<th>").append(esc(head)).append("</th>");
        }
        sb.append("<th>s</th><th class=\"l\">notes</th></tr>\n");
        List<ServedReport.Metrics> scored = new ArrayList<>();
        for (ServedReport.Row r : served.rows()) {
            if (r.metrics() != null) {
                scored.add(r.metrics());
            }
        }
        for (ServedReport.Row r : served.rows()) {
            sb.append("<tr><td class=\"l\" title=\"")
                    .append(esc(str(r.description())))
                    .append("\">");
            sb.append(esc(str(r.name())))
                    .append("</td><td class=\"l\">")
                    .append(esc(str(r.kind())))
                    .append("</td>");
            for (int j = 0; j < COLUMNS.size(); j++) {
                Object value = r.metrics() == null ? null : COLUMNS.get(j).apply(r.metrics());
                boolean best = j < RANKED_COLUMNS && isBest(scored, COLUMNS.get(j), value);
                sb.append(ReportHtml.cell(best, value));
            }
            sb.append("<td>").append(fmt(r.seconds())).append("</td><td class=\"l muted\">");
            sb.append(esc(note(r))).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private static boolean isBest(
            List<ServedReport.Metrics> scored, Function<ServedReport.Metrics, Object> column, Object value) {
        List<Number> all = new ArrayList<>();
        scored.forEach(m -> all.add((Number) column.apply(m)));
        return value instanceof Number n && ReportHtml.isBest(all, n, true);
    }

    private static String note(ServedReport.Row r) {
        if (r.error() != null) {
            return "ERROR: " + r.error();
        }
        String note = str(r.description());
        if (r.documents() != null) {
            ServedReport.Metrics m = r.metrics();
            note += "; " + r.documents() + " documents, " + (m == null ? null : m.unitsInContext())
                    + " units read in context, " + (m == null ? null : m.unitsFallback()) + " by fallback";
        }
        return note;
    }
}
