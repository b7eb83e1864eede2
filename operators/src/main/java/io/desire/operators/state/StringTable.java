package io.desire.operators.state;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The dictionary of one state value's strings: each distinct string is written once, front-coded
 * against the one before it (ids such as {@code item-000123} share most of their prefix), and every
 * use of it is a varint reference (0 for null). A profile names the same item in its affinities, its
 * recent sequence and its purchases, and the same category on many items: each costs one byte a use.
 *
 * <p>Write side: take the {@link #ref(String) reference} of every string use (which builds the
 * table), {@link #write} the table, then the references. Read side: {@link #read} the table, then
 * resolve references with {@link #ref(DataInputView, String[])}.
 * An instance serves one value and one thread.
 */
public final class StringTable {
    // Open addressing over the strings' cached hash codes: a value's strings are looked up twice
    // each (add, then ref), and a boxed HashMap made that the serializer's main cost.
    private String[] slots;
    private int[] slotIds;
    private String[] strings;
    private int size;

    /** A table for about {@code expected} string uses (distinct or not): sized once, no rehash. */
    public StringTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, 2 * expected - 1)) << 1;
        slots = new String[capacity];
        slotIds = new int[capacity];
        strings = new String[capacity / 2];
    }

    /**
     * Adds {@code s} unless present and returns its reference: 0 for null, else its index + 1. One
     * lookup per use: the references are kept and written after the table.
     */
    public int ref(String s) {
        if (s == null) {
            return 0;
        }
        int mask = slots.length - 1;
        for (int i = mix(s.hashCode()) & mask; ; i = (i + 1) & mask) {
            String at = slots[i];
            if (at == null) {
                slots[i] = s;
                slotIds[i] = size;
                if (size == strings.length) {
                    strings = Arrays.copyOf(strings, size * 2);
                }
                strings[size++] = s;
                if (2 * size > slots.length) {
                    rehash();
                }
                return size;
            }
            if (at == s || at.equals(s)) {
                return slotIds[i] + 1;
            }
        }
    }

    /** The {@link #ref references} of every string of {@code a}; null for a null array. */
    public int[] refs(String[] a) {
        if (a == null) {
            return null;
        }
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = ref(a[i]);
        }
        return r;
    }

    private void rehash() {
        slots = new String[slots.length * 2];
        slotIds = new int[slots.length];
        int mask = slots.length - 1;
        for (int id = 0; id < size; id++) {
            int i = mix(strings[id].hashCode()) & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = strings[id];
            slotIds[i] = id;
        }
    }

    private static int mix(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    /** Writes the table: its size, then each string as (shared prefix length, rest). */
    public void write(DataOutputView out) throws IOException {
        CompactCodec.writeVarInt(out, size);
        String previous = "";
        for (int t = 0; t < size; t++) {
            String s = strings[t];
            int shared = sharedPrefix(previous, s);
            CompactCodec.writeVarInt(out, shared);
            CompactCodec.writeVarInt(out, s.length() - shared);
            for (int i = shared; i < s.length(); i++) {
                CompactCodec.writeVarInt(out, s.charAt(i));
            }
            previous = s;
        }
    }

    /** Writes one reference. */
    public static void writeRef(DataOutputView out, int ref) throws IOException {
        CompactCodec.writeVarInt(out, ref);
    }

    /** Writes an array of references (null for a null array). */
    public static void writeRefs(DataOutputView out, int[] refs) throws IOException {
        if (refs == null) {
            CompactCodec.writeLength(out, -1);
            return;
        }
        CompactCodec.writeLength(out, refs.length);
        for (int r : refs) {
            CompactCodec.writeVarInt(out, r);
        }
    }

    /** Reads a table written by {@link #write}. */
    public static String[] read(DataInputView in) throws IOException {
        int n = CompactCodec.readVarInt(in);
        String[] table = new String[n];
        char[] buf = new char[64];
        int previousLength = 0;
        for (int t = 0; t < n; t++) {
            int shared = CompactCodec.readVarInt(in);
            int rest = CompactCodec.readVarInt(in);
            if (shared > previousLength || rest < 0) {
                throw new IOException("malformed string table entry " + t);
            }
            int length = shared + rest;
            if (length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(length, buf.length * 2));
            }
            for (int i = shared; i < length; i++) {
                buf[i] = (char) CompactCodec.readVarInt(in);
            }
            table[t] = new String(buf, 0, length);
            previousLength = length;
        }
        return table;
    }

    /** Resolves one reference against a {@link #read} table. */
    public static String ref(DataInputView in, String[] table) throws IOException {
        int r = CompactCodec.readVarInt(in);
        if (r > table.length) {
            throw new IOException("string reference " + r + " beyond a table of " + table.length);
        }
        return r == 0 ? null : table[r - 1];
    }

    /** Resolves an array of references written by {@link #refs}. */
    public static String[] refs(DataInputView in, String[] table) throws IOException {
        int n = CompactCodec.readLength(in);
        if (n < 0) {
            return null;
        }
        String[] a = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = ref(in, table);
        }
        return a;
    }

    private static int sharedPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
