package io.desire.features.ftrl;

import java.util.Arrays;

/**
 * A sparse feature vector over a hashed space: parallel arrays of bucket indices and values.
 *
 * <p>As built by {@link RankingFeatures}: indices strictly ascending (so distinct: features that
 * collide in one bucket have their values summed), every value finite and non-zero. That is the input
 * contract of {@link FtrlModel}. A Flink POJO of primitive arrays, so it can travel in records (e.g.
 * features logged at serving time, to train on exactly what was scored).
 */
public class HashedFeatures {
    public int[] indices;
    public double[] values;

    public HashedFeatures() {}

    public HashedFeatures(int[] indices, double[] values) {
        this.indices = indices;
        this.values = values;
    }

    /** Number of non-zero features. */
    public int size() {
        return indices == null ? 0 : indices.length;
    }

    /** The value at bucket {@code index}, 0 when absent. */
    public double valueAt(int index) {
        int k = indices == null ? -1 : Arrays.binarySearch(indices, index);
        return k >= 0 ? values[k] : 0.0;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HashedFeatures)) {
            return false;
        }
        HashedFeatures h = (HashedFeatures) o;
        return Arrays.equals(indices, h.indices) && Arrays.equals(values, h.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HashedFeatures{");
        for (int k = 0; k < size(); k++) {
            sb.append(k == 0 ? "" : ", ").append(indices[k]).append('=').append(values[k]);
        }
        return sb.append('}').toString();
    }
}
