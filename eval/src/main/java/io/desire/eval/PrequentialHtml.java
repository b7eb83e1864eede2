package io.desire.eval;

import static io.desire.eval.ReportHtml.esc;
import static io.desire.eval.ReportHtml.fmt;
import static io.desire.eval.ReportHtml.str;

import java.util.List;

/** The prequential section of the HTML report: the overall figures, the windowed series as lines, the hold-out table. */
final class PrequentialHtml {

    private PrequentialHtml() {}

    static void append(StringBuilder sb, PrequentialReport pq, int k) {
        PrequentialReport.Overall o = pq.overall();
        sb.append("<h2>Prequential (test-then-train)</h2>\n<p>")
                .append(esc(str(pq.description())))
                .append(".</p>\n<p>");
        sb.append(pq.streamEvents())
                .append(" events streamed, ")
                .append(pq.scored())
                .append(" scored (skipped: ");
        sb.append(pq.skippedColdUser())
                .append(" cold users, ")
                .append(pq.skippedRepeat())
                .append(" repeats, ");
        sb.append(pq.skippedNotRelevant()).append(" not relevant); ").append(fmt(pq.eventsPerSecond()));
        sb.append(" events/s. Overall: online Recall@").append(k).append(" <b>").append(fmt(o.onlineRecall()));
        sb.append("</b>, NDCG@")
                .append(k)
                .append(" <b>")
                .append(fmt(o.onlineNdcg()))
                .append("</b>; static model Recall@");
        sb.append(k)
                .append(' ')
                .append(fmt(o.staticRecall()))
                .append(", NDCG@")
                .append(k)
                .append(' ');
        sb.append(fmt(o.staticNdcg())).append(".</p>\n");
        sb.append(chart(pq.windows(), k));
        PrequentialReport.AfterStream after = pq.afterStream();
        if (after == null || after.online() == null) {
            return;
        }
        sb.append("<p>").append(esc(str(after.description()))).append(" (").append(after.holdoutRows());
        sb.append(" rows):</p>\n<table id=\"after-stream\"><tr><th class=\"l\">model</th><th>NDCG@")
                .append(k);
        sb.append("</th><th>Recall@").append(k).append("</th><th>HR@").append(k).append("</th><th>users</th></tr>\n");
        row(sb, "online", after.online());
        row(sb, "batch retrain", after.batchRetrain());
        row(sb, "static", after.staticModel());
        sb.append("</table>\n<p>Online / batch-retrain NDCG@").append(k).append(" = <span class=\"");
        sb.append(Boolean.TRUE.equals(after.targetMet()) ? "ok" : "miss").append("\">");
        sb.append(fmt(after.ndcgRatioOnlineToBatch()))
                .append("</span> (target ≥ ")
                .append(fmt(after.targetRatio()));
        sb.append(")</p>\n");
    }

    private static void row(StringBuilder sb, String name, ModelRow.RankingMetrics m) {
        sb.append("<tr><td class=\"l\">")
                .append(name)
                .append("</td><td>")
                .append(fmt(m.ndcg()))
                .append("</td><td>");
        sb.append(fmt(m.recall()))
                .append("</td><td>")
                .append(fmt(m.hitRate()))
                .append("</td><td>")
                .append(m.users());
        sb.append("</td></tr>\n");
    }

    /** Online against static NDCG@K and Recall@K per window (x: scored events at the window's end). */
    private static String chart(List<PrequentialReport.Window> windows, int k) {
        double[] xs = new double[windows.size()];
        double[][] ys = new double[4][windows.size()];
        for (int p = 0; p < windows.size(); p++) {
            PrequentialReport.Window w = windows.get(p);
            xs[p] = w.endScored();
            ys[0][p] = ReportHtml.num(w.onlineNdcg());
            ys[1][p] = ReportHtml.num(w.staticNdcg());
            ys[2][p] = ReportHtml.num(w.onlineRecall());
            ys[3][p] = ReportHtml.num(w.staticRecall());
        }
        String[] labels = {"online NDCG@" + k, "static NDCG@" + k, "online Recall@" + k, "static Recall@" + k};
        return SvgChart.lines(
                "prequential-chart",
                "prequential series",
                "Prequential metrics per window (x: scored events)",
                xs,
                ys,
                labels,
                "no scored events");
    }
}
