package io.desire.eval;

import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.metrics.ClassificationMetrics;

/**
 * Trains the FTRL ranker ({@link FtrlModel}, features from {@link RankingFeatures}) on labelled
 * examples built from history ({@link RankerExamples}) and measures AUC and log-loss on test
 * examples built the same way. The models learn from the training examples only, in time order (one
 * online pass, as in production), and score every test example once trained.
 *
 * <p>Two models see identical examples: one with the context features and crosses (geo cell, time
 * bucket, device × item and category, segment × context × category) and one without, so the AUC
 * difference is what context adds. Both use the item's global popularity so far as the popularity
 * signal, keeping the context-free model free of context.
 */
final class RankerEvaluation {

    /** AUC and log-loss of one ranker variant. */
    record Result(String name, boolean context, double auc, double logLoss, long trainExamples, long testExamples) {}

    private final FtrlParams params;
    private final int negatives;
    private final long seed;

    RankerEvaluation(FtrlParams params, int negatives, long seed) {
        if (negatives < 1) {
            throw new IllegalArgumentException("negatives must be ≥ 1, got " + negatives);
        }
        this.params = params;
        this.negatives = negatives;
        this.seed = seed;
    }

    /** Returns {@code [with context, without context]}. */
    Result[] run(History h, int[] trainRows, int[] testRows) {
        FeatureHasher hasher = FeatureHasher.forParams(params);
        RankingFeatures withContext = new RankingFeatures(hasher, true, RankingFeatures.DEFAULT_TOP_CATEGORIES);
        RankingFeatures withoutContext = new RankingFeatures(hasher, false, RankingFeatures.DEFAULT_TOP_CATEGORIES);
        RankerExamples ex = RankerExamples.build(
                h, RankerExamples.of(h, trainRows, testRows), negatives, withContext, withoutContext, seed);
        FtrlModel contextModel = new FtrlModel(params);
        FtrlModel plainModel = new FtrlModel(params);
        int[] train = ex.indices(RankerExamples.TRAIN);
        for (int x : train) {
            contextModel.update(ex.withContext[x], ex.label[x] ? 1 : 0);
            plainModel.update(ex.withoutContext[x], ex.label[x] ? 1 : 0);
        }
        int[] test = ex.indices(RankerExamples.TEST);
        double[] pContext = new double[test.length];
        double[] pPlain = new double[test.length];
        boolean[] labels = new boolean[test.length];
        for (int i = 0; i < test.length; i++) {
            pContext[i] = contextModel.predict(ex.withContext[test[i]]);
            pPlain[i] = plainModel.predict(ex.withoutContext[test[i]]);
            labels[i] = ex.label[test[i]];
        }
        return new Result[] {
            new Result(
                    "ftrl-context",
                    true,
                    ClassificationMetrics.auc(pContext, labels),
                    ClassificationMetrics.logLoss(pContext, labels),
                    train.length,
                    test.length),
            new Result(
                    "ftrl-no-context",
                    false,
                    ClassificationMetrics.auc(pPlain, labels),
                    ClassificationMetrics.logLoss(pPlain, labels),
                    train.length,
                    test.length)
        };
    }
}
