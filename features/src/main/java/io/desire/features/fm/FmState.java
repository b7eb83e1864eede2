package io.desire.features.fm;

import java.util.Arrays;

/**
 * What an {@link FmModel} has learned: FTRL-Proximal accumulators of the bias ({@link #biasZ},
 * {@link #biasN}) and of the linear weight of every bucket ({@link #z}, {@link #n}); the factor
 * vectors ({@link #v}, bucket-major: factor f of bucket i at {@code i·factors + f}) and their AdaGrad
 * sums of squared gradients ({@link #vn}); the initialisation the factors started from
 * ({@link #initSeed}, {@link #initScale}); and the model {@link #version}.
 *
 * <p>A Flink POJO of primitive arrays and scalars, serialised without Kryo. Dense over the whole
 * 2^bits space for the reasons given in {@code FtrlState}; the factors cost 16·k bytes per bucket
 * (128 MiB at 2^20 buckets and k = 8), so the FM ranker is meant for a smaller space (see
 * {@code docs/models.md}).
 *
 * <p>Invariants (kept by {@link FmModel}): {@code z.length == n.length} is a power of two D;
 * {@code v.length == vn.length == D·factors}; every {@code n[i], vn[j] ≥ 0}; a bucket no example
 * touched has {@code n[i] == 0}, zero {@code vn} and the initial factors of {@link FmInit}; {@link #version} never
 * decreases.
 */
public class FmState {
    /** Per-bucket FTRL {@code z_i} of the linear weights. */
    public double[] z;
    /** Per-bucket sum of squared gradients {@code n_i} of the linear weights. */
    public double[] n;
    /** FTRL {@code z} of the bias. */
    public double biasZ;
    /** FTRL {@code n} of the bias. */
    public double biasN;
    /** Factor vectors, bucket-major, {@link #factors} per bucket. */
    public double[] v;
    /** AdaGrad sums of squared gradients, parallel to {@link #v}. */
    public double[] vn;
    /** k, the number of factors per bucket. */
    public int factors;
    /** Seed of the initial factors ({@link FmInit}). */
    public long initSeed;
    /** Scale σ of the initial factors ({@link FmInit}). */
    public double initScale;
    /** Number of updates applied since the state was created; only grows. */
    public long version;

    /** For Flink; use {@link #create(FmParams)}. */
    public FmState() {}

    /** An untrained state of the shape of {@code params}: zero linear part, factors at their initial values. */
    public static FmState create(FmParams params) {
        FmState s = new FmState();
        int d = params.dimension();
        int k = params.factors();
        s.z = new double[d];
        s.n = new double[d];
        s.v = new double[d * k];
        s.vn = new double[d * k];
        s.factors = k;
        s.initSeed = params.initSeed();
        s.initScale = params.initScale();
        FmInit.fill(s.v, k, s.initSeed, s.initScale);
        return s;
    }

    /** Number of buckets. */
    public int dimension() {
        return z == null ? 0 : z.length;
    }

    /**
     * Whether bucket {@code i} may differ from its untrained value: its linear weight or one of its
     * factors has seen a non-zero gradient (a factor changes only with one).
     */
    public boolean touched(int i) {
        if (n[i] > 0) {
            return true;
        }
        for (int j = i * factors, end = j + factors; j < end; j++) {
            if (vn[j] > 0) {
                return true;
            }
        }
        return false;
    }

    /** A deep copy (e.g. the best epoch of a batch fit). */
    public FmState copy() {
        FmState s = new FmState();
        s.z = z == null ? null : z.clone();
        s.n = n == null ? null : n.clone();
        s.biasZ = biasZ;
        s.biasN = biasN;
        s.v = v == null ? null : v.clone();
        s.vn = vn == null ? null : vn.clone();
        s.factors = factors;
        s.initSeed = initSeed;
        s.initScale = initScale;
        s.version = version;
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FmState s)) {
            return false;
        }
        return version == s.version
                && factors == s.factors
                && initSeed == s.initSeed
                && Double.compare(initScale, s.initScale) == 0
                && Double.compare(biasZ, s.biasZ) == 0
                && Double.compare(biasN, s.biasN) == 0
                && Arrays.equals(z, s.z)
                && Arrays.equals(n, s.n)
                && Arrays.equals(v, s.v)
                && Arrays.equals(vn, s.vn);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + dimension() * 7 + factors;
    }

    @Override
    public String toString() {
        return "FmState{dimension=" + dimension() + ", factors=" + factors + ", version=" + version + '}';
    }
}
