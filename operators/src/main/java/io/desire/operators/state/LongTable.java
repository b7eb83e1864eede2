package io.desire.operators.state;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The dictionary of one state value's 64-bit hashes: each distinct non-zero value written once (8
 * bytes), every use a varint reference, 0 standing for the value 0 (an empty slot). For lists whose
 * entries repeat across arrays. An instance serves one value and one thread.
 */
public final class LongTable {
    private final Map<Long, Integer> ids = new HashMap<>();
    private long[] values = new long[16];
    private int size;

    /** Adds every non-zero value of {@code a} (null ignored). */
    public void addAll(long[] a) {
        if (a == null) {
            return;
        }
        for (long v : a) {
            if (v != 0 && !ids.containsKey(v)) {
                if (size == values.length) {
                    values = java.util.Arrays.copyOf(values, size * 2);
                }
                ids.put(v, size);
                values[size++] = v;
            }
        }
    }

    public void write(DataOutputView out) throws IOException {
        CompactCodec.writeVarInt(out, size);
        for (int i = 0; i < size; i++) {
            out.writeLong(values[i]);
        }
    }

    /** Writes {@code a} (null allowed) as references into this table. */
    public void refs(DataOutputView out, long[] a) throws IOException {
        if (a == null) {
            CompactCodec.writeLength(out, -1);
            return;
        }
        CompactCodec.writeLength(out, a.length);
        for (long v : a) {
            CompactCodec.writeVarInt(out, v == 0 ? 0 : ids.get(v) + 1);
        }
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
