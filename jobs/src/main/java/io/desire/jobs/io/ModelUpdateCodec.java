package io.desire.jobs.io;

import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.ranker.WeightDelta;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Binary encoding of the records of the two feedback-loop topics: ALS item vectors ({@link
 * ItemFactorUpdate}) and FTRL weight deltas ({@link WeightDelta}).
 *
 * <p>Guarantees: {@code decode(encode(x))} equals {@code x} field for field (nulls, empty arrays,
 * NaN and signed zeros included, since doubles travel as their raw IEEE-754 bits); decoding never
 * returns a partial record — truncated input, trailing bytes, negative lengths, an unknown format
 * version or the other loop's record kind all fail with an {@link IllegalArgumentException} saying
 * what was expected at which byte; lengths are checked against the bytes present before anything is
 * allocated, so a corrupt length cannot exhaust the heap. Stateless and thread-safe.
 *
 * <p>Layout, big-endian (format version {@value #FORMAT_VERSION}):
 *
 * <pre>
 * byte   format version                       1
 * byte   record kind                          1 = item factor update, 2 = weight delta,
 *                                             3 = factorised weight delta (factorisation machine)
 * item factor update:
 *   long   version
 *   long   eventTime
 *   string itemId                             int byte length, then UTF-8 bytes (never null)
 *   string category                           int byte length or -1 for null, then UTF-8 bytes
 *   int    number of factors k                -1 = tombstone (factors == null)
 *   double factors[k]
 * weight delta:
 *   long   version
 *   int    dimension
 *   byte   full                               0 or 1
 *   int    number of buckets n                -1 = no arrays (indices == weights == null)
 *   int    indices[n]
 *   double weights[n]
 * factorised weight delta:
 *   long   version
 *   int    dimension
 *   byte   full                               0 or 1
 *   int    factors k                          ≥ 1
 *   double bias
 *   long   initSeed
 *   double initScale
 *   int    number of buckets n                -1 = no arrays (indices == weights == vectors == null)
 *   int    indices[n]
 *   double weights[n]
 *   double vectors[n·k]
 * </pre>
 *
 * A full delta of 2<sup>20</sup> buckets takes 12 MiB + 19 bytes; a factorised one 8·(k + 1) + 4
 * bytes per listed bucket. Linear deltas ({@code factors == 0}) are written as kind 2, byte for byte as
 * before kind 3 existed. A change of layout gets a new
 * format version; readers refuse versions they do not know rather than guess.
 */
public final class ModelUpdateCodec {
    /** The format version this build writes and the only one it reads. */
    public static final byte FORMAT_VERSION = 1;
    /** Record kind of an {@link ItemFactorUpdate}. */
    public static final byte KIND_ITEM_FACTOR = 1;
    /** Record kind of a {@link WeightDelta} of a linear model. */
    public static final byte KIND_WEIGHT_DELTA = 2;
    /** Record kind of a {@linkplain WeightDelta#factorised() factorised} {@link WeightDelta}. */
    public static final byte KIND_FACTORISED_DELTA = 3;

    private static final int HEADER = 2;

    private ModelUpdateCodec() {}

    /**
     * Encodes an item vector (or tombstone, {@code factors == null}).
     *
     * @throws IllegalArgumentException if {@code update} or its {@code itemId} is null
     */
    public static byte[] encode(ItemFactorUpdate update) {
        if (update == null) {
            throw new IllegalArgumentException("item factor update must not be null");
        }
        if (update.itemId == null) {
            throw new IllegalArgumentException("item factor update without itemId: " + update);
        }
        byte[] id = update.itemId.getBytes(StandardCharsets.UTF_8);
        byte[] category = update.category == null ? null : update.category.getBytes(StandardCharsets.UTF_8);
        int k = update.factors == null ? 0 : update.factors.length;
        long size = HEADER + 8L + 8L + 4L + id.length + 4L + (category == null ? 0 : category.length) + 4L + 8L * k;
        ByteBuffer buf = ByteBuffer.allocate(checkedSize(size, "item factor update of " + update.itemId));
        buf.put(FORMAT_VERSION).put(KIND_ITEM_FACTOR);
        buf.putLong(update.version).putLong(update.eventTime);
        buf.putInt(id.length).put(id);
        if (category == null) {
            buf.putInt(-1);
        } else {
            buf.putInt(category.length).put(category);
        }
        if (update.factors == null) {
            buf.putInt(-1);
        } else {
            buf.putInt(k);
            buf.asDoubleBuffer().put(update.factors);
        }
        return buf.array();
    }

    /**
     * Decodes what {@link #encode(ItemFactorUpdate)} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not one complete item factor update of
     *     format {@value #FORMAT_VERSION}; the message says what is wrong and where
     */
    public static ItemFactorUpdate decodeItemFactorUpdate(byte[] bytes) {
        Reader r = new Reader(bytes, "item factor update");
        r.header(KIND_ITEM_FACTOR);
        ItemFactorUpdate u = new ItemFactorUpdate();
        u.version = r.getLong("version");
        u.eventTime = r.getLong("eventTime");
        u.itemId = r.getString("itemId", false);
        u.category = r.getString("category", true);
        int k = r.getLength("number of factors", 8);
        if (k >= 0) {
            u.factors = new double[k];
            r.buf.asDoubleBuffer().get(u.factors);
            r.skip(8L * k);
        }
        r.end();
        return u;
    }

    /**
     * Encodes a weight delta.
     *
     * @throws IllegalArgumentException if {@code delta} is null or its {@code indices} and {@code
     *     weights} differ in length (or only one of them is null)
     */
    public static byte[] encode(WeightDelta delta) {
        if (delta == null) {
            throw new IllegalArgumentException("weight delta must not be null");
        }
        if ((delta.indices == null) != (delta.weights == null)
                || (delta.indices != null && delta.indices.length != delta.weights.length)) {
            throw new IllegalArgumentException("weight delta v" + delta.version + " has "
                    + (delta.indices == null ? "no" : String.valueOf(delta.indices.length)) + " indices but "
                    + (delta.weights == null ? "no" : String.valueOf(delta.weights.length))
                    + " weights; they must be parallel arrays");
        }
        if (delta.factorised()) {
            return encodeFactorised(delta);
        }
        int n = delta.indices == null ? 0 : delta.indices.length;
        long size = HEADER + 8L + 4L + 1L + 4L + 12L * n;
        ByteBuffer buf = ByteBuffer.allocate(checkedSize(size, "weight delta v" + delta.version));
        buf.put(FORMAT_VERSION).put(KIND_WEIGHT_DELTA);
        buf.putLong(delta.version).putInt(delta.dimension).put(delta.full ? (byte) 1 : (byte) 0);
        if (delta.indices == null) {
            buf.putInt(-1);
        } else {
            buf.putInt(n);
            buf.asIntBuffer().put(delta.indices);
            buf.position(buf.position() + 4 * n);
            buf.asDoubleBuffer().put(delta.weights);
        }
        return buf.array();
    }

    private static byte[] encodeFactorised(WeightDelta delta) {
        int n = delta.indices == null ? 0 : delta.indices.length;
        if ((delta.indices == null) != (delta.vectors == null)
                || (delta.vectors != null && delta.vectors.length != (long) n * delta.factors)) {
            throw new IllegalArgumentException("factorised weight delta v" + delta.version + " has " + n + " buckets × "
                    + delta.factors + " factors but " + (delta.vectors == null ? "no" : delta.vectors.length)
                    + " vector values; they must be parallel arrays");
        }
        ByteBuffer buf = ByteBuffer.allocate(checkedSize(encodedSize(delta), "weight delta v" + delta.version));
        buf.put(FORMAT_VERSION).put(KIND_FACTORISED_DELTA);
        buf.putLong(delta.version).putInt(delta.dimension).put(delta.full ? (byte) 1 : (byte) 0);
        buf.putInt(delta.factors).putDouble(delta.bias).putLong(delta.initSeed).putDouble(delta.initScale);
        if (delta.indices == null) {
            buf.putInt(-1);
        } else {
            buf.putInt(n);
            buf.asIntBuffer().put(delta.indices);
            buf.position(buf.position() + 4 * n);
            buf.asDoubleBuffer().put(delta.weights);
            buf.position(buf.position() + 8 * n);
            buf.asDoubleBuffer().put(delta.vectors);
        }
        return buf.array();
    }

    /** Size in bytes of {@link #encode(WeightDelta)} of {@code delta}, linear or factorised. */
    public static long encodedSize(WeightDelta delta) {
        if (!delta.factorised()) {
            return encodedWeightDeltaSize(delta.size());
        }
        return HEADER + 8L + 4L + 1L + 4L + 8L + 8L + 8L + 4L + (12L + 8L * delta.factors) * delta.size();
    }

    /** Size in bytes of {@link #encode(WeightDelta)} for a linear delta of {@code buckets} buckets. */
    public static long encodedWeightDeltaSize(int buckets) {
        return HEADER + 8L + 4L + 1L + 4L + 12L * Math.max(0, buckets);
    }

    /**
     * Decodes what {@link #encode(WeightDelta)} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not one complete weight delta of format
     *     {@value #FORMAT_VERSION}; the message says what is wrong and where
     */
    public static WeightDelta decodeWeightDelta(byte[] bytes) {
        Reader r = new Reader(bytes, "weight delta");
        byte kind = r.header(KIND_WEIGHT_DELTA, KIND_FACTORISED_DELTA);
        WeightDelta d = new WeightDelta();
        d.version = r.getLong("version");
        d.dimension = r.getInt("dimension");
        byte full = r.getByte("full flag");
        if (full != 0 && full != 1) {
            throw r.error("full flag is " + full + " at byte " + (r.buf.position() - 1) + "; expected 0 or 1");
        }
        d.full = full == 1;
        if (kind == KIND_FACTORISED_DELTA) {
            return decodeFactorised(r, d);
        }
        int n = r.getLength("number of buckets", 12);
        if (n >= 0) {
            d.indices = new int[n];
            d.weights = new double[n];
            r.buf.asIntBuffer().get(d.indices);
            r.skip(4L * n);
            r.buf.asDoubleBuffer().get(d.weights);
            r.skip(8L * n);
        }
        r.end();
        return d;
    }

    private static WeightDelta decodeFactorised(Reader r, WeightDelta d) {
        int at = r.buf.position();
        d.factors = r.getInt("factors");
        if (d.factors < 1) {
            throw r.error("factors is " + d.factors + " at byte " + at + "; expected ≥ 1");
        }
        d.bias = r.getDouble("bias");
        d.initSeed = r.getLong("initSeed");
        d.initScale = r.getDouble("initScale");
        int n = r.getLength("number of buckets", 12 + 8 * Math.min(d.factors, 1 << 20));
        if (n >= 0) {
            d.indices = new int[n];
            d.weights = new double[n];
            d.vectors = new double[n * d.factors];
            r.buf.asIntBuffer().get(d.indices);
            r.skip(4L * n);
            r.buf.asDoubleBuffer().get(d.weights);
            r.skip(8L * n);
            r.buf.asDoubleBuffer().get(d.vectors);
            r.skip(8L * n * d.factors);
        }
        r.end();
        return d;
    }

    private static int checkedSize(long size, String what) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " would take " + size + " bytes; more than one array can hold");
        }
        return (int) size;
    }

    /** Reads one record with bounds checks that name the field, its byte offset and the record kind. */
    private static final class Reader {
        final ByteBuffer buf;
        final String what;

        Reader(byte[] bytes, String what) {
            if (bytes == null) {
                throw new IllegalArgumentException("no bytes for " + what + " (null value)");
            }
            this.buf = ByteBuffer.wrap(bytes);
            this.what = what;
        }

        /** Reads the header; returns the record kind, which must be one of {@code expectedKinds}. */
        byte header(byte... expectedKinds) {
            if (buf.remaining() == 0) {
                throw error("empty record");
            }
            byte version = buf.get();
            if (version != FORMAT_VERSION) {
                throw error("unknown format version " + (version & 0xff) + "; this build reads format " + FORMAT_VERSION
                        + (version > FORMAT_VERSION ? " (written by a newer build?)" : ""));
            }
            byte kind = getByte("record kind");
            for (byte expected : expectedKinds) {
                if (kind == expected) {
                    return kind;
                }
            }
            byte expectedKind = expectedKinds[0];
            throw error("record kind " + kind + " (" + kindName(kind) + ") where " + kindName(expectedKind) + " ("
                    + expectedKind + ") was expected; is the topic the other feedback loop's?");
        }

        byte getByte(String field) {
            need(1, field);
            return buf.get();
        }

        int getInt(String field) {
            need(4, field);
            return buf.getInt();
        }

        double getDouble(String field) {
            need(8, field);
            return buf.getDouble();
        }

        long getLong(String field) {
            need(8, field);
            return buf.getLong();
        }

        /** A count of elements of {@code elementSize} bytes each: -1 (null) or one the bytes left can hold. */
        int getLength(String field, int elementSize) {
            int at = buf.position();
            int n = getInt(field);
            if (n < -1) {
                throw error(field + " is " + n + " at byte " + at + "; expected -1 (null) or a count ≥ 0");
            }
            if (n > 0 && (long) n * elementSize > buf.remaining()) {
                throw error("truncated: " + field + " is " + n + " at byte " + at + ", which needs "
                        + (long) n * elementSize + " bytes, but only " + buf.remaining() + " follow");
            }
            return n;
        }

        String getString(String field, boolean nullable) {
            int at = buf.position();
            int n = getLength(field + " length", 1);
            if (n < 0) {
                if (!nullable) {
                    throw error(field + " is null at byte " + at + "; it must be set");
                }
                return null;
            }
            byte[] b = new byte[n];
            buf.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        void skip(long bytes) {
            buf.position(buf.position() + (int) bytes);
        }

        void need(int bytes, String field) {
            if (buf.remaining() < bytes) {
                throw error("truncated: " + field + " needs " + bytes + " bytes at byte " + buf.position()
                        + " but only " + buf.remaining() + " follow (record of " + buf.limit() + " bytes)");
            }
        }

        void end() {
            if (buf.hasRemaining()) {
                throw error(
                        buf.remaining() + " trailing bytes after a complete record of " + buf.position() + " bytes");
            }
        }

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException("Malformed " + what + ": " + message);
        }
    }

    private static String kindName(byte kind) {
        switch (kind) {
            case KIND_ITEM_FACTOR:
                return "item factor update";
            case KIND_WEIGHT_DELTA:
                return "weight delta";
            case KIND_FACTORISED_DELTA:
                return "factorised weight delta";
            default:
                return "unknown";
        }
    }
}
