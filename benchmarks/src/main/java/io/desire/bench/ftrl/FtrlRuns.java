package io.desire.bench.ftrl;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.metrics.ClassificationMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Trains {@link FtrlModel}s over example subsets, scores them and tunes α, λ1, λ2 on validation. */
public final class FtrlRuns {

    private FtrlRuns() {}

    /** AUC and log-loss of scores on labelled examples. */
    public record Quality(double auc, double logLoss) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "AUC %.4f  log-loss %.4f", auc, logLoss);
        }
    }

    /** A tuned setting and its validation quality. */
    public record Tuned(FtrlParams params, Quality validation, List<String> grid) {}

    /**
     * A model trained on {@code train} (example indices, in that order) with {@code passes} passes over
     * them, each in the same order.
     */
    public static FtrlModel train(FtrlParams params, HashedFeatures[] x, boolean[] y, int[] train, int passes) {
        FtrlModel model = new FtrlModel(params);
        for (int p = 0; p < passes; p++) {
            for (int e : train) {
                model.update(x[e].indices, x[e].values, y[e] ? 1 : 0);
            }
        }
        return model;
    }

    /** Predicted probabilities of the examples {@code at}. */
    public static double[] predict(FtrlModel model, HashedFeatures[] x, int[] at) {
        double[] p = new double[at.length];
        for (int k = 0; k < at.length; k++) {
            p[k] = model.predict(x[at[k]].indices, x[at[k]].values);
        }
        return p;
    }

    public static Quality quality(double[] p, boolean[] y, int[] at) {
        boolean[] labels = new boolean[at.length];
        for (int k = 0; k < at.length; k++) {
            labels[k] = y[at[k]];
        }
        return new Quality(ClassificationMetrics.auc(p, labels), ClassificationMetrics.logLoss(p, labels));
    }

    /**
     * Grid search of α × λ1 × λ2 (β and bits from {@code base}): one pass over {@code train}, scored on
     * {@code validation}; best by validation AUC, ties (within 1e−4) to the lower log-loss, then to the
     * earlier grid point. Deterministic.
     */
    public static Tuned tune(
            FtrlParams base,
            double[] alphas,
            double[] l1s,
            double[] l2s,
            HashedFeatures[] x,
            boolean[] y,
            int[] train,
            int[] validation) {
        FtrlParams best = null;
        Quality bestQ = null;
        List<String> grid = new ArrayList<>();
        for (double a : alphas) {
            for (double l1 : l1s) {
                for (double l2 : l2s) {
                    FtrlParams p = base.withAlpha(a).withL1(l1).withL2(l2);
                    FtrlModel m = train(p, x, y, train, 1);
                    Quality q = quality(predict(m, x, validation), y, validation);
                    grid.add(String.format(Locale.ROOT, "alpha=%-5s l1=%-4s l2=%-4s %s", fmt(a), fmt(l1), fmt(l2), q));
                    boolean better = bestQ == null
                            || q.auc() > bestQ.auc() + 1e-4
                            || (Math.abs(q.auc() - bestQ.auc()) <= 1e-4 && q.logLoss() < bestQ.logLoss());
                    if (better) {
                        best = p;
                        bestQ = q;
                    }
                }
            }
        }
        return new Tuned(best, bestQ, grid);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
