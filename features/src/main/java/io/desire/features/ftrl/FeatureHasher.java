package io.desire.features.ftrl;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * The hashing trick: maps feature names (and crosses of them) to buckets of a 2^{@code bits} space
 * with seeded MurmurHash3 (x86, 32-bit) over the UTF-8 bytes of the name.
 *
 * <p><b>Stable:</b> the bucket of a name depends only on the name, {@code bits} and the seed, never on
 * the JVM, locale or {@link String#hashCode()}, so a model trained in one job (or a backfill) is
 * valid in another and across restarts. The hash is the reference MurmurHash3_x86_32 (identical to
 * Guava's {@code murmur3_32_fixed} on UTF-8), checked against known vectors in the tests. Changing the
 * seed or {@code bits} invalidates a trained model.
 *
 * <p>A feature name is {@code namespace U+001F value}; its <em>token</em> is the 32-bit murmur3 of
 * the name, and its bucket the token's low {@code bits}. A cross combines the tokens of its parts
 * with an order-sensitive integer mix (multiply, add, murmur3's finaliser), so a ranker that scores
 * many items for one user and context hashes the user's and the context's names once and each
 * item's twice, not every cross's concatenated string. Validated ids never contain control
 * characters, so distinct (namespace, value) pairs only share a token by hash collision, never by
 * spelling. No sign hash is applied: FTRL's L1 keeps
 * rare colliding features at zero, and {@link RankingFeatures} sums the values of collisions.
 *
 * <p>Immutable and thread-safe.
 */
public final class FeatureHasher implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Default seed ("desi" in ASCII); part of a model's identity. */
    public static final int DEFAULT_SEED = 0x64657369;

    static final char NAME_SEPARATOR = '\u001f';

    private final int bits;
    private final int seed;
    private final int mask;

    /**
     * @param bits log2 of the number of buckets; 1 … {@value FtrlParams#MAX_BITS}
     * @param seed murmur3 seed
     */
    public FeatureHasher(int bits, int seed) {
        if (bits < 1 || bits > FtrlParams.MAX_BITS) {
            throw new IllegalArgumentException("bits must be in 1.." + FtrlParams.MAX_BITS + ", got " + bits);
        }
        this.bits = bits;
        this.seed = seed;
        this.mask = (1 << bits) - 1;
    }

    /** A hasher with {@link #DEFAULT_SEED} over the bucket space of {@code params}. */
    public static FeatureHasher forParams(FtrlParams params) {
        return new FeatureHasher(params.bits(), DEFAULT_SEED);
    }

    public int bits() {
        return bits;
    }

    public int seed() {
        return seed;
    }

    public int dimension() {
        return mask + 1;
    }

    /** Bucket of an already formatted feature name. */
    public int bucket(String name) {
        return murmur3_32(name, seed) & mask;
    }

    /** Bucket of the feature {@code namespace=value}. */
    public int bucket(String namespace, String value) {
        return bucket(name(namespace, value));
    }

    /** The token of {@code namespace=value}: 32 bits, of which the bucket is the low {@code bits}. */
    public int token(String namespace, String value) {
        return murmur3_32(name(namespace, value), seed);
    }

    /** The bucket of a token. */
    public int bucketOf(int token) {
        return token & mask;
    }

    /** The token of the cross of two tokens (order matters). */
    public static int crossTokens(int a, int b) {
        return fmix32(a * 0x9E3779B1 + b);
    }

    /** Bucket of the cross {@code ns1=v1 × ns2=v2}. */
    public int cross(String ns1, String v1, String ns2, String v2) {
        return bucketOf(crossTokens(token(ns1, v1), token(ns2, v2)));
    }

    /** Bucket of the cross {@code ns1=v1 × ns2=v2 × ns3=v3}. */
    public int cross(String ns1, String v1, String ns2, String v2, String ns3, String v3) {
        return bucketOf(crossTokens(crossTokens(token(ns1, v1), token(ns2, v2)), token(ns3, v3)));
    }

    static String name(String namespace, String value) {
        return namespace + NAME_SEPARATOR + value;
    }

    /** MurmurHash3_x86_32 of the UTF-8 bytes of {@code s}. */
    public static int murmur3_32(String s, int seed) {
        return murmur3_32(s.getBytes(StandardCharsets.UTF_8), seed);
    }

    /** MurmurHash3_x86_32 (Austin Appleby's reference algorithm) of {@code data}. */
    public static int murmur3_32(byte[] data, int seed) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h1 = seed;
        int len = data.length;
        int blocks = len >>> 2;
        for (int b = 0; b < blocks; b++) {
            int off = b << 2;
            int k1 = (data[off] & 0xff)
                    | (data[off + 1] & 0xff) << 8
                    | (data[off + 2] & 0xff) << 16
                    | (data[off + 3] & 0xff) << 24;
            k1 *= c1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= c2;
            h1 ^= k1;
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = blocks << 2;
        int k1 = 0;
        switch (len & 3) {
            case 3:
                k1 ^= (data[tail + 2] & 0xff) << 16;
            // fall through
            case 2:
                k1 ^= (data[tail + 1] & 0xff) << 8;
            // fall through
            case 1:
                k1 ^= data[tail] & 0xff;
                k1 *= c1;
                k1 = Integer.rotateLeft(k1, 15);
                k1 *= c2;
                h1 ^= k1;
                break;
            default:
                break;
        }
        h1 ^= len;
        return fmix32(h1);
    }

    /** MurmurHash3's 32-bit finaliser: a bijective avalanche mix, also handy to mix ints into seeds. */
    public static int fmix32(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
