package io.desire.operators.ranker;

import io.desire.features.ftrl.HashedFeatures;
import java.util.Arrays;

/**
 * Keyed state of {@link ExampleAssembler}: the most recent feature vectors served for one
 * (user, context, item), oldest first, and the event time of the pending cleanup timer.
 *
 * <p>A Flink POJO of parallel arrays (no Kryo). At most a handful of entries (the assembler's
 * {@code maxServedPerKey}), so it is read and written whole.
 */
public class ServedHistory {
    /** Marks "no cleanup timer registered". */
    public static final long NONE = Long.MIN_VALUE;

    /** Serving times, strictly ascending. */
    public long[] servedAt = new long[0];
    /** Features served at each time, parallel to {@link #servedAt}. */
    public HashedFeatures[] features = new HashedFeatures[0];
    /** Event time of the registered cleanup timer, {@link #NONE} when none is registered. */
    public long cleanupAt = NONE;

    public ServedHistory() {}

    public int size() {
        return servedAt == null ? 0 : servedAt.length;
    }

    /** The latest serving time; only valid when {@link #size()} > 0. */
    public long latest() {
        return servedAt[servedAt.length - 1];
    }

    /**
     * Records {@code f} served at {@code at}, replacing a record of the same time, keeping the newest
     * {@code max} records.
     */
    void add(long at, HashedFeatures f, int max) {
        int k = Arrays.binarySearch(servedAt, at);
        if (k >= 0) {
            features[k] = f;
            return;
        }
        int pos = -k - 1;
        int n = servedAt.length;
        long[] t = new long[n + 1];
        HashedFeatures[] x = new HashedFeatures[n + 1];
        System.arraycopy(servedAt, 0, t, 0, pos);
        System.arraycopy(features, 0, x, 0, pos);
        t[pos] = at;
        x[pos] = f;
        System.arraycopy(servedAt, pos, t, pos + 1, n - pos);
        System.arraycopy(features, pos, x, pos + 1, n - pos);
        int drop = Math.max(0, t.length - max);
        servedAt = Arrays.copyOfRange(t, drop, t.length);
        features = Arrays.copyOfRange(x, drop, x.length);
    }

    /**
     * The features of the latest record served at or before {@code ts} and no earlier than
     * {@code notBefore}, or {@code null}.
     */
    HashedFeatures latestAtOrBefore(long ts, long notBefore) {
        for (int k = size() - 1; k >= 0; k--) {
            if (servedAt[k] <= ts) {
                return servedAt[k] >= notBefore ? features[k] : null;
            }
        }
        return null;
    }
}
