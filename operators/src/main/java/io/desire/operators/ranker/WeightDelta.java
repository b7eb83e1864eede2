package io.desire.operators.ranker;

import java.util.Arrays;

/**
 * Weights published by {@link FtrlLearner} to the ranker replicas ({@link RankerWeights}).
 *
 * <p>An incremental delta carries the current weight of every bucket touched since the previous
 * emission; a {@link #full} delta carries every non-zero weight and means "all other buckets are zero"
 * (sent after the learner restores, so replicas without matching state converge). {@link #version} is
 * the model version (number of updates) the weights reflect; successive deltas of one learner never
 * decrease in version. A Flink POJO of primitive arrays, serialised without Kryo.
 */
public class WeightDelta {
    /** Model version the weights reflect. */
    public long version;
    /** Number of buckets of the model (2^bits), so replicas can reject a model of another size. */
    public int dimension;
    /** Whether this delta replaces all weights (buckets not listed are zero). */
    public boolean full;
    /** Bucket indices, strictly ascending. */
    public int[] indices;
    /** Weight of each listed bucket, parallel to {@link #indices}. */
    public double[] weights;

    public WeightDelta() {}

    public WeightDelta(long version, int dimension, boolean full, int[] indices, double[] weights) {
        this.version = version;
        this.dimension = dimension;
        this.full = full;
        this.indices = indices;
        this.weights = weights;
    }

    /** Number of buckets listed. */
    public int size() {
        return indices == null ? 0 : indices.length;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WeightDelta)) {
            return false;
        }
        WeightDelta d = (WeightDelta) o;
        return version == d.version && dimension == d.dimension && full == d.full
                && Arrays.equals(indices, d.indices) && Arrays.equals(weights, d.weights);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return "WeightDelta{v=" + version + (full ? " full" : "") + " buckets=" + size() + '/' + dimension + '}';
    }
}
