package io.desire.eval;

import io.desire.features.als.AlsEvaluation;
import io.desire.features.als.AlsModel;
import io.desire.features.als.AlsParams;
import io.desire.features.als.BatchAls;
import io.desire.features.als.RatingMatrix;
import io.desire.features.data.InteractionTable;
import io.desire.features.fm.FmParams;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.metrics.RankingSummary;
import io.desire.features.metrics.RatingErrors;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation, stage by stage: load, split, tune ALS on validation, fit every model and baseline
 * on train + validation, measure them on test, train and test the FTRL ranker, and run the
 * prequential pass over the time-ordered test period. The result is the report tree that {@link
 * ReportWriter} writes as JSON and HTML.
 */
final class Evaluation {

    /** Target of the issue: online ALS after one streaming pass ≥ 0.9 × NDCG@10 of a batch retrain. */
    static final double ONLINE_TO_BATCH_TARGET = 0.9;
    /** Gram matrices of the prequential pass are refreshed this often (learned events). */
    static final int PREQUENTIAL_REFRESH = 1000;
    /** Hashed weight space of the ranker: 2^20 buckets, as the streaming ranker uses by default. */
    static final int FTRL_BITS = FtrlParams.DEFAULT_BITS;

    private final EvalOptions options;
    private final Progress progress;

    Evaluation(EvalOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    Map<String, Object> run() throws IOException {
        long started = System.nanoTime();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("title", "Desire Engine evaluation");
        report.put("generated_at", Instant.now().toString());

        if (options.hasHistory()) {
            evaluateHistory(report);
        }
        if (options.planted() > 0) {
            report.put(
                    "planted",
                    new PlantedBenchmark(
                                    options.planted(),
                                    PlantedInteractions.DEFAULT_STRENGTH,
                                    FmParams.DEFAULT_FACTORS,
                                    options.seed())
                            .run(progress));
        }

        report.put("elapsed_seconds", round(seconds(started)));
        progress.stage("done in %.1fs", seconds(started));
        return report;
    }

    private void evaluateHistory(Map<String, Object> report) throws IOException {
        History h = load();
        report.put("input", inputSection(h));

        RowSplit split = options.split().equals("chronological")
                ? RowSplit.chronological(h, options.validation(), options.test())
                : RowSplit.randomPerUser(h, options.validation(), options.test(), options.seed());
        int[] fit = History.concat(split.train(), split.validation());
        progress.stage(
                "split: %s → train %d, validation %d, test %d rows",
                split.description(), split.train().length, split.validation().length, split.test().length);
        report.put("split", splitSection(split));
        report.put("protocol", protocolSection());

        List<Map<String, Object>> models = new ArrayList<>();
        Map<String, Object> tuning = new LinkedHashMap<>();
        report.put("tuning", tuning);
        report.put("models", models);

        // Ranking models and baselines
        AlsParams implicitParams = tuneImplicit(h, split, tuning);
        tuneHalfLives(h, split.train(), split.validation(), tuning);
        UserItems seen = UserItems.of(h, fit, null);
        long t0 = System.nanoTime();
        AlsModel implicitModel = new BatchAls(implicitParams).fit(h.table(fit, false));
        double alsSeconds = seconds(t0);
        progress.stage("fitted ALS implicit on train+validation (%d rows) in %.1fs", fit.length, alsSeconds);
        models.add(rankingModel(
                "als-implicit",
                "ALS, implicit feedback (Hu, Koren, Volinsky 2008)",
                params(implicitParams),
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
                Map.of(),
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
                Map.of(),
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
                Map.of("neighbours", options.neighbours()),
                knn,
                h,
                seen,
                split.test(),
                seconds(t0),
                null));

        // Rating prediction
        if (h.hasRatings()) {
            explicitModels(h, split, fit, tuning, models);
        } else {
            progress.stage("no ratings in the input: ALS explicit skipped");
        }

        // Ranker
        rankerModels(h, fit, split.test(), models);

        // Prequential
        report.put("prequential", prequential(h, fit, split.test(), implicitParams, implicitModel));
    }

    private History load() throws IOException {
        History h;
        if (options.generated() > 0) {
            progress.stage(
                    "generating %d events (%d users, %d items, seed %d)",
                    options.generated(), options.generatedUsers(), options.generatedItems(), options.seed());
            h = HistoryLoader.generated(
                    options.generated(), options.generatedUsers(), options.generatedItems(), options.seed());
        } else {
            progress.stage("reading %s as %s", options.input(), HistoryLoader.nameOf(options.format()));
            h = HistoryLoader.load(options.input(), options.format());
        }
        LoadReport load = h.load;
        progress.stage(
                "loaded %d rows (%d users, %d items) from %d lines; %d bad lines, %d duplicates dropped",
                h.size(), h.numUsers(), h.numItems(), load.lines, load.badLines, load.duplicates);
        if (load.catalogue != null) {
            progress.stage(
                    "item categories from %s: %d of the items listed, %d with a category",
                    load.catalogue, load.catalogueItems, h.itemCategory.size());
        }
        for (String sample : load.badSamples.subList(0, Math.min(3, load.badSamples.size()))) {
            progress.stage("  bad line %s", sample);
        }
        if (h.size() == 0) {
            throw new IllegalStateException("no usable interactions in the input (" + load.badLines + " bad lines)");
        }
        return h;
    }

    private Map<String, Object> inputSection(History h) {
        Map<String, Object> m = h.load.toMap();
        m.put("users", h.numUsers());
        m.put("items", h.numItems());
        m.put("has_context", h.hasContext());
        m.put("contexts", h.contexts.size());
        m.put("has_ratings", h.hasRatings());
        m.put("items_with_category", h.itemCategory.size());
        return m;
    }

    private Map<String, Object> splitSection(RowSplit split) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scheme", split.scheme());
        m.put("description", split.description());
        m.put("validation_fraction", options.validation());
        m.put("test_fraction", options.test());
        m.put("seed", options.seed());
        m.put("train_rows", split.train().length);
        m.put("validation_rows", split.validation().length);
        m.put("test_rows", split.test().length);
        m.put("final_fit", "train + validation, with the parameters chosen on validation");
        return m;
    }

    private Map<String, Object> protocolSection() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k", options.k());
        m.put("relevant", options.relevance() + ", not seen by the user before");
        m.put("candidates", "items with at least one fitted interaction, minus the user's fitted items");
        m.put("users", "users with fitted interactions and held-out rows");
        m.put("map", "MAP@K (truncated average precision)");
        return m;
    }

    private AlsParams baseParams() {
        return AlsParams.defaults()
                .withIterations(options.iterations())
                .withThreads(options.threads())
                .withSeed(options.seed());
    }

    /**
     * The half-lives of the decayed serving sources, chosen on validation ({@link HalfLifeTuning});
     * null when there is no grid or no validation row.
     */
    HalfLifeTuning.Choice tuneHalfLives(History h, int[] train, int[] validation, Map<String, Object> tuning) {
        if (options.halfLives().isEmpty() || validation.length == 0) {
            return null;
        }
        Map<String, Object> section = new LinkedHashMap<>();
        tuning.put("half_lives", section);
        HalfLifeTuning.Choice choice = new HalfLifeTuning(
                        options.halfLives(), options.k(), options.minRelevant(), progress)
                .run(h, train, validation, section);
        progress.stage("half-lives chosen on validation: %s", String.join(" ", choice.jobArgs()));
        return choice;
    }

    private AlsParams tuneImplicit(History h, RowSplit split, Map<String, Object> tuning) {
        AlsParams best = baseParams()
                .withRank(options.ranks()[0])
                .withLambda(options.lambdas()[0])
                .withImplicit(options.alphas()[0]);
        List<Map<String, Object>> grid = new ArrayList<>();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("criterion", "NDCG@" + options.k() + " on validation (fitted on train)");
        section.put("grid", grid);
        tuning.put("als_implicit", section);
        if (split.validation().length == 0) {
            section.put("note", "no validation rows: first grid point used");
            section.put("chosen", params(best));
            return best;
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
                    Map<String, Object> point = params(p);
                    point.put("validation_ndcg", round(s.ndcg()));
                    point.put("validation_recall", round(s.recall()));
                    grid.add(point);
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
        section.put("chosen", params(best));
        return best;
    }

    private void explicitModels(
            History h, RowSplit split, int[] fit, Map<String, Object> tuning, List<Map<String, Object>> models) {
        AlsParams best = baseParams()
                .withRank(options.ranks()[0])
                .withLambda(options.lambdas()[0])
                .withExplicit();
        List<Map<String, Object>> grid = new ArrayList<>();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("criterion", "RMSE on validation ratings (fitted on train ratings)");
        section.put("grid", grid);
        tuning.put("als_explicit", section);
        InteractionTable trainRatings = h.table(split.train(), true);
        InteractionTable validationRatings = h.table(split.validation(), true);
        if (validationRatings.size() > 0) {
            RatingMatrix trainMatrix = RatingMatrix.fromTable(trainRatings, RatingMatrix.Duplicates.LAST);
            double bestRmse = Double.POSITIVE_INFINITY;
            for (int rank : options.ranks()) {
                for (double lambda : options.lambdas()) {
                    AlsParams p = baseParams().withRank(rank).withLambda(lambda).withExplicit();
                    AlsModel model = new BatchAls(p).fit(trainRatings);
                    RatingErrors e = AlsEvaluation.ratingErrors(model, trainMatrix, validationRatings);
                    Map<String, Object> point = params(p);
                    point.put("validation_rmse", round(e.rmse()));
                    grid.add(point);
                    progress.stage("tune ALS explicit rank=%d λ=%s: validation RMSE %.4f", rank, lambda, e.rmse());
                    if (e.rmse() < bestRmse) {
                        bestRmse = e.rmse();
                        best = p;
                    }
                }
            }
        } else {
            section.put("note", "no validation ratings: first grid point used");
        }
        section.put("chosen", params(best));

        InteractionTable fitRatings = h.table(fit, true);
        InteractionTable testRatings = h.table(split.test(), true);
        RatingMatrix fitMatrix = RatingMatrix.fromTable(fitRatings, RatingMatrix.Duplicates.LAST);
        long t0 = System.nanoTime();
        AlsModel model = new BatchAls(best).fit(fitRatings);
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
        models.add(ratingModel(
                "als-explicit", "ALS, explicit ratings (weighted-λ, Zhou et al. 2008)", params(best), als, fitSeconds));
        models.add(ratingModel(
                "mean-rating",
                "baseline: the mean training rating for every prediction",
                Map.of("mean", round(mean)),
                baseline,
                0));
    }

    private void rankerModels(History h, int[] fit, int[] test, List<Map<String, Object>> models) {
        long t0 = System.nanoTime();
        FtrlParams params = FtrlParams.defaults().withBits(FTRL_BITS);
        RankerEvaluation.Result[] results =
                new RankerEvaluation(params, options.negatives(), options.seed()).run(h, fit, test);
        double secs = seconds(t0);
        for (RankerEvaluation.Result r : results) {
            progress.stage(
                    "%s: AUC %.4f, log-loss %.4f (%d train, %d test examples)",
                    r.name(), r.auc(), r.logLoss(), r.trainExamples(), r.testExamples());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("kind", "classifier");
            m.put(
                    "description",
                    r.context()
                            ? "FTRL-Proximal ranker with context features and crosses"
                            : "FTRL-Proximal ranker without context features");
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("alpha", params.alpha());
            p.put("beta", params.beta());
            p.put("l1", params.l1());
            p.put("l2", params.l2());
            p.put("bits", params.bits());
            p.put("negatives_per_positive", options.negatives());
            m.put("params", p);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("auc", round(r.auc()));
            metrics.put("log_loss", round(r.logLoss()));
            metrics.put("train_examples", r.trainExamples());
            metrics.put("test_examples", r.testExamples());
            m.put("metrics", metrics);
            m.put("fit_seconds", round(secs / results.length));
            if (!h.hasContext()) {
                m.put("note", "input has no context: both variants see the same features");
            }
            models.add(m);
        }
    }

    private Map<String, Object> prequential(History h, int[] fit, int[] test, AlsParams params, AlsModel start) {
        int[] ordered = h.byTime(test);
        int streamLength = (int) Math.round(ordered.length * options.streamFraction());
        int[] stream = Arrays.copyOfRange(ordered, 0, streamLength);
        int[] holdout = Arrays.copyOfRange(ordered, streamLength, ordered.length);
        progress.stage(
                "prequential: streaming %d test events in time order, then a hold-out of %d",
                stream.length, holdout.length);
        long t0 = System.nanoTime();
        Prequential.Result r = new Prequential(
                        params, options.k(), options.window(), PREQUENTIAL_REFRESH, options.minRelevant(), false)
                .run(h, start, fit, stream, progress);
        double streamSeconds = seconds(t0);
        progress.stage(
                "prequential: %d events, %d scored; online Recall@%d %.4f NDCG@%d %.4f; static NDCG %.4f (%.1fs)",
                r.events,
                r.scored,
                options.k(),
                r.onlineRecall(),
                options.k(),
                r.onlineNdcgMean(),
                r.staticNdcgMean(),
                streamSeconds);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
                "description",
                "test-then-train over the time-ordered test period: each event with positive "
                        + "evidence, from a user with history, on an item new to that user, is ranked against the "
                        + "current model before the model learns from it (user: exact fold-in; item: one incremental step)");
        m.put("k", options.k());
        m.put("window", options.window());
        m.put("stream_events", r.events);
        m.put("scored", r.scored);
        m.put("skipped_cold_user", r.coldUsers);
        m.put("skipped_repeat", r.repeats);
        m.put("skipped_not_relevant", r.notRelevant);
        m.put("learned", r.learned);
        m.put("stream_seconds", round(streamSeconds));
        m.put("events_per_second", round(r.events / Math.max(1e-9, streamSeconds)));
        Map<String, Object> overall = new LinkedHashMap<>();
        overall.put("online_recall", round(r.onlineRecall()));
        overall.put("online_ndcg", round(r.onlineNdcgMean()));
        overall.put("static_recall", round(r.staticRecall()));
        overall.put("static_ndcg", round(r.staticNdcgMean()));
        m.put("overall", overall);
        List<Map<String, Object>> windows = new ArrayList<>();
        for (Prequential.Window w : r.windows) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("end_scored", w.endScored());
            p.put("scored", w.scored());
            p.put("online_recall", round(w.onlineRecall()));
            p.put("online_ndcg", round(w.onlineNdcg()));
            p.put("static_recall", round(w.staticRecall()));
            p.put("static_ndcg", round(w.staticNdcg()));
            windows.add(p);
        }
        m.put("windows", windows);

        Map<String, Object> after = new LinkedHashMap<>();
        after.put(
                "description",
                "after the stream, on the hold-out (the last "
                        + Math.round((1 - options.streamFraction()) * 100) + "% of the test period): online model vs a"
                        + " batch ALS refit on train+validation+stream with the same parameters, vs the unchanged start model");
        after.put("holdout_rows", holdout.length);
        if (holdout.length > 0) {
            int[] pre = History.concat(fit, stream);
            UserItems seen = UserItems.of(h, pre, null);
            t0 = System.nanoTime();
            AlsModel batch = new BatchAls(params).fit(h.table(pre, false));
            double batchSeconds = seconds(t0);
            RankingSummary online = RankingProtocol.evaluate(
                    new AlsRecommender(r.model), h, seen, holdout, options.minRelevant(), options.k());
            RankingSummary retrain = RankingProtocol.evaluate(
                    new AlsRecommender(batch), h, seen, holdout, options.minRelevant(), options.k());
            RankingSummary stale = RankingProtocol.evaluate(
                    new AlsRecommender(start), h, seen, holdout, options.minRelevant(), options.k());
            after.put("online", rankingMetrics(online));
            after.put("batch_retrain", rankingMetrics(retrain));
            after.put("static", rankingMetrics(stale));
            after.put("batch_retrain_seconds", round(batchSeconds));
            double ratio = online.ndcg() / retrain.ndcg();
            after.put("ndcg_ratio_online_to_batch", round(ratio));
            after.put("target_ratio", ONLINE_TO_BATCH_TARGET);
            after.put("target_met", ratio >= ONLINE_TO_BATCH_TARGET);
            progress.stage(
                    "hold-out NDCG@%d: online %.4f, batch retrain %.4f, static %.4f → ratio %.3f (target ≥ %.1f)",
                    options.k(), online.ndcg(), retrain.ndcg(), stale.ndcg(), ratio, ONLINE_TO_BATCH_TARGET);
        }
        m.put("after_stream", after);
        return m;
    }

    private Map<String, Object> rankingModel(
            String name,
            String description,
            Map<String, Object> params,
            Recommender recommender,
            History h,
            UserItems seen,
            int[] test,
            double fitSeconds,
            String note) {
        long t0 = System.nanoTime();
        RankingSummary s = RankingProtocol.evaluate(recommender, h, seen, test, options.minRelevant(), options.k());
        progress.stage("%s on test: %s (%.1fs)", name, s, seconds(t0));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", "ranking");
        m.put("description", description);
        m.put("params", params);
        m.put("metrics", rankingMetrics(s));
        m.put("fit_seconds", round(fitSeconds));
        if (note != null) {
            m.put("note", note);
        }
        return m;
    }

    static Map<String, Object> rankingMetrics(RankingSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", round(s.precision()));
        m.put("recall", round(s.recall()));
        m.put("f1", round(s.f1()));
        m.put("ndcg", round(s.ndcg()));
        m.put("hit_rate", round(s.hitRate()));
        m.put("map", round(s.map()));
        m.put("coverage", round(s.coverage()));
        m.put("users", s.users());
        return m;
    }

    private static Map<String, Object> ratingModel(
            String name, String description, Map<String, Object> params, RatingErrors e, double fitSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", "rating");
        m.put("description", description);
        m.put("params", params);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rmse", round(e.rmse()));
        metrics.put("mae", round(e.mae()));
        metrics.put("ratings", e.count());
        m.put("metrics", metrics);
        m.put("fit_seconds", round(fitSeconds));
        return m;
    }

    static Map<String, Object> params(AlsParams p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rank", p.rank());
        m.put("lambda", p.lambda());
        m.put("weighted_lambda", p.weightedLambda());
        if (p.implicit()) {
            m.put("alpha", p.alpha());
        }
        m.put("iterations", p.iterations());
        return m;
    }

    /** Six decimals; NaN (undefined, e.g. no users) becomes null so the JSON stays valid. */
    static Double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        return Math.round(v * 1e6) / 1e6;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
