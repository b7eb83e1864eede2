package io.desire.eval;

import static io.desire.eval.Rounding.round;
import static io.desire.eval.Rounding.seconds;

import io.desire.features.als.AlsModel;
import io.desire.features.als.BatchAls;
import io.desire.features.fm.FmParams;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.metrics.RankingSummary;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline evaluation, stage by stage: load, split, tune ALS on validation ({@link AlsStages}) and
 * the serving sources' half-lives ({@link HalfLifeTuning}), fit every model and baseline on train +
 * validation, measure them on test, train and test the FTRL ranker, and run the prequential pass over
 * the time-ordered test period ({@link PrequentialStage}). The result is the {@link EvalReport} that
 * {@link ReportWriter} writes as JSON and HTML.
 */
final class Evaluation {

    /** Hashed weight space of the ranker: 2^20 buckets, as the streaming ranker uses by default. */
    static final int FTRL_BITS = FtrlParams.DEFAULT_BITS;

    private final EvalOptions options;
    private final Progress progress;

    Evaluation(EvalOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    EvalReport run() throws IOException {
        long started = System.nanoTime();
        String generatedAt = Instant.now().toString();
        EvalReport history = options.hasHistory() ? evaluateHistory() : null;
        PlantedBenchmark.Report planted = options.planted() > 0 ? planted(options, progress) : null;
        Double elapsed = round(seconds(started));
        progress.stage("done in %.1fs", seconds(started));
        if (history == null) {
            return new EvalReport(
                    "Desire Engine evaluation",
                    generatedAt,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    planted,
                    elapsed);
        }
        return new EvalReport(
                "Desire Engine evaluation",
                generatedAt,
                history.input(),
                history.split(),
                history.protocol(),
                history.tuning(),
                null,
                history.models(),
                history.prequential(),
                planted,
                elapsed);
    }

    /** FTRL against the factorisation machine on planted interactions ({@code --planted N}). */
    static PlantedBenchmark.Report planted(EvalOptions options, Progress progress) {
        return new PlantedBenchmark(
                        options.planted(),
                        PlantedInteractions.DEFAULT_STRENGTH,
                        FmParams.DEFAULT_FACTORS,
                        options.seed())
                .run(progress);
    }

    /** The history's sections: input, split, protocol, tuning, models and prequential. */
    private EvalReport evaluateHistory() throws IOException {
        History h = HistoryInput.read(options, progress, false);
        HistoryInput.report(h, progress, true);
        HistoryInput.checkNotEmpty(h);

        RowSplit split = HistoryInput.split(h, options);
        int[] fit = History.concat(split.train(), split.validation());
        progress.stage(
                "split: %s → train %d, validation %d, test %d rows",
                split.description(), split.train().length, split.validation().length, split.test().length);

        // Ranking models and baselines
        AlsStages als = new AlsStages(options, progress);
        AlsStages.Tuned implicit = als.tuneImplicit(h, split);
        HalfLifeTuning.Tuned halfLives = tuneHalfLives(h, split.train(), split.validation());
        List<ModelRow> models = new ArrayList<>();
        UserItems seen = UserItems.of(h, fit, null);
        long t0 = System.nanoTime();
        AlsModel implicitModel = new BatchAls(implicit.params()).fit(h.table(fit, false));
        double alsSeconds = seconds(t0);
        progress.stage("fitted ALS implicit on train+validation (%d rows) in %.1fs", fit.length, alsSeconds);
        models.add(rankingModel(
                "als-implicit",
                "ALS, implicit feedback (Hu, Koren, Volinsky 2008)",
                ModelRow.AlsSettings.of(implicit.params()),
                new AlsRecommender(implicitModel),
                h,
                seen,
                split.test(),
                alsSeconds,
                null));

        t0 = System.nanoTime();
        PopularityRecommender popular = PopularityRecommender.global(h, fit);
        models.add(rankingModel(
                "popularity",
                "global popularity (interaction count)",
                new ModelRow.NoParams(),
                popular,
                h,
                seen,
                split.test(),
                seconds(t0),
                null));

        t0 = System.nanoTime();
        PopularityRecommender contextPopular = PopularityRecommender.context(h, fit);
        models.add(rankingModel(
                "context-popularity",
                "popularity within the user's most frequent context (geo cell × time bucket × device)",
                new ModelRow.NoParams(),
                contextPopular,
                h,
                seen,
                split.test(),
                seconds(t0),
                contextPopular.usesContext()
                        ? null
                        : "input has no context: falls back to global popularity (identical figures)"));

        t0 = System.nanoTime();
        ItemKnnRecommender knn = ItemKnnRecommender.fit(h, fit, options.neighbours());
        models.add(rankingModel(
                "item-knn",
                "item-kNN, cosine on co-occurrence counts",
                new ModelRow.Neighbours(options.neighbours()),
                knn,
                h,
                seen,
                split.test(),
                seconds(t0),
                null));

        // Rating prediction
        TuningReport.Als explicitTuning = null;
        if (h.hasRatings()) {
            AlsStages.Tuned explicit = als.tuneExplicit(h, split);
            explicitTuning = explicit.report();
            models.addAll(als.explicitModels(h, fit, split.test(), explicit.params()));
        } else {
            progress.stage("no ratings in the input: ALS explicit skipped");
        }

        models.addAll(rankerModels(h, fit, split.test()));

        PrequentialReport prequential =
                new PrequentialStage(options, progress).run(h, fit, split.test(), implicit.params(), implicitModel);
        return new EvalReport(
                null,
                null,
                EvalReport.Input.of(h),
                splitSection(split),
                protocolSection(),
                new TuningReport(implicit.report(), halfLives == null ? null : halfLives.report(), explicitTuning),
                null,
                models,
                prequential,
                null,
                null);
    }

    private EvalReport.Split splitSection(RowSplit split) {
        return new EvalReport.Split(
                split.scheme(),
                split.description(),
                options.validation(),
                options.test(),
                options.seed(),
                split.train().length,
                split.validation().length,
                split.test().length,
                "train + validation, with the parameters chosen on validation");
    }

    private EvalReport.Protocol protocolSection() {
        return new EvalReport.Protocol.Offline(
                options.k(),
                options.relevance() + ", not seen by the user before",
                "items with at least one fitted interaction, minus the user's fitted items",
                "users with fitted interactions and held-out rows",
                "MAP@K (truncated average precision)");
    }

    /**
     * The half-lives of the decayed serving sources, chosen on validation ({@link HalfLifeTuning});
     * null when there is no grid or no validation row.
     */
    HalfLifeTuning.Tuned tuneHalfLives(History h, int[] train, int[] validation) {
        if (options.halfLives().isEmpty() || validation.length == 0) {
            return null;
        }
        HalfLifeTuning.Tuned tuned = new HalfLifeTuning(
                        options.halfLives(), options.k(), options.minRelevant(), progress)
                .run(h, train, validation);
        progress.stage(
                "half-lives chosen on validation: %s",
                String.join(" ", tuned.choice().jobArgs()));
        return tuned;
    }

    private List<ModelRow> rankerModels(History h, int[] fit, int[] test) {
        long t0 = System.nanoTime();
        FtrlParams params = FtrlParams.defaults().withBits(FTRL_BITS);
        RankerEvaluation.Result[] results =
                new RankerEvaluation(params, options.negatives(), options.seed()).run(h, fit, test);
        double secs = seconds(t0);
        List<ModelRow> rows = new ArrayList<>();
        for (RankerEvaluation.Result r : results) {
            progress.stage(
                    "%s: AUC %.4f, log-loss %.4f (%d train, %d test examples)",
                    r.name(), r.auc(), r.logLoss(), r.trainExamples(), r.testExamples());
            rows.add(new ModelRow(
                    r.name(),
                    "classifier",
                    r.context()
                            ? "FTRL-Proximal ranker with context features and crosses"
                            : "FTRL-Proximal ranker without context features",
                    ModelRow.FtrlSettings.of(params, options.negatives()),
                    new ModelRow.ClassifierMetrics(
                            round(r.auc()), round(r.logLoss()), r.trainExamples(), r.testExamples()),
                    round(secs / results.length),
                    h.hasContext() ? null : "input has no context: both variants see the same features"));
        }
        return rows;
    }

    private ModelRow rankingModel(
            String name,
            String description,
            ModelRow.Params params,
            Recommender recommender,
            History h,
            UserItems seen,
            int[] test,
            double fitSeconds,
            String note) {
        long t0 = System.nanoTime();
        RankingSummary s = RankingProtocol.evaluate(recommender, h, seen, test, options.minRelevant(), options.k());
        progress.stage("%s on test: %s (%.1fs)", name, s, seconds(t0));
        return new ModelRow(
                name, "ranking", description, params, ModelRow.RankingMetrics.of(s), round(fitSeconds), note);
    }
}
