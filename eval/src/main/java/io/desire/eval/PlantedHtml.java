package io.desire.eval;

import static io.desire.eval.ReportHtml.cell;
import static io.desire.eval.ReportHtml.esc;
import static io.desire.eval.ReportHtml.fmt;

import java.util.ArrayList;
import java.util.List;

/** The HTML section of the planted benchmark: FTRL against the factorisation machine, and the reliability diagram. */
final class PlantedHtml {

    /** Bins with fewer examples are left out of the reliability diagram (they stay in the JSON). */
    static final int MIN_BIN_COUNT = 30;

    private PlantedHtml() {}

    static void append(StringBuilder sb, PlantedBenchmark.Report r) {
        sb.append("<h2>Ranker models on planted interactions</h2>\n<p>")
                .append(esc(r.description()))
                .append(": ");
        sb.append(r.examples())
                .append(" examples, ")
                .append(r.users())
                .append(" users, ")
                .append(r.items());
        sb.append(" items, ")
                .append(r.contexts())
                .append(" contexts; 2^")
                .append(r.bits())
                .append(" buckets, k = ");
        sb.append(r.factors()).append(", seed ").append(r.seed()).append(".</p>\n<p class=\"muted\">");
        sb.append(esc(r.protocol())).append(".</p>\n");
        sb.append("<table id=\"planted\"><tr><th class=\"l\">model</th><th class=\"l\">fit</th><th>AUC</th>")
                .append("<th>log-loss</th><th>calibration error</th><th>epochs</th><th>train examples</th>")
                .append("<th>test examples</th><th>s</th></tr>\n");
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
                    .append(esc(f.fit()));
            sb.append("</td>")
                    .append(cell(f.auc() == bestAuc, f.auc()))
                    .append(cell(f.logLoss() == bestLoss, f.logLoss()));
            sb.append("<td>")
                    .append(fmt(f.calibrationError()))
                    .append("</td><td>")
                    .append(f.epochs())
                    .append("</td><td>");
            sb.append(f.trainExamples())
                    .append("</td><td>")
                    .append(f.testExamples())
                    .append("</td><td>");
            sb.append(fmt(f.seconds())).append("</td></tr>\n");
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
        sb.append(SvgChart.reliability("reliability-chart", curves(r.fits())));
    }

    /** One curve per fit, over the bins holding enough examples: a rate of one or two examples is noise. */
    private static List<SvgChart.Curve> curves(List<PlantedBenchmark.Fit> fits) {
        List<SvgChart.Curve> curves = new ArrayList<>();
        for (PlantedBenchmark.Fit f : fits) {
            List<PlantedBenchmark.Reliability> bins = f.reliability().stream()
                    .filter(b -> b.count() >= MIN_BIN_COUNT)
                    .toList();
            double[] predicted = bins.stream()
                    .mapToDouble(PlantedBenchmark.Reliability::meanPrediction)
                    .toArray();
            double[] observed = bins.stream()
                    .mapToDouble(PlantedBenchmark.Reliability::positiveRate)
                    .toArray();
            curves.add(new SvgChart.Curve(
                    f.model() + " " + f.fit() + " (" + fmt(f.calibrationError()) + ")", predicted, observed));
        }
        return curves;
    }
}
