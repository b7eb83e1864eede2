package io.desire.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the report tree as {@code report.json} (machine-readable, every figure) and {@code
 * report.html}: one self-contained page — inline CSS and inline SVG charts, no scripts, fonts or
 * other files — with tables comparing models and baselines, a bar chart of NDCG@K and Recall@K and a
 * line chart of the prequential series. The HTML is rendered from the same tree as the JSON, so the
 * two never disagree.
 */
final class ReportWriter {

    static final String JSON_FILE = "report.json";
    static final String HTML_FILE = "report.html";

    private static final String[] SERIES_COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};

    private ReportWriter() {}

    /** Writes both files into {@code dir} (created if needed); returns the HTML path. */
    static Path write(Map<String, Object> report, Path dir) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dir.resolve(JSON_FILE).toFile(), report);
        Path html = dir.resolve(HTML_FILE);
        Files.writeString(html, html(report), StandardCharsets.UTF_8);
        return html;
    }

    // ------------------------------------------------------------------------------------ HTML

    static String html(Map<String, Object> report) {
        StringBuilder sb = new StringBuilder(64 * 1024);

        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>")
                .append(esc(str(report.get("title"))))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px auto;")
                .append("max-width:1120px;color:#222;line-height:1.4}\n")
                .append(
                        "h1{font-size:1.6em;margin-bottom:4px}h2{font-size:1.2em;margin-top:28px;border-bottom:1px solid #ddd}\n")
                .append("table{border-collapse:collapse;margin:8px 0;font-size:0.9em}\n")
                .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\n")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}\n")
                .append("td.best{font-weight:bold;background:#e8f4e8}\n")
                .append(
                        ".muted{color:#666;font-size:0.9em}.ok{color:#1a7f1a;font-weight:bold}.miss{color:#b00;font-weight:bold}\n")
                .append(
                        "dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dt{font-weight:bold}dd{margin:0}\n")
                .append("code{background:#f5f5f5;padding:1px 3px}\n")
                .append("</style></head><body>\n");
        sb.append("<h1>")
                .append(esc(str(report.get("title"))))
                .append("</h1>\n<p class=\"muted\">generated ")
                .append(esc(str(report.get("generated_at"))))
                .append(" in ")
                .append(esc(str(report.get("elapsed_seconds"))))
                .append(" s</p>\n");

        if (report.containsKey("input")) {
            history(sb, report);
        }
        if (report.get("planted") instanceof PlantedBenchmark.Report planted) {
            planted(sb, planted);
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static String describe(Map<String, Object> m) {
        String d = str(m.get("description"));
        Object note = m.get("note");
        return note == null ? d : d + " — " + note;
    }

    private static String cell(boolean best, Object v) {
        return (best ? "<td class=\"best\">" : "<td>") + fmt(v) + "</td>";
    }

    private static boolean isBest(List<Map<String, Object>> models, String key, Object value, boolean higher) {
        if (!(value instanceof Number) || models.size() < 2) {
            return false;
        }
        double v = ((Number) value).doubleValue();
        for (Map<String, Object> m : models) {
            Object o = map(m.get("metrics")).get(key);
            if (o instanceof Number n && (higher ? n.doubleValue() > v : n.doubleValue() < v)) {
                return false;
            }
        }
        return true;
    }

    /** The sections of an evaluated history: input, split, ranking, rating, ranker, tuning, prequential. */
    private static void history(StringBuilder sb, Map<String, Object> report) {
        Map<String, Object> input = map(report.get("input"));
        Map<String, Object> split = map(report.get("split"));
        Map<String, Object> protocol = map(report.get("protocol"));
        int k = ((Number) protocol.get("k")).intValue();
        List<Map<String, Object>> models = list(report.get("models"));

        sb.append("<h2>Input and split</h2>\n<dl>\n");
        dl(sb, "source", str(input.get("source")) + " (" + str(input.get("format")) + ")");
        dl(
                sb,
                "interactions",
                input.get("rows") + " rows, " + input.get("users") + " users, " + input.get("items") + " items, from "
                        + input.get("lines") + " lines");
        dl(
                sb,
                "context",
                Boolean.TRUE.equals(input.get("has_context"))
                        ? input.get("contexts") + " contexts (geo cell × time bucket × device)"
                        : "none in this input");
        Map<String, Object> bad = map(input.get("bad_lines"));
        dl(
                sb,
                "bad lines",
                bad.get("count") + " skipped " + (bad.get("by_reason").toString()));
        dl(sb, "duplicates dropped", str(input.get("duplicates_dropped")));
        dl(sb, "split", str(split.get("description")));
        dl(
                sb,
                "rows",
                "train " + split.get("train_rows") + ", validation " + split.get("validation_rows") + ", test "
                        + split.get("test_rows") + "; final fit on " + split.get("final_fit"));
        dl(
                sb,
                "protocol",
                "K = " + k + "; relevant: " + protocol.get("relevant") + "; candidates: " + protocol.get("candidates"));
        sb.append("</dl>\n");
        List<Object> samples = list(bad.get("first"));
        if (!samples.isEmpty()) {
            sb.append("<details><summary>first bad lines</summary><ul>\n");
            for (Object s : samples) {
                sb.append("<li><code>").append(esc(str(s))).append("</code></li>\n");
            }
            sb.append("</ul></details>\n");
        }

        Map<String, Object> served = map(report.get("served"));
        if (!served.isEmpty()) {
            servedSection(sb, served, protocol, k);
        }

        List<Map<String, Object>> ranking = ofKind(models, "ranking");
        if (!ranking.isEmpty()) {
            sb.append("<h2>Ranking on test (@").append(k).append(")</h2>\n");
            String[] keys = {"precision", "recall", "f1", "ndcg", "hit_rate", "map", "coverage"};
            String[] heads = {"Precision@" + k, "Recall@" + k, "F1@" + k, "NDCG@" + k, "HR@" + k, "MAP@" + k, "Coverage"
            };
            sb.append("<table id=\"models\"><tr><th class=\"l\">model</th>");
            for (String head : heads) {
                sb.append("<th>").append(esc(head)).append("</th>");
            }
            sb.append("<th>users</th><th>fit s</th><th class=\"l\">notes</th></tr>\n");
            for (Map<String, Object> m : ranking) {
                Map<String, Object> metrics = map(m.get("metrics"));
                sb.append("<tr><td class=\"l\" title=\"")
                        .append(esc(str(m.get("description"))))
                        .append("\">")
                        .append(esc(str(m.get("name"))))
                        .append("</td>");
                for (String key : keys) {
                    boolean best = isBest(ranking, key, metrics.get(key), true);
                    sb.append(best ? "<td class=\"best\">" : "<td>")
                            .append(fmt(metrics.get(key)))
                            .append("</td>");
                }
                sb.append("<td>")
                        .append(metrics.get("users"))
                        .append("</td><td>")
                        .append(fmt(m.get("fit_seconds")))
                        .append("</td><td class=\"l muted\">")
                        .append(esc(describe(m)))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n");
            sb.append(barChart(ranking, k));
        }

        List<Map<String, Object>> rating = ofKind(models, "rating");
        if (!rating.isEmpty()) {
            sb.append("<h2>Rating prediction on test</h2>\n<table id=\"ratings\"><tr><th class=\"l\">model</th>")
                    .append("<th>RMSE</th><th>MAE</th><th>ratings</th><th class=\"l\">notes</th></tr>\n");
            for (Map<String, Object> m : rating) {
                Map<String, Object> metrics = map(m.get("metrics"));
                sb.append("<tr><td class=\"l\">")
                        .append(esc(str(m.get("name"))))
                        .append("</td>");
                sb.append(cell(isBest(rating, "rmse", metrics.get("rmse"), false), metrics.get("rmse")));
                sb.append(cell(isBest(rating, "mae", metrics.get("mae"), false), metrics.get("mae")));
                sb.append("<td>")
                        .append(metrics.get("ratings"))
                        .append("</td><td class=\"l muted\">")
                        .append(esc(describe(m)))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }

        List<Map<String, Object>> classifiers = ofKind(models, "classifier");
        if (!classifiers.isEmpty()) {
            sb.append("<h2>Ranker on test examples</h2>\n<table id=\"ranker\"><tr><th class=\"l\">model</th>")
                    .append("<th>AUC</th><th>log-loss</th><th>train examples</th><th>test examples</th>")
                    .append("<th class=\"l\">notes</th></tr>\n");
            for (Map<String, Object> m : classifiers) {
                Map<String, Object> metrics = map(m.get("metrics"));
                sb.append("<tr><td class=\"l\">")
                        .append(esc(str(m.get("name"))))
                        .append("</td>");
                sb.append(cell(isBest(classifiers, "auc", metrics.get("auc"), true), metrics.get("auc")));
                sb.append(
                        cell(isBest(classifiers, "log_loss", metrics.get("log_loss"), false), metrics.get("log_loss")));
                sb.append("<td>")
                        .append(metrics.get("train_examples"))
                        .append("</td><td>")
                        .append(metrics.get("test_examples"))
                        .append("</td><td class=\"l muted\">")
                        .append(esc(describe(m)))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n<p class=\"muted\">Positives: interactions; negatives: popular items the user never"
                    + " consumed, in the same context; features as known just before each event.</p>\n");
        }

        Map<String, Object> tuning = map(report.get("tuning"));
        if (!tuning.isEmpty()) {
            sb.append("<h2>Tuning on validation</h2>\n");
            for (Map.Entry<String, Object> e : tuning.entrySet()) {
                Map<String, Object> t = map(e.getValue());
                sb.append("<p><b>")
                        .append(esc(e.getKey()))
                        .append("</b> — ")
                        .append(esc(str(t.get("criterion"))))
                        .append("; chosen <code>")
                        .append(esc(str(t.get("chosen"))))
                        .append("</code></p>\n");
                List<Map<String, Object>> grid = list(t.get("grid"));
                if (!grid.isEmpty()) {
                    sb.append("<table><tr>");
                    for (String col : grid.get(0).keySet()) {
                        sb.append("<th>").append(esc(col)).append("</th>");
                    }
                    sb.append("</tr>\n");
                    for (Map<String, Object> point : grid) {
                        sb.append("<tr>");
                        for (Object v : point.values()) {
                            sb.append("<td>").append(fmt(v)).append("</td>");
                        }
                        sb.append("</tr>\n");
                    }
                    sb.append("</table>\n");
                }
            }
        }

        Map<String, Object> pq = map(report.get("prequential"));
        if (!pq.isEmpty()) {
            Map<String, Object> overall = map(pq.get("overall"));
            sb.append("<h2>Prequential (test-then-train)</h2>\n<p>")
                    .append(esc(str(pq.get("description"))))
                    .append(".</p>\n<p>")
                    .append(pq.get("stream_events"))
                    .append(" events streamed, ")
                    .append(pq.get("scored"))
                    .append(" scored (skipped: ")
                    .append(pq.get("skipped_cold_user"))
                    .append(" cold users, ")
                    .append(pq.get("skipped_repeat"))
                    .append(" repeats, ")
                    .append(pq.get("skipped_not_relevant"))
                    .append(" not relevant); ")
                    .append(fmt(pq.get("events_per_second")))
                    .append(" events/s. Overall: online Recall@")
                    .append(k)
                    .append(" <b>")
                    .append(fmt(overall.get("online_recall")))
                    .append("</b>, NDCG@")
                    .append(k)
                    .append(" <b>")
                    .append(fmt(overall.get("online_ndcg")))
                    .append("</b>; static model Recall@")
                    .append(k)
                    .append(' ')
                    .append(fmt(overall.get("static_recall")))
                    .append(", NDCG@")
                    .append(k)
                    .append(' ')
                    .append(fmt(overall.get("static_ndcg")))
                    .append(".</p>\n");
            sb.append(lineChart(list(pq.get("windows")), k));
            Map<String, Object> after = map(pq.get("after_stream"));
            if (after.containsKey("online")) {
                sb.append("<p>")
                        .append(esc(str(after.get("description"))))
                        .append(" (")
                        .append(after.get("holdout_rows"))
                        .append(" rows):</p>\n");
                sb.append("<table id=\"after-stream\"><tr><th class=\"l\">model</th><th>NDCG@")
                        .append(k)
                        .append("</th><th>Recall@")
                        .append(k)
                        .append("</th><th>HR@")
                        .append(k)
                        .append("</th><th>users</th></tr>\n");
                for (String name : new String[] {"online", "batch_retrain", "static"}) {
                    Map<String, Object> m = map(after.get(name));
                    sb.append("<tr><td class=\"l\">")
                            .append(name.replace('_', ' '))
                            .append("</td><td>")
                            .append(fmt(m.get("ndcg")))
                            .append("</td><td>")
                            .append(fmt(m.get("recall")))
                            .append("</td><td>")
                            .append(fmt(m.get("hit_rate")))
                            .append("</td><td>")
                            .append(m.get("users"))
                            .append("</td></tr>\n");
                }
                sb.append("</table>\n");
                boolean met = Boolean.TRUE.equals(after.get("target_met"));
                sb.append("<p>Online / batch-retrain NDCG@")
                        .append(k)
                        .append(" = <span class=\"")
                        .append(met ? "ok" : "miss")
                        .append("\">")
                        .append(fmt(after.get("ndcg_ratio_online_to_batch")))
                        .append("</span> (target ≥ ")
                        .append(fmt(after.get("target_ratio")))
                        .append(")</p>\n");
            }
        }
    }

    /** The served documents next to the offline models, scored by one protocol. */
    static void servedSection(StringBuilder sb, Map<String, Object> served, Map<String, Object> protocol, int k) {
        sb.append("<h2>Served quality (@")
                .append(k)
                .append(")</h2>\n<p>Unit: ")
                .append(esc(str(protocol.get("unit"))))
                .append(". NDCG: ")
                .append(esc(str(protocol.get("ndcg"))))
                .append(". Diversity: ")
                .append(esc(str(protocol.get("diversity"))))
                .append(". ")
                .append(protocol.get("units"))
                .append(" units, ")
                .append(protocol.get("users"))
                .append(" users, catalogue ")
                .append(protocol.get("catalogue_items"))
                .append(" items. Backfill job arguments: <code>")
                .append(esc(str(served.get("job_args"))))
                .append("</code>.</p>\n");
        String[] keys = {
            "ndcg",
            "recall",
            "precision",
            "hit_rate",
            "coverage",
            "diversity",
            "consumed_in_training",
            "lists_shorter_than_k",
            "units_without_document"
        };
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
        List<Map<String, Object>> rows = list(served.get("rows"));
        List<Map<String, Object>> scored = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (r.get("metrics") != null) {
                scored.add(r);
            }
        }
        for (Map<String, Object> r : rows) {
            Map<String, Object> metrics = map(r.get("metrics"));
            sb.append("<tr><td class=\"l\" title=\"")
                    .append(esc(str(r.get("description"))))
                    .append("\">")
                    .append(esc(str(r.get("name"))))
                    .append("</td><td class=\"l\">")
                    .append(esc(str(r.get("kind"))))
                    .append("</td>");
            for (int j = 0; j < keys.length; j++) {
                boolean best = j < 6 && isBest(scored, keys[j], metrics.get(keys[j]), true);
                sb.append(best ? "<td class=\"best\">" : "<td>")
                        .append(fmt(metrics.get(keys[j])))
                        .append("</td>");
            }
            String note = r.containsKey("error")
                    ? "ERROR: " + str(r.get("error"))
                    : str(r.get("description"))
                            + (r.containsKey("documents")
                                    ? "; " + r.get("documents") + " documents"
                                            + ", " + metrics.get("units_in_context") + " units read in context, "
                                            + metrics.get("units_fallback") + " by fallback"
                                    : "");
            sb.append("<td>")
                    .append(fmt(r.get("seconds")))
                    .append("</td><td class=\"l muted\">")
                    .append(esc(note))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /** FTRL against the factorisation machine on planted interactions. */
    static void planted(StringBuilder sb, PlantedBenchmark.Report r) {
        sb.append("<h2>Ranker models on planted interactions</h2>\n<p>")
                .append(esc(r.description()))
                .append(": ")
                .append(r.examples())
                .append(" examples, ")
                .append(r.users())
                .append(" users, ")
                .append(r.items())
                .append(" items, ")
                .append(r.contexts())
                .append(" contexts; 2^")
                .append(r.bits())
                .append(" buckets, k = ")
                .append(r.factors())
                .append(", seed ")
                .append(r.seed())
                .append(".</p>\n<p class=\"muted\">")
                .append(esc(r.protocol()))
                .append(".</p>\n");
        sb.append("<table id=\"planted\"><tr><th class=\"l\">model</th><th class=\"l\">fit</th><th>AUC</th>")
                .append(
                        "<th>log-loss</th><th>calibration error</th><th>epochs</th><th>train examples</th><th>test examples</th>")
                .append("<th>s</th></tr>\n");
        double bestAuc =
                r.fits().stream().mapToDouble(PlantedBenchmark.Fit::auc).max().orElse(Double.NaN);
        double bestLoss = r.fits().stream()
                .mapToDouble(PlantedBenchmark.Fit::logLoss)
                .min()
                .orElse(Double.NaN);
        for (PlantedBenchmark.Fit f : r.fits()) {
            sb.append("<tr><td class=\"l\">")
                    .append(esc(f.model()))
                    .append("</td><td class=\"l\">")
                    .append(esc(f.fit()))
                    .append("</td>")
                    .append(cell(f.auc() == bestAuc, f.auc()))
                    .append(cell(f.logLoss() == bestLoss, f.logLoss()))
                    .append("<td>")
                    .append(fmt(f.calibrationError()))
                    .append("</td><td>")
                    .append(f.epochs())
                    .append("</td><td>")
                    .append(f.trainExamples())
                    .append("</td><td>")
                    .append(f.testExamples())
                    .append("</td><td>")
                    .append(fmt(f.seconds()))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n<p>FM AUC − FTRL AUC (worst FM fit against best FTRL fit) = <span class=\"")
                .append(r.fmGainMet() ? "ok" : "miss")
                .append("\">")
                .append(fmt(r.fmAucGain()))
                .append("</span> (target ≥ ")
                .append(fmt(PlantedBenchmark.TARGET_FM_GAIN))
                .append("); batch − online AUC: FTRL <span class=\"")
                .append(r.onlineGapsMet() ? "ok" : "miss")
                .append("\">")
                .append(fmt(r.ftrlOnlineGap()))
                .append("</span>, FM <span class=\"")
                .append(r.onlineGapsMet() ? "ok" : "miss")
                .append("\">")
                .append(fmt(r.fmOnlineGap()))
                .append("</span> (target within ")
                .append(fmt(PlantedBenchmark.TARGET_ONLINE_GAP))
                .append(").</p>\n");
        sb.append("<p>Calibration on test: predicted probability against the observed share of positives, per tenth"
                + " of the probability range (on the diagonal = calibrated; the positives are one in three, the"
                + " protocol's sampled rate, not a click rate among everything served). Calibration error ="
                + " Σ share of examples × |mean prediction − positive rate| over the bins. Bins of fewer than "
                + MIN_BIN_COUNT + " examples are not drawn.</p>\n");
        sb.append(reliabilityChart(r.fits()));
    }

    /** Bins with fewer examples are left out of the reliability diagram (they stay in the JSON). */
    static final int MIN_BIN_COUNT = 30;

    /** The reliability diagram: one line per fit over the diagonal. */
    static String reliabilityChart(List<PlantedBenchmark.Fit> fits) {
        int size = 320;
        int left = 50;
        int top = 20;
        int plot = size - left - 30;
        String[] colours = {"#1f77b4", "#aec7e8", "#d62728", "#ff9896"};
        StringBuilder sb = new StringBuilder();
        sb.append("<svg id=\"reliability-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(size + 160)
                .append("\" height=\"")
                .append(size)
                .append("\">\n");
        sb.append("<rect x=\"")
                .append(left)
                .append("\" y=\"")
                .append(top)
                .append("\" width=\"")
                .append(plot)
                .append("\" height=\"")
                .append(plot)
                .append("\" fill=\"none\" stroke=\"#999\"/>\n");
        sb.append("<line x1=\"")
                .append(left)
                .append("\" y1=\"")
                .append(top + plot)
                .append("\" x2=\"")
                .append(left + plot)
                .append("\" y2=\"")
                .append(top)
                .append("\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n");
        sb.append("<text x=\"")
                .append(left + plot / 2)
                .append("\" y=\"")
                .append(top + plot + 28)
                .append("\" text-anchor=\"middle\" font-size=\"12\">predicted probability</text>\n");
        sb.append("<text x=\"14\" y=\"")
                .append(top + plot / 2)
                .append("\" font-size=\"12\" transform=\"rotate(-90 14 ")
                .append(top + plot / 2)
                .append(")\" text-anchor=\"middle\">observed positive rate</text>\n");
        for (double t : new double[] {0, 0.5, 1}) {
            sb.append(String.format(
                    java.util.Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
                    left + t * plot,
                    top + plot + 14,
                    fmt(t)));
            sb.append(String.format(
                    java.util.Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>\n",
                    left - 4,
                    top + (1 - t) * plot + 4,
                    fmt(t)));
        }
        for (int i = 0; i < fits.size(); i++) {
            PlantedBenchmark.Fit f = fits.get(i);
            StringBuilder points = new StringBuilder();
            for (PlantedBenchmark.Reliability b : f.reliability()) {
                if (b.count() < MIN_BIN_COUNT) {
                    continue; // a rate of one or two examples is noise, not calibration
                }
                double x = left + b.meanPrediction() * plot;
                double y = top + (1 - b.positiveRate()) * plot;
                points.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String colour = colours[i % colours.length];
            sb.append("<polyline fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().trim())
                    .append("\"/>\n");
            sb.append("<text x=\"")
                    .append(left + plot + 10)
                    .append("\" y=\"")
                    .append(top + 14 + 18 * i)
                    .append("\" font-size=\"12\" fill=\"")
                    .append(colour)
                    .append("\">")
                    .append(esc(f.model()))
                    .append(' ')
                    .append(esc(f.fit()))
                    .append(" (")
                    .append(fmt(f.calibrationError()))
                    .append(")</text>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** Grouped bars of NDCG@K and Recall@K per ranking model. */
    static String barChart(List<Map<String, Object>> models, int k) {
        int width = 760;
        int height = 300;
        int left = 50;
        int bottom = 60;
        int top = 30;
        double max = 0;
        for (Map<String, Object> m : models) {
            Map<String, Object> metrics = map(m.get("metrics"));
            max = Math.max(max, num(metrics.get("ndcg")));
            max = Math.max(max, num(metrics.get("recall")));
        }
        max = niceCeiling(max);
        StringBuilder sb = new StringBuilder();
        sb.append("<svg id=\"bar-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" role=\"img\" aria-label=\"NDCG and recall per model\">\n");
        sb.append("<text x=\"")
                .append(left)
                .append("\" y=\"18\" font-size=\"14\" font-weight=\"bold\">NDCG@")
                .append(k)
                .append(" and Recall@")
                .append(k)
                .append(" on test</text>\n");
        double plotH = height - top - bottom;
        axis(sb, left, top, width - 10, height - bottom, max, plotH);
        int n = Math.max(1, models.size());
        double group = (width - left - 20) / (double) n;
        double bar = Math.min(40, group / 3);
        for (int g = 0; g < models.size(); g++) {
            Map<String, Object> metrics = map(models.get(g).get("metrics"));
            double x0 = left + 10 + g * group + (group - 2 * bar) / 2;
            String[] keys = {"ndcg", "recall"};
            for (int b = 0; b < 2; b++) {
                double v = num(metrics.get(keys[b]));
                double hgt = max == 0 ? 0 : v / max * plotH;
                double x = x0 + b * bar;
                double y = height - bottom - hgt;
                sb.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s %.4f</title></rect>\n",
                        x,
                        y,
                        bar - 2,
                        hgt,
                        SERIES_COLOURS[b],
                        esc(str(models.get(g).get("name"))),
                        keys[b],
                        v));
                sb.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%.3f</text>\n",
                        x + (bar - 2) / 2,
                        y - 3,
                        v));
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>\n",
                    x0 + bar,
                    height - bottom + 18,
                    esc(str(models.get(g).get("name")))));
        }
        legend(sb, width - 220, height - 22, new String[] {"NDCG@" + k, "Recall@" + k});
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** Lines of the windowed prequential metrics, online against static. */
    static String lineChart(List<Map<String, Object>> windows, int k) {
        int width = 760;
        int height = 320;
        int left = 50;
        int bottom = 60;
        int top = 30;
        int right = 20;
        String[] keys = {"online_ndcg", "static_ndcg", "online_recall", "static_recall"};
        String[] labels = {"online NDCG@" + k, "static NDCG@" + k, "online Recall@" + k, "static Recall@" + k};
        double max = 0;
        double maxX = 1;
        for (Map<String, Object> w : windows) {
            for (String key : keys) {
                max = Math.max(max, num(w.get(key)));
            }
            maxX = Math.max(maxX, num(w.get("end_scored")));
        }
        max = niceCeiling(max);
        StringBuilder sb = new StringBuilder();
        sb.append("<svg id=\"prequential-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" role=\"img\" aria-label=\"prequential series\">\n");
        sb.append("<text x=\"")
                .append(left)
                .append("\" y=\"18\" font-size=\"14\" font-weight=\"bold\">")
                .append("Prequential metrics per window (x: scored events)</text>\n");
        double plotH = height - top - bottom;
        double plotW = width - left - right;
        axis(sb, left, top, width - right, height - bottom, max, plotH);
        for (int t = 0; t <= 4; t++) {
            double xv = maxX * t / 4;
            sb.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%d</text>\n",
                    left + plotW * t / 4,
                    height - bottom + 14,
                    Math.round(xv)));
        }
        if (windows.isEmpty()) {
            sb.append("<text x=\"")
                    .append(left + 20)
                    .append("\" y=\"")
                    .append(top + 40)
                    .append("\" font-size=\"12\">no scored events</text>\n");
        }
        for (int s = 0; s < keys.length; s++) {
            List<String> points = new ArrayList<>();
            for (Map<String, Object> w : windows) {
                double x = left + plotW * num(w.get("end_scored")) / maxX;
                double y = height - bottom - (max == 0 ? 0 : num(w.get(keys[s])) / max * plotH);
                points.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
            String dash = s % 2 == 1 ? " stroke-dasharray=\"5,4\"" : "";
            String colour = SERIES_COLOURS[s / 2];
            sb.append("<polyline fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"2\"")
                    .append(dash)
                    .append(" points=\"")
                    .append(String.join(" ", points))
                    .append("\"><title>")
                    .append(esc(labels[s]))
                    .append("</title></polyline>\n");
            if (windows.size() == 1) {
                String[] xy = points.get(0).split(",");
                sb.append("<circle cx=\"")
                        .append(xy[0])
                        .append("\" cy=\"")
                        .append(xy[1])
                        .append("\" r=\"3\" fill=\"")
                        .append(colour)
                        .append("\"/>\n");
            }
        }
        int lx = left;
        for (int s = 0; s < keys.length; s++) {
            String dash = s % 2 == 1 ? " stroke-dasharray=\"5,4\"" : "";
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                            + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n",
                    lx,
                    height - 18,
                    lx + 24,
                    height - 18,
                    SERIES_COLOURS[s / 2],
                    dash,
                    lx + 28,
                    height - 14,
                    esc(labels[s])));
            lx += 170;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void axis(StringBuilder sb, int x0, int y0, int x1, int y1, double max, double plotH) {
        sb.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
                x0,
                y0,
                x0,
                y1,
                x0,
                y1,
                x1,
                y1));
        for (int t = 1; t <= 4; t++) {
            double v = max * t / 4;
            double y = y1 - plotH * t / 4;
            sb.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.2f</text>\n",
                    x0 + 1,
                    y,
                    x1,
                    y,
                    x0 - 4,
                    y + 3,
                    v));
        }
    }

    private static void legend(StringBuilder sb, int x, int y, String[] labels) {
        for (int i = 0; i < labels.length; i++) {
            sb.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>\n",
                    x + i * 110,
                    y - 10,
                    SERIES_COLOURS[i],
                    x + i * 110 + 16,
                    y,
                    esc(labels[i])));
        }
    }

    private static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double step = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * step >= v) {
                return m * step;
            }
        }
        return 10 * step;
    }

    private static void dl(StringBuilder sb, String term, String value) {
        sb.append("<dt>")
                .append(esc(term))
                .append("</dt><dd>")
                .append(esc(value))
                .append("</dd>\n");
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> models, String kind) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : models) {
            if (kind.equals(m.get("kind"))) {
                out.add(m);
            }
        }
        return out;
    }

    private static String fmt(Object v) {
        if (v == null) {
            return "–";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.0f" : "%.4f", d);
        }
        return esc(v.toString());
    }

    private static double num(Object v) {
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    private static String str(Object v) {
        return v == null ? "" : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v) {
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Object v) {
        return v instanceof List<?> l ? (List<T>) l : List.of();
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
