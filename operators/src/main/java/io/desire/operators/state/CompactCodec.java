package io.desire.operators.state;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The primitives of the compact state formats: unsigned varints (7 bits a byte, low groups first),
 * zig-zag for signed values, lengths that also say "null", event times as small deltas from a base
 * the reader already knows, and double arrays stored as small integers when every value is a
 * multiple of 1/4 (event weights, ratings, their sums), else as floats when every value is one exactly.
 * Every encoding is lossless: what is read back equals, bit for bit, what was written.
 */
public final class CompactCodec {
    /** Time code for {@link Long#MIN_VALUE}, the state types' "no time yet". */
    private static final long TIME_NONE = 0;
    /** Time code announcing a raw 8-byte time (a delta too large for a varint code). */
    private static final long TIME_RAW = 1;

    private static final byte DOUBLES = 0;
    private static final byte FLOATS = 1;
    /** Every value is k/4 with |k| < 2^26: zig-zag varints of k, at most 4 bytes and mostly 1. */
    private static final byte QUARTERS = 2;

    private static final double QUARTERS_BOUND = 1 << 26;
    private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);

    private CompactCodec() {}

    /** Writes {@code v} as an unsigned varint (1 byte below 128, at most 5). */
    public static void writeVarInt(DataOutputView out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    public static int readVarInt(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("malformed varint");
    }

    /** Writes {@code v} as an unsigned varint (at most 10 bytes). */
    public static void writeVarLong(DataOutputView out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    public static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("malformed varlong");
    }

    /** Writes a signed value zig-zag encoded, so small negative values stay short too. */
    public static void writeSignedVarLong(DataOutputView out, long v) throws IOException {
        writeVarLong(out, (v << 1) ^ (v >> 63));
    }

    public static long readSignedVarLong(DataInputView in) throws IOException {
        long z = readVarLong(in);
        return (z >>> 1) ^ -(z & 1);
    }

    /** The length of an array, 0 for null: for sizing tables. */
    public static int length(Object[] a) {
        return a == null ? 0 : a.length;
    }

    public static int length(long[] a) {
        return a == null ? 0 : a.length;
    }

    /** Writes an array length, or −1 for a null array, in one varint. */
    public static void writeLength(DataOutputView out, int lengthOrMinusOne) throws IOException {
        writeVarInt(out, lengthOrMinusOne + 1);
    }

    /** The length written by {@link #writeLength}; −1 for null. */
    public static int readLength(DataInputView in) throws IOException {
        int n = readVarInt(in) - 1;
        if (n < -1) {
            throw new IOException("malformed length " + n);
        }
        return n;
    }

    /**
     * Writes time {@code t} relative to {@code base}: 1 byte for {@link Long#MIN_VALUE}, a few bytes
     * when {@code t} is near {@code base}, 9 bytes at worst. The reader must pass the same base.
     */
    public static void writeTime(DataOutputView out, long t, long base) throws IOException {
        if (t == Long.MIN_VALUE) {
            writeVarLong(out, TIME_NONE);
            return;
        }
        long d = t - base; // modular: exact even when it overflows
        long zigzag = (d << 1) ^ (d >> 63);
        if (Long.compareUnsigned(zigzag, -2L) < 0) {
            writeVarLong(out, zigzag + 2);
        } else {
            writeVarLong(out, TIME_RAW);
            out.writeLong(t);
        }
    }

    public static long readTime(DataInputView in, long base) throws IOException {
        long code = readVarLong(in);
        if (code == TIME_NONE) {
            return Long.MIN_VALUE;
        }
        if (code == TIME_RAW) {
            return in.readLong();
        }
        long z = code - 2;
        return base + ((z >>> 1) ^ -(z & 1));
    }

    /**
     * Writes a double array (null allowed): as zig-zag varints of 4·v when every value is a multiple
     * of 1/4 below 2^24 in magnitude (event weights, counts, ratings, their sums: a byte or two each),
     * else as 4-byte floats when every value converts to a float and back to the same bits, else as
     * 8-byte doubles. The reader takes all three modes (formats before the varint mode hold only the
     * other two).
     */
    public static void writeDoubles(DataOutputView out, double[] a) throws IOException {
        if (a == null) {
            writeLength(out, -1);
            return;
        }
        writeLength(out, a.length);
        if (a.length == 0) {
            return;
        }
        if (allQuarters(a)) {
            out.writeByte(QUARTERS);
            for (double v : a) {
                writeSignedVarLong(out, (long) (v * 4));
            }
        } else if (allFloats(a)) {
            out.writeByte(FLOATS);
            for (double v : a) {
                out.writeFloat((float) v);
            }
        } else {
            out.writeByte(DOUBLES);
            for (double v : a) {
                out.writeDouble(v);
            }
        }
    }

    public static double[] readDoubles(DataInputView in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        double[] a = new double[n];
        if (n == 0) {
            return a;
        }
        byte mode = in.readByte();
        if (mode == QUARTERS) {
            for (int i = 0; i < n; i++) {
                a[i] = readSignedVarLong(in) / 4.0;
            }
        } else if (mode == FLOATS) {
            for (int i = 0; i < n; i++) {
                a[i] = in.readFloat();
            }
        } else if (mode == DOUBLES) {
            for (int i = 0; i < n; i++) {
                a[i] = in.readDouble();
            }
        } else {
            throw new IOException("unknown double array mode " + mode);
        }
        return a;
    }

    /** Whether every value is k/4 for an integer |k| < 2^26 (−0.0 and NaN are not: they would not read back). */
    private static boolean allQuarters(double[] a) {
        for (double v : a) {
            double k = v * 4;
            if (!(Math.abs(k) < QUARTERS_BOUND)
                    || k != Math.rint(k)
                    || Double.doubleToRawLongBits(v) == NEGATIVE_ZERO) {
                return false;
            }
        }
        return true;
    }

    private static boolean allFloats(double[] a) {
        for (double v : a) {
            if (Double.doubleToRawLongBits((float) v) != Double.doubleToRawLongBits(v)) {
                return false;
            }
        }
        return true;
    }

    /** Writes a long array (null allowed), 8 bytes a value: the ids' hashes are uniformly spread. */
    public static void writeLongs(DataOutputView out, long[] a) throws IOException {
        if (a == null) {
            writeLength(out, -1);
            return;
        }
        writeLength(out, a.length);
        for (long v : a) {
            out.writeLong(v);
        }
    }

    public static long[] readLongs(DataInputView in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readLong();
        }
        return a;
    }

    /** Writes a boolean array (null allowed) as a bit set, 8 values a byte. */
    public static void writeBooleans(DataOutputView out, boolean[] a) throws IOException {
        if (a == null) {
            writeLength(out, -1);
            return;
        }
        writeLength(out, a.length);
        for (int i = 0; i < a.length; i += 8) {
            int b = 0;
            for (int j = 0; j < 8 && i + j < a.length; j++) {
                if (a[i + j]) {
                    b |= 1 << j;
                }
            }
            out.writeByte(b);
        }
    }

    public static boolean[] readBooleans(DataInputView in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i += 8) {
            int b = in.readUnsignedByte();
            for (int j = 0; j < 8 && i + j < n; j++) {
                a[i + j] = (b & (1 << j)) != 0;
            }
        }
        return a;
    }
}
