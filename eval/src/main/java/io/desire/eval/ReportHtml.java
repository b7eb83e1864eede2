package io.desire.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Renders an {@link EvalReport} as one self-contained HTML page — inline CSS ({@code report.css}) and
 * inline SVG charts ({@link SvgChart}), no scripts, fonts or other files: the input and split, the
 * served rows ({@link ServedHtml}), the models' tables with the best figure of each column marked,
 * the tuning grids, the prequential series and the planted benchmark ({@link PlantedHtml}).
 */
final class ReportHtml {

    private static final String CSS = Resources.text("report.css");

    private final StringBuilder sb = new StringBuilder(64 * 1024);

    private ReportHtml() {}

    static String render(EvalReport report) {
        ReportHtml h = new ReportHtml();
        h.sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(report.title()))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style></head><body>\n<h1>")
                .append(esc(report.title()))
                .append("</h1>\n<p class=\"muted\">generated ")
                .append(esc(str(report.generatedAt())))
                .append(" in ")
                .append(esc(str(report.elapsedSeconds())))
                .append(" s</p>\n");
        if (report.input() != null) {
            h.history(report);
        }
        if (report.planted() != null) {
            PlantedHtml.append(h.sb, report.planted());
        }
        return h.sb.append("</body></html>\n").toString();
    }

    /** The sections of an evaluated history: input, split, served, ranking, rating, ranker, tuning, prequential. */
    private void history(EvalReport report) {
        EvalReport.Input in = report.input();
        EvalReport.Split split = report.split();
        EvalReport.Protocol protocol = report.protocol();
        int k = protocol.k();
        sb.append("<h2>Input and split</h2>\n<dl>\n");
        dl(sb, "source", in.source() + " (" + in.format() + ")");
        dl(
                sb,
                "interactions",
                in.rows() + " rows, " + in.users() + " users, " + in.items() + " items, from " + in.lines() + " lines");
        dl(
                sb,
                "context",
                in.hasContext() ? in.contexts() + " contexts (geo cell × time bucket × device)" : "none in this input");
        dl(sb, "bad lines", in.badLines().count() + " skipped " + in.badLines().byReason());
        dl(sb, "duplicates dropped", str(in.duplicatesDropped()));
        dl(sb, "split", str(split.description()));
        dl(
                sb,
                "rows",
                "train " + split.trainRows() + ", validation " + split.validationRows() + ", test " + split.testRows()
                        + "; final fit on " + split.finalFit());
        dl(
                sb,
                "protocol",
                "K = " + k + "; relevant: " + protocol.relevant() + "; candidates: " + protocol.candidates());
        sb.append("</dl>\n");
        List<String> samples = in.badLines().first();
        if (!samples.isEmpty()) {
            sb.append("<details><summary>first bad lines</summary><ul>\n");
            for (String s : samples) {
                sb.append("<li><code>").append(esc(s)).append("</code></li>\n");
            }
            sb.append("</ul></details>\n");
        }
        if (report.served() != null && protocol instanceof EvalReport.Protocol.Served p) {
            ServedHtml.append(sb, report.served(), p);
        }
        List<ModelRow> models = report.models() == null ? List.of() : report.models();
        ranking(ofKind(models, ModelRow.RankingMetrics.class), k);
        rating(ofKind(models, ModelRow.RatingMetrics.class));
        classifiers(ofKind(models, ModelRow.ClassifierMetrics.class));
        if (report.tuning() != null) {
            tuning(report.tuning());
        }
        if (report.prequential() != null) {
            PrequentialHtml.append(sb, report.prequential(), k);
        }
    }

    /** A model row with its metrics of one kind. */
    private record Row<M>(ModelRow model, M metrics) {}

    private void ranking(List<Row<ModelRow.RankingMetrics>> rows, int k) {
        if (rows.isEmpty()) {
            return;
        }
        List<Function<ModelRow.RankingMetrics, Double>> columns = List.of(
                ModelRow.RankingMetrics::precision,
                ModelRow.RankingMetrics::recall,
                ModelRow.RankingMetrics::f1,
                ModelRow.RankingMetrics::ndcg,
                ModelRow.RankingMetrics::hitRate,
                ModelRow.RankingMetrics::map,
                ModelRow.RankingMetrics::coverage);
        String[] heads = {"Precision@" + k, "Recall@" + k, "F1@" + k, "NDCG@" + k, "HR@" + k, "MAP@" + k, "Coverage"};
        sb.append("<h2>Ranking on test (@").append(k).append(")</h2>\n");
        sb.append("<table id=\"models\"><tr><th class=\"l\">model</th>");
        for (String head : heads) {
            sb.append("<th>").append(esc(head)).append("</th>");
        }
        sb.append("<th>users</th><th>fit s</th><th class=\"l\">notes</th></tr>\n");
        for (Row<ModelRow.RankingMetrics> r : rows) {
            sb.append("<tr><td class=\"l\" title=\"")
                    .append(esc(str(r.model().description())))
                    .append("\">")
                    .append(esc(r.model().name()))
                    .append("</td>");
            for (Function<ModelRow.RankingMetrics, Double> column : columns) {
                sb.append(cell(isBest(rows, column, column.apply(r.metrics()), true), column.apply(r.metrics())));
            }
            sb.append("<td>")
                    .append(r.metrics().users())
                    .append("</td><td>")
                    .append(fmt(r.model().fitSeconds()));
            sb.append("</td><td class=\"l muted\">")
                    .append(esc(describe(r.model())))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
        List<String> names = new ArrayList<>();
        double[][] values = new double[rows.size()][];
        for (int g = 0; g < rows.size(); g++) {
            names.add(rows.get(g).model().name());
            values[g] = new double[] {
                num(rows.get(g).metrics().ndcg()), num(rows.get(g).metrics().recall())
            };
        }
        sb.append(SvgChart.bars(
                "bar-chart",
                "NDCG and recall per model",
                "NDCG@" + k + " and Recall@" + k + " on test",
                names,
                new String[] {"ndcg", "recall"},
                new String[] {"NDCG@" + k, "Recall@" + k},
                values));
    }

    private void rating(List<Row<ModelRow.RatingMetrics>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        sb.append("<h2>Rating prediction on test</h2>\n<table id=\"ratings\"><tr><th class=\"l\">model</th>")
                .append("<th>RMSE</th><th>MAE</th><th>ratings</th><th class=\"l\">notes</th></tr>\n");
        for (Row<ModelRow.RatingMetrics> r : rows) {
            ModelRow.RatingMetrics m = r.metrics();
            sb.append("<tr><td class=\"l\">").append(esc(r.model().name())).append("</td>");
            sb.append(cell(isBest(rows, ModelRow.RatingMetrics::rmse, m.rmse(), false), m.rmse()));
            sb.append(cell(isBest(rows, ModelRow.RatingMetrics::mae, m.mae(), false), m.mae()));
            sb.append("<td>").append(m.ratings()).append("</td><td class=\"l muted\">");
            sb.append(esc(describe(r.model()))).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    private void classifiers(List<Row<ModelRow.ClassifierMetrics>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        sb.append("<h2>Ranker on test examples</h2>\n<table id=\"ranker\"><tr><th class=\"l\">model</th>")
                .append("<th>AUC</th><th>log-loss</th><th>train examples</th><th>test examples</th>")
                .append("<th class=\"l\">notes</th></tr>\n");
        for (Row<ModelRow.ClassifierMetrics> r : rows) {
            ModelRow.ClassifierMetrics m = r.metrics();
            sb.append("<tr><td class=\"l\">").append(esc(r.model().name())).append("</td>");
            sb.append(cell(isBest(rows, ModelRow.ClassifierMetrics::auc, m.auc(), true), m.auc()));
            sb.append(cell(isBest(rows, ModelRow.ClassifierMetrics::logLoss, m.logLoss(), false), m.logLoss()));
            sb.append("<td>").append(m.trainExamples()).append("</td><td>").append(m.testExamples());
            sb.append("</td><td class=\"l muted\">")
                    .append(esc(describe(r.model())))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n<p class=\"muted\">Positives: interactions; negatives: popular items the user never"
                + " consumed, in the same context; features as known just before each event.</p>\n");
    }

    private void tuning(TuningReport tuning) {
        if (tuning.sections().isEmpty()) {
            return;
        }
        sb.append("<h2>Tuning on validation</h2>\n");
        tuning.sections().forEach((name, t) -> {
            sb.append("<p><b>").append(esc(name)).append("</b> — ").append(esc(str(t.criterion())));
            sb.append("; chosen <code>").append(esc(t.chosenText())).append("</code></p>\n");
            if (t.grid().isEmpty()) {
                return;
            }
            sb.append("<table><tr>");
            for (String col : ReportJson.fields(t.grid().get(0)).keySet()) {
                sb.append("<th>").append(esc(col)).append("</th>");
            }
            sb.append("</tr>\n");
            for (Object point : t.grid()) {
                sb.append("<tr>");
                for (Object v : ReportJson.fields(point).values()) {
                    sb.append("<td>").append(fmt(v)).append("</td>");
                }
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
        });
    }

    @SuppressWarnings("unchecked")
    private static <M> List<Row<M>> ofKind(List<ModelRow> models, Class<M> kind) {
        List<Row<M>> out = new ArrayList<>();
        for (ModelRow m : models) {
            if (kind.isInstance(m.metrics())) {
                out.add(new Row<>(m, (M) m.metrics()));
            }
        }
        return out;
    }

    private static <M> boolean isBest(List<Row<M>> rows, Function<M, Double> metric, Double value, boolean higher) {
        List<Double> all = new ArrayList<>();
        rows.forEach(r -> all.add(metric.apply(r.metrics())));
        return isBest(all, value, higher);
    }

    /** Whether {@code value} is the best of {@code all} (ties are all best); never with fewer than two rows. */
    static boolean isBest(List<? extends Number> all, Number value, boolean higher) {
        if (value == null || all.size() < 2) {
            return false;
        }
        double v = value.doubleValue();
        for (Number n : all) {
            if (n != null && (higher ? n.doubleValue() > v : n.doubleValue() < v)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(ModelRow m) {
        String d = str(m.description());
        return m.note() == null ? d : d + " — " + m.note();
    }

    static String cell(boolean best, Object v) {
        return (best ? "<td class=\"best\">" : "<td>") + fmt(v) + "</td>";
    }

    static void dl(StringBuilder sb, String term, String value) {
        sb.append("<dt>")
                .append(esc(term))
                .append("</dt><dd>")
                .append(esc(value))
                .append("</dd>\n");
    }

    /** A figure: four decimals (none from 100), "–" when undefined; anything else as text. */
    static String fmt(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.0f" : "%.4f", d);
        }
        return esc(v.toString());
    }

    static double num(Double v) {
        return v == null ? 0 : v;
    }

    static String str(Object v) {
        return v == null ? "" : v.toString();
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
