package io.desire.features.metrics;

import java.util.Arrays;

/**
 * Metrics of a scored binary classifier (the ranker's click probability).
 *
 * <ul>
 *   <li>AUC: the probability that a random positive scores above a random negative, ties counting
 *       one half — computed from ranks (Mann–Whitney U) in O(n log n), tied scores receiving their
 *       average rank. NaN when either class is absent.
 *   <li>Log-loss: {@code −(1/n) Σ [y·ln p + (1 − y)·ln(1 − p)]} with p clipped to {@code [ε, 1 − ε]}
 *       so one confident mistake costs a large but finite amount ({@value #DEFAULT_EPSILON} by
 *       default, as scikit-learn used to). NaN for no examples.
 * </ul>
 */
public final class ClassificationMetrics {

    public static final double DEFAULT_EPSILON = 1e-15;

    private ClassificationMetrics() {}

    public static double auc(double[] scores, boolean[] labels) {
        int n = scores.length;
        if (labels.length != n) {
            throw new IllegalArgumentException("lengths differ: " + n + " scores, " + labels.length + " labels");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        long positives = 0;
        double positiveRankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1; // 1-based ranks i+1 .. j+1
            for (int m = i; m <= j; m++) {
                if (labels[order[m]]) {
                    positives++;
                    positiveRankSum += averageRank;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    public static double logLoss(double[] probabilities, boolean[] labels) {
        return logLoss(probabilities, labels, DEFAULT_EPSILON);
    }

    public static double logLoss(double[] probabilities, boolean[] labels, double epsilon) {
        int n = probabilities.length;
        if (labels.length != n) {
            throw new IllegalArgumentException("lengths differ: " + n + " probabilities, " + labels.length + " labels");
        }
        if (!(epsilon > 0 && epsilon < 0.5)) {
            throw new IllegalArgumentException("epsilon must be in (0, 0.5), got " + epsilon);
        }
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double p = probabilities[i];
            if (Double.isNaN(p)) {
                throw new IllegalArgumentException("probability " + i + " is NaN");
            }
            p = Math.min(1 - epsilon, Math.max(epsilon, p));
            sum += labels[i] ? Math.log(p) : Math.log(1 - p);
        }
        return -sum / n;
    }
}
