package io.desire.operators.ranker;

import java.util.Arrays;

/**
 * Weights published by a ranker learner to the ranker replicas: by {@link FtrlLearner} (linear
 * weights, {@link #factors} = 0) to {@link RankerWeights}, or by {@link FmLearner} (a factorisation
 * machine, {@link #factors} = k &gt; 0) to {@link FmWeights}. One record type, so one loop topic and
 * one broadcast input carry either model.
 *
 * <p>An incremental delta carries the current weight of every bucket touched since the previous
 * emission; a {@link #full} delta carries every non-zero weight and means "all other buckets are zero"
 * (sent after the learner restores, so replicas without matching state converge). {@link #version} is
 * the model version (number of updates) the weights reflect; successive deltas of one learner never
 * decrease in version. A Flink POJO of primitive arrays, serialised without Kryo.
 *
 * <p>A factorised delta also carries the bias, the k factors of every listed bucket ({@link #vectors},
 * bucket-major, parallel to {@link #indices}), and the seed and scale of the initial factors
 * ({@code FmInit}), from which a replica computes the factors of every bucket not listed; in a full
 * factorised delta, the buckets not listed have zero linear weight and their initial factors.
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
    /** Factors per bucket k of a factorisation machine; 0 for a linear model. */
    public int factors;
    /** Bias of a factorisation machine; 0 for a linear model. */
    public double bias;
    /** k factors per listed bucket, bucket-major ({@code size()·factors} values); {@code null} for a linear model. */
    public double[] vectors;
    /** Seed of the initial factors of a factorisation machine. */
    public long initSeed;
    /** Scale of the initial factors of a factorisation machine. */
    public double initScale;

    public WeightDelta() {}

    public WeightDelta(long version, int dimension, boolean full, int[] indices, double[] weights) {
        this.version = version;
        this.dimension = dimension;
        this.full = full;
        this.indices = indices;
        this.weights = weights;
    }

    /** A delta of a factorisation machine over {@code dimension} buckets with {@code factors} factors each. */
    public static WeightDelta factorised(
            long version,
            int dimension,
            boolean full,
            int factors,
            double bias,
            int[] indices,
            double[] weights,
            double[] vectors,
            long initSeed,
            double initScale) {
        WeightDelta d = new WeightDelta(version, dimension, full, indices, weights);
        d.factors = factors;
        d.bias = bias;
        d.vectors = vectors;
        d.initSeed = initSeed;
        d.initScale = initScale;
        return d;
    }

    /** Whether this delta is of a factorisation machine ({@link #factors} &gt; 0). */
    public boolean factorised() {
        return factors > 0;
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
        return version == d.version
                && dimension == d.dimension
                && full == d.full
                && Arrays.equals(indices, d.indices)
                && Arrays.equals(weights, d.weights)
                && factors == d.factors
                && Double.compare(bias, d.bias) == 0
                && Arrays.equals(vectors, d.vectors)
                && initSeed == d.initSeed
                && Double.compare(initScale, d.initScale) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + Arrays.hashCode(indices);
    }

    @Override
    public String toString() {
        return "WeightDelta{v=" + version + (full ? " full" : "") + " buckets=" + size() + '/' + dimension
                + (factors > 0 ? " k=" + factors : "") + '}';
    }
}
