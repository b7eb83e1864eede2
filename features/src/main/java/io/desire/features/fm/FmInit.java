package io.desire.features.fm;

/**
 * The initial value of every factor of a factorisation machine: a pure function of (seed, bucket,
 * factor), uniform in [−σ√3, σ√3) (standard deviation σ), from the SplitMix64 finaliser of the three.
 *
 * <p>Why a function and not stored values: the learner and every serving replica compute the same
 * starting vectors for any bucket without shipping them, so a replica that has only seen the buckets
 * the learner touched still scores exactly as the learner. Integer mixing and one multiplication, so
 * the values are bit-for-bit identical on every JVM. Stateless and thread-safe.
 */
public final class FmInit {
    private static final double UNIT = 0x1.0p-53;
    private static final double SQRT3 = Math.sqrt(3.0);

    private FmInit() {}

    /** The initial value of factor {@code f} of bucket {@code bucket}. */
    public static double value(long seed, double scale, int bucket, int f) {
        long h = mix(seed ^ mix(((long) bucket << 8) ^ f ^ 0x9E3779B97F4A7C15L));
        double u = (h >>> 11) * UNIT; // [0, 1)
        return scale * SQRT3 * (2.0 * u - 1.0);
    }

    /** Fills {@code v} (bucket-major, {@code factors} per bucket) with the initial values of every bucket. */
    public static void fill(double[] v, int factors, long seed, double scale) {
        int buckets = v.length / factors;
        for (int i = 0; i < buckets; i++) {
            fillRow(v, i, factors, seed, scale);
        }
    }

    /** Writes the initial values of bucket {@code bucket} into its row of {@code v}. */
    public static void fillRow(double[] v, int bucket, int factors, long seed, double scale) {
        int base = bucket * factors;
        for (int f = 0; f < factors; f++) {
            v[base + f] = value(seed, scale, bucket, f);
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
