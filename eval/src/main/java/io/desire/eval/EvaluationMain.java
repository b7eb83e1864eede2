package io.desire.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates the engine's recommenders on a history file or on generated traffic, in-process (no
 * Flink cluster, Kafka or Elasticsearch): offline metrics on a train / validation / test split with
 * ALS tuned on validation, the popularity, context-popularity and item-kNN baselines, the FTRL
 * ranker with and without context, and a prequential pass of online ALS over the test period; with
 * {@code --planted N}, FTRL against the factorisation machine on planted interactions. With
 * {@code --served} it scores the documents the real job writes instead ({@link ServedEvaluation}:
 * needs Kafka and Elasticsearch). Writes
 * {@code report.json} and a self-contained {@code report.html}; prints progress while it runs.
 * Run {@code bin/desire eval --help} for the options.
 */
public final class EvaluationMain {

    private EvaluationMain() {}

    public static void main(String[] args) throws Exception {
        EvalOptions options;
        try {
            options = EvalOptions.parse(args);
        } catch (EvalOptions.UsageException e) {
            if (e.getMessage() == null) {
                System.out.println(EvalOptions.USAGE);
                return;
            }
            System.err.println("eval: " + e.getMessage());
            System.err.println(EvalOptions.USAGE);
            System.exit(2);
            return;
        }
        Progress progress = new Progress(System.out);
        EvalReport report;
        try {
            report = options.served() != null
                    ? new ServedEvaluation(options, progress, System.out).run()
                    : new Evaluation(options, progress).run();
        } catch (IllegalArgumentException | IllegalStateException | java.io.IOException e) {
            System.err.println("eval: " + e.getMessage());
            System.exit(1);
            return;
        }
        Path html = ReportWriter.write(report, options.out());
        printSummary(report);
        progress.stage(
                "report: %s and %s",
                options.out().resolve(ReportWriter.JSON_FILE).toAbsolutePath(), html.toAbsolutePath());
    }

    private static void printSummary(EvalReport report) {
        System.out.println();
        if (report.served() != null) {
            for (ServedReport.Row row : report.served().rows()) {
                Object what = row.error() != null ? "ERROR " + row.error() : row.metrics();
                System.out.printf(Locale.ROOT, "  %-20s %s%n", row.name(), what);
            }
        }
        for (ModelRow m : report.models() == null ? List.<ModelRow>of() : report.models()) {
            System.out.printf(Locale.ROOT, "  %-20s %s%n", m.name(), m.metrics());
        }
        if (report.planted() != null) {
            PlantedBenchmark.Report planted = report.planted();
            for (PlantedBenchmark.Fit f : planted.fits()) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-20s AUC %.4f, log-loss %.4f (%d epochs)%n",
                        "planted " + f.model() + " " + f.fit(),
                        f.auc(),
                        f.logLoss(),
                        f.epochs());
            }
            System.out.printf(
                    Locale.ROOT,
                    "  %-20s FM − FTRL AUC %.4f (target ≥ %.2f: %s); batch − online AUC: FTRL %.4f,"
                            + " FM %.4f (target within %.2f: %s)%n",
                    "planted",
                    planted.fmAucGain(),
                    PlantedBenchmark.TARGET_FM_GAIN,
                    planted.fmGainMet() ? "met" : "missed",
                    planted.ftrlOnlineGap(),
                    planted.fmOnlineGap(),
                    PlantedBenchmark.TARGET_ONLINE_GAP,
                    planted.onlineGapsMet() ? "met" : "missed");
        }
        PrequentialReport pq = report.prequential();
        if (pq != null) {
            System.out.printf(Locale.ROOT, "  %-20s %s%n", "prequential", pq.overall());
            PrequentialReport.AfterStream after = pq.afterStream();
            if (after != null && after.ndcgRatioOnlineToBatch() != null) {
                System.out.printf(
                        Locale.ROOT,
                        "  %-20s online/batch NDCG ratio %s (target ≥ %s)%n",
                        "after stream",
                        after.ndcgRatioOnlineToBatch(),
                        after.targetRatio());
            }
        }
        System.out.println();
    }
}
