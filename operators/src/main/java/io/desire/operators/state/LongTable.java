package io.desire.operators.state;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The dictionary of one state value's 64-bit hashes: each distinct non-zero value written once (8
 * bytes), every use a varint reference, 0 standing for the value 0 (an empty slot). For lists whose
 * entries repeat across arrays. An instance serves one value and one thread.
 */
public final class LongTable {
    // Open addressing, no boxing; slot value 0 is "free" (0 itself is never stored).
    private long[] slots;
    private int[] slotIds;
    private long[] values;
    private int size;

    /** A table for about {@code expected} values (distinct or not): sized once, no rehash. */
    public LongTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, 2 * expected - 1)) << 1;
        slots = new long[capacity];
        slotIds = new int[capacity];
        values = new long[capacity / 2];
    }

    /**
     * Adds the non-zero values of {@code a} and returns their references (0 for the value 0, else
     * index + 1); null for a null array.
     */
    public int[] refs(long[] a) {
        if (a == null) {
            return null;
        }
        int[] r = new int[a.length];
        for (int j = 0; j < a.length; j++) {
            if (a[j] != 0) {
                r[j] = ref(a[j]);
            }
        }
        return r;
    }

    /** One probe sequence: the value's reference, adding it first when new. */
    private int ref(long v) {
        int mask = slots.length - 1;
        for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
            long at = slots[i];
            if (at == v) {
                return slotIds[i] + 1;
            }
            if (at == 0) {
                if (size == values.length) {
                    values = Arrays.copyOf(values, size * 2);
                }
                slots[i] = v;
                slotIds[i] = size;
                values[size++] = v;
                if (2 * size > slots.length) {
                    rehash();
                }
                return size;
            }
        }
    }

    private void insert(long v, int id) {
        int mask = slots.length - 1;
        int i = mix(v) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = v;
        slotIds[i] = id;
    }

    private void rehash() {
        slots = new long[slots.length * 2];
        slotIds = new int[slots.length];
        for (int id = 0; id < size; id++) {
            insert(values[id], id);
        }
    }

    private static int mix(long v) {
        return (int) ((v * 0x9E3779B97F4A7C15L) >>> 32);
    }

    public void write(DataOutputView out) throws IOException {
        CompactCodec.writeVarInt(out, size);
        for (int i = 0; i < size; i++) {
            out.writeLong(values[i]);
        }
    }

    /** Writes references from {@link #refs(long[])} (null for a null array). */
    public static void writeRefs(DataOutputView out, int[] refs) throws IOException {
        StringTable.writeRefs(out, refs);
    }

    public static long[] read(DataInputView in) throws IOException {
        int n = CompactCodec.readVarInt(in);
        long[] table = new long[n];
        for (int i = 0; i < n; i++) {
            table[i] = in.readLong();
        }
        return table;
    }

    public static long[] refs(DataInputView in, long[] table) throws IOException {
        int n = CompactCodec.readLength(in);
        if (n < 0) {
            return null;
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            int r = CompactCodec.readVarInt(in);
            if (r > table.length) {
                throw new IOException("hash reference " + r + " beyond a table of " + table.length);
            }
            a[i] = r == 0 ? 0 : table[r - 1];
        }
        return a;
    }
}
