package io.desire.features.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * How well predicted probabilities match observed frequencies — a reliability diagram and its
 * expected calibration error (ECE). Predictions are put into {@code bins} equal-width bins over
 * [0, 1] (1.0 into the last); each non-empty bin reports its count, mean prediction and observed
 * positive rate; ECE is {@code Σ (n_b / n)·|mean prediction_b − positive rate_b|} (Naeini et al.
 * 2015). A calibrated model has its points on the diagonal and an ECE near 0. Note what the positives
 * are: a ranker trained on sampled negatives is calibrated to that sampled distribution, not to
 * a click rate among everything served.
 */
public final class Calibration {

    /** One non-empty bin: {@code [from, to)} of predicted probability. */
    public record Bin(double from, double to, long count, double meanPrediction, double positiveRate) {}

    private final List<Bin> bins;
    private final double expectedCalibrationError;

    private Calibration(List<Bin> bins, double ece) {
        this.bins = bins;
        this.expectedCalibrationError = ece;
    }

    /** The diagram of {@code probabilities} against {@code labels} over {@code bins} bins. */
    public static Calibration of(double[] probabilities, boolean[] labels, int bins) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(
                    "lengths differ: " + probabilities.length + " probabilities, " + labels.length + " labels");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be ≥ 1, got " + bins);
        }
        long[] count = new long[bins];
        double[] sumP = new double[bins];
        long[] positives = new long[bins];
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability " + i + " is not in [0, 1]: " + p);
            }
            int b = Math.min((int) (p * bins), bins - 1);
            count[b]++;
            sumP[b] += p;
            if (labels[i]) {
                positives[b]++;
            }
        }
        List<Bin> out = new ArrayList<>();
        double ece = 0;
        int n = probabilities.length;
        for (int b = 0; b < bins; b++) {
            if (count[b] == 0) {
                continue;
            }
            double mean = sumP[b] / count[b];
            double rate = (double) positives[b] / count[b];
            out.add(new Bin((double) b / bins, (double) (b + 1) / bins, count[b], mean, rate));
            ece += (double) count[b] / n * Math.abs(mean - rate);
        }
        return new Calibration(List.copyOf(out), n == 0 ? Double.NaN : ece);
    }

    /** The non-empty bins, lowest first. */
    public List<Bin> bins() {
        return bins;
    }

    /** ECE in [0, 1]; NaN without predictions. */
    public double expectedCalibrationError() {
        return expectedCalibrationError;
    }
}
