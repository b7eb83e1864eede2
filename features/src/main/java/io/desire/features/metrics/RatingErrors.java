package io.desire.features.metrics;

/**
 * Running error of rating predictions: RMSE {@code = sqrt(Σ(p − a)² / n)} and MAE {@code = Σ|p − a| /
 * n}. Sums are plain double sums, accurate to far below reporting precision for the ≤ 10⁸
 * bounded terms of a rating data set. Both are NaN while nothing was added. Not thread-safe; {@link
 * #merge} combines per-thread accumulators.
 */
public final class RatingErrors {

    private long count;
    private double squared;
    private double absolute;

    /** Adds one prediction; a NaN prediction or actual is rejected, since it would poison the sums. */
    public RatingErrors add(double predicted, double actual) {
        if (Double.isNaN(predicted) || Double.isNaN(actual)) {
            throw new IllegalArgumentException("NaN in prediction " + predicted + " or actual " + actual);
        }
        double e = predicted - actual;
        squared += e * e;
        absolute += Math.abs(e);
        count++;
        return this;
    }

    public RatingErrors merge(RatingErrors other) {
        count += other.count;
        squared += other.squared;
        absolute += other.absolute;
        return this;
    }

    public long count() {
        return count;
    }

    public double rmse() {
        return count == 0 ? Double.NaN : Math.sqrt(squared / count);
    }

    public double mae() {
        return count == 0 ? Double.NaN : absolute / count;
    }

    /** RMSE of paired arrays. */
    public static double rmse(double[] predicted, double[] actual) {
        return of(predicted, actual).rmse();
    }

    /** MAE of paired arrays. */
    public static double mae(double[] predicted, double[] actual) {
        return of(predicted, actual).mae();
    }

    private static RatingErrors of(double[] predicted, double[] actual) {
        if (predicted.length != actual.length) {
            throw new IllegalArgumentException(
                    "lengths differ: " + predicted.length + " predictions, " + actual.length + " actuals");
        }
        RatingErrors errors = new RatingErrors();
        for (int i = 0; i < predicted.length; i++) {
            errors.add(predicted[i], actual[i]);
        }
        return errors;
    }
}
