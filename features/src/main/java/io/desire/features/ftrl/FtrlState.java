package io.desire.features.ftrl;

import java.util.Arrays;

/**
 * What an {@link FtrlModel} has learned: per bucket of the hashed feature space the FTRL-Proximal
 * accumulators {@code z} (adjusted gradient sum) and {@code n} (sum of squared gradients), plus the
 * model {@link #version}.
 *
 * <p>A Flink POJO of two primitive arrays and a long, so Flink serialises it with its own array
 * serializers (no Kryo) and savepoints survive code changes. Weights are not stored: they are a
 * closed-form function of {@code z}, {@code n} and the hyper-parameters, computed on demand.
 *
 * <p><b>Why dense arrays over the whole 2^b space rather than a sparse map:</b> the hashed space is
 * fixed in size, so a bucket index is its own address: no key-to-slot table, no boxing, no allocation
 * per update, and the size in memory and in a checkpoint is known up front (16 bytes × 2^b). A sparse
 * form (open addressing over int keys with three parallel arrays and a load factor ≤ 0.5) only saves
 * memory while fewer than roughly a quarter of the buckets have ever been touched, and hashed crosses
 * of users, contexts and items fill a 2^20 space within hours of live traffic. A sparse layout pays off
 * only for a shard that owns a small slice of a much larger space, which is not the scheme
 * recommended for this engine.
 *
 * <p>Invariants (kept by {@link FtrlModel}): {@code z.length == n.length} is a power of two; every
 * {@code n[i] ≥ 0}; {@link #version} never decreases.
 */
public class FtrlState {
    /** Per-bucket FTRL {@code z_i}. */
    public double[] z;
    /** Per-bucket sum of squared gradients {@code n_i}. */
    public double[] n;
    /** Number of updates applied since the state was created; only grows. */
    public long version;

    /** For Flink; use {@link #create(int)}. */
    public FtrlState() {}

    /** An untrained state over 2^{@code bits} buckets: all weights zero, version 0. */
    public static FtrlState create(int bits) {
        if (bits < 1 || bits > FtrlParams.MAX_BITS) {
            throw new IllegalArgumentException("bits must be in 1.." + FtrlParams.MAX_BITS + ", got " + bits);
        }
        FtrlState s = new FtrlState();
        s.z = new double[1 << bits];
        s.n = new double[1 << bits];
        s.version = 0L;
        return s;
    }

    /** Number of buckets. */
    public int dimension() {
        return z == null ? 0 : z.length;
    }

    /** A deep copy (e.g. to publish a snapshot while training continues). */
    public FtrlState copy() {
        FtrlState s = new FtrlState();
        s.z = z == null ? null : z.clone();
        s.n = n == null ? null : n.clone();
        s.version = version;
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FtrlState)) {
            return false;
        }
        FtrlState s = (FtrlState) o;
        return version == s.version && Arrays.equals(z, s.z) && Arrays.equals(n, s.n);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + dimension();
    }

    @Override
    public String toString() {
        return "FtrlState{dimension=" + dimension() + ", version=" + version + '}';
    }
}
