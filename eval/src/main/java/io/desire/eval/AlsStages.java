package io.desire.eval;

import static io.desire.eval.Rounding.round;
import static io.desire.eval.Rounding.seconds;

import io.desire.features.als.AlsEvaluation;
import io.desire.features.als.AlsModel;
import io.desire.features.als.AlsParams;
import io.desire.features.als.BatchAls;
import io.desire.features.als.RatingMatrix;
import io.desire.features.data.InteractionTable;
import io.desire.features.metrics.RankingSummary;
import io.desire.features.metrics.RatingErrors;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch ALS in the offline evaluation: the implicit grid tuned on validation NDCG@K, and the explicit
 * grid tuned on validation RMSE, then fitted on train + validation and measured on the test ratings
 * next to the mean-rating baseline. Grids are every combination of the options' ranks, λs (and αs);
 * the first point is used when there is nothing to validate on.
 */
final class AlsStages {

    /** A chosen parameter set and the report of its grid. */
    record Tuned(AlsParams params, TuningReport.Als report) {}

    private final EvalOptions options;
    private final Progress progress;

    AlsStages(EvalOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    /** The options' iterations, threads and seed; rank, λ and α still to choose. */
    AlsParams baseParams() {
        return AlsParams.defaults()
                .withIterations(options.iterations())
                .withThreads(options.threads())
                .withSeed(options.seed());
    }

    /** The first grid point of implicit ALS. */
    AlsParams firstImplicit() {
        return baseParams()
                .withRank(options.ranks()[0])
                .withLambda(options.lambdas()[0])
                .withImplicit(options.alphas()[0]);
    }

    Tuned tuneImplicit(History h, RowSplit split) {
        String criterion = "NDCG@" + options.k() + " on validation (fitted on train)";
        List<TuningReport.AlsPoint> grid = new ArrayList<>();
        AlsParams best = firstImplicit();
        if (split.validation().length == 0) {
            return tuned(best, criterion, grid, "no validation rows: first grid point used");
        }
        InteractionTable train = h.table(split.train(), false);
        UserItems seen = UserItems.of(h, split.train(), null);
        double bestNdcg = Double.NEGATIVE_INFINITY;
        for (int rank : options.ranks()) {
            for (double lambda : options.lambdas()) {
                for (double alpha : options.alphas()) {
                    AlsParams p = baseParams().withRank(rank).withLambda(lambda).withImplicit(alpha);
                    long t0 = System.nanoTime();
                    AlsModel model = new BatchAls(p).fit(train);
                    RankingSummary s = RankingProtocol.evaluate(
                            new AlsRecommender(model), h, seen, split.validation(), options.minRelevant(), options.k());
                    grid.add(TuningReport.AlsPoint.ranking(
                            ModelRow.AlsSettings.of(p), round(s.ndcg()), round(s.recall())));
                    progress.stage(
                            "tune ALS implicit rank=%d λ=%s α=%s: validation NDCG@%d %.4f (%.1fs)",
                            rank, lambda, alpha, options.k(), s.ndcg(), seconds(t0));
                    if (s.ndcg() > bestNdcg) {
                        bestNdcg = s.ndcg();
                        best = p;
                    }
                }
            }
        }
        return tuned(best, criterion, grid, null);
    }

    /** Tunes explicit ALS on validation RMSE. */
    Tuned tuneExplicit(History h, RowSplit split) {
        String criterion = "RMSE on validation ratings (fitted on train ratings)";
        List<TuningReport.AlsPoint> grid = new ArrayList<>();
        AlsParams best = baseParams()
                .withRank(options.ranks()[0])
                .withLambda(options.lambdas()[0])
                .withExplicit();
        InteractionTable trainRatings = h.table(split.train(), true);
        InteractionTable validationRatings = h.table(split.validation(), true);
        if (validationRatings.size() == 0) {
            return tuned(best, criterion, grid, "no validation ratings: first grid point used");
        }
        RatingMatrix trainMatrix = RatingMatrix.fromTable(trainRatings, RatingMatrix.Duplicates.LAST);
        double bestRmse = Double.POSITIVE_INFINITY;
        for (int rank : options.ranks()) {
            for (double lambda : options.lambdas()) {
                AlsParams p = baseParams().withRank(rank).withLambda(lambda).withExplicit();
                AlsModel model = new BatchAls(p).fit(trainRatings);
                RatingErrors e = AlsEvaluation.ratingErrors(model, trainMatrix, validationRatings);
                grid.add(TuningReport.AlsPoint.rating(ModelRow.AlsSettings.of(p), round(e.rmse())));
                progress.stage("tune ALS explicit rank=%d λ=%s: validation RMSE %.4f", rank, lambda, e.rmse());
                if (e.rmse() < bestRmse) {
                    bestRmse = e.rmse();
                    best = p;
                }
            }
        }
        return tuned(best, criterion, grid, null);
    }

    /** Explicit ALS with {@code params} fitted on {@code fit} and the mean-rating baseline, on the test ratings. */
    List<ModelRow> explicitModels(History h, int[] fit, int[] test, AlsParams params) {
        InteractionTable fitRatings = h.table(fit, true);
        InteractionTable testRatings = h.table(test, true);
        RatingMatrix fitMatrix = RatingMatrix.fromTable(fitRatings, RatingMatrix.Duplicates.LAST);
        long t0 = System.nanoTime();
        AlsModel model = new BatchAls(params).fit(fitRatings);
        double fitSeconds = seconds(t0);
        RatingErrors als = AlsEvaluation.ratingErrors(model, fitMatrix, testRatings);
        // The mean rating predicts every scorable test rating: the floor any rating model must beat.
        double mean = 0;
        for (int r = 0; r < fitRatings.size(); r++) {
            mean += fitRatings.rating(r);
        }
        mean /= Math.max(1, fitRatings.size());
        RatingErrors baseline = new RatingErrors();
        for (int r = 0; r < testRatings.size(); r++) {
            int u = testRatings.user(r);
            int i = testRatings.item(r);
            if (fitMatrix.userCount(u) > 0 && fitMatrix.itemCount(i) > 0) {
                baseline.add(mean, testRatings.rating(r));
            }
        }
        progress.stage(
                "ALS explicit on test: RMSE %.4f MAE %.4f over %d ratings (mean-rating baseline RMSE %.4f)",
                als.rmse(), als.mae(), als.count(), baseline.rmse());
        return List.of(
                ratingModel(
                        "als-explicit",
                        "ALS, explicit ratings (weighted-λ, Zhou et al. 2008)",
                        ModelRow.AlsSettings.of(params),
                        als,
                        fitSeconds),
                ratingModel(
                        "mean-rating",
                        "baseline: the mean training rating for every prediction",
                        new ModelRow.MeanRating(round(mean)),
                        baseline,
                        0));
    }

    private static ModelRow ratingModel(
            String name, String description, ModelRow.Params params, RatingErrors e, double fitSeconds) {
        return new ModelRow(name, "rating", description, params, ModelRow.RatingMetrics.of(e), round(fitSeconds), null);
    }

    private static Tuned tuned(AlsParams best, String criterion, List<TuningReport.AlsPoint> grid, String note) {
        return new Tuned(best, new TuningReport.Als(criterion, grid, note, ModelRow.AlsSettings.of(best)));
    }
}
