package io.desire.features.ftrl;

/**
 * The argument checks every online learner of hashed features makes before it reads or learns from
 * an example ({@link FtrlModel}, {@code FmModel}): each failure is an {@link IllegalArgumentException}
 * saying which argument is wrong, so that no bad example reaches a model's state.
 */
public final class ExampleChecks {
    private ExampleChecks() {}

    /** Sparse features over {@code dim} buckets: parallel arrays, strictly ascending indices, finite values. */
    public static void features(int[] indices, double[] values, int dim) {
        if (indices == null || values == null || indices.length != values.length) {
            throw new IllegalArgumentException("indices and values must be non-null and of equal length");
        }
        int prev = -1;
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            if (i <= prev || i >= dim) {
                throw new IllegalArgumentException(
                        "indices must be strictly ascending in [0, " + dim + "), got " + i + " at position " + j);
            }
            if (!Double.isFinite(values[j])) {
                throw new IllegalArgumentException("feature value at index " + i + " is not finite: " + values[j]);
            }
            prev = i;
        }
    }

    /** A binary label (0 or 1) and a positive, finite importance weight. */
    public static void labelAndWeight(int label, double weight) {
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label);
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be positive and finite, got " + weight);
        }
    }
}
