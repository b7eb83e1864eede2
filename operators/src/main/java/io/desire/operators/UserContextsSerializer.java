package io.desire.operators;

import io.desire.operators.state.CompactCodec;
import io.desire.operators.state.CompactSerializer;
import io.desire.operators.state.CompactSerializerSnapshot;
import io.desire.operators.state.StringTable;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link UserContexts} in the compact format: context keys and encoded attributes through one
 * {@link StringTable} (a user's keys share their geo cell prefix), and every time — emitted, pending,
 * the registered timer — as a small delta from the largest of them, one byte for "none".
 *
 * <p>Format versions: 1 ends with the timer and the flush flag; 2 ({@link #FORMAT}) adds per context
 * the fingerprint of the last written document (8 bytes) and its write time (a delta like the other
 * times). Savepoints in format 1 restore through {@link #V1}, which reads contexts without written
 * documents, and are rewritten in format 2.
 */
public final class UserContextsSerializer extends CompactSerializer<UserContexts> {
    private static final long serialVersionUID = 1L;

    /** Version of the current format. */
    public static final int FORMAT = 2;

    /** The one instance of the current format: the serializer has no state. */
    public static final UserContextsSerializer INSTANCE = new UserContextsSerializer(FORMAT);

    /** Reads (and writes) format 1, for savepoints taken before written documents were kept. */
    public static final UserContextsSerializer V1 = new UserContextsSerializer(1);

    private final int format;

    private UserContextsSerializer(int format) {
        this.format = format;
    }

    /** The serializer of format {@code version}. */
    static UserContextsSerializer ofFormat(int version) {
        return version == 1 ? V1 : INSTANCE;
    }

    @Override
    public UserContexts createInstance() {
        return new UserContexts();
    }

    @Override
    public void serialize(UserContexts c, DataOutputView out) throws IOException {
        StringTable strings = new StringTable(CompactCodec.length(c.keys) + 4);
        int[] keys = strings.refs(c.keys);
        int[] attributes = strings.refs(c.attributes);
        strings.write(out);
        StringTable.writeRefs(out, keys);
        StringTable.writeRefs(out, attributes);
        long base = Math.max(max(c.emittedEventTime), max(c.pendingEventTime));
        CompactCodec.writeTime(out, base, 0);
        writeTimes(out, c.emittedEventTime, base);
        writeTimes(out, c.pendingEventTime, base);
        CompactCodec.writeTime(out, c.timerAt, base);
        out.writeBoolean(c.flushArmed);
        if (format >= 2) {
            CompactCodec.writeLongs(out, c.fingerprint);
            writeTimes(out, c.writtenAt, base);
        }
    }

    @Override
    public UserContexts deserialize(DataInputView in) throws IOException {
        String[] strings = StringTable.read(in);
        UserContexts c = new UserContexts();
        c.keys = StringTable.refs(in, strings);
        c.attributes = StringTable.refs(in, strings);
        long base = CompactCodec.readTime(in, 0);
        c.emittedEventTime = readTimes(in, base);
        c.pendingEventTime = readTimes(in, base);
        c.timerAt = CompactCodec.readTime(in, base);
        c.flushArmed = in.readBoolean();
        if (format >= 2) {
            c.fingerprint = CompactCodec.readLongs(in);
            c.writtenAt = readTimes(in, base);
        }
        return c;
    }

    private static long max(long[] a) {
        long m = Long.MIN_VALUE;
        if (a != null) {
            for (long v : a) {
                m = Math.max(m, v);
            }
        }
        return m;
    }

    private static void writeTimes(DataOutputView out, long[] a, long base) throws IOException {
        if (a == null) {
            CompactCodec.writeLength(out, -1);
            return;
        }
        CompactCodec.writeLength(out, a.length);
        for (long t : a) {
            CompactCodec.writeTime(out, t, base);
        }
    }

    private static long[] readTimes(DataInputView in, long base) throws IOException {
        int n = CompactCodec.readLength(in);
        if (n < 0) {
            return null;
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = CompactCodec.readTime(in, base);
        }
        return a;
    }

    @Override
    public Snapshot snapshotConfiguration() {
        return new Snapshot();
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof UserContextsSerializer other && other.format == format;
    }

    @Override
    public int hashCode() {
        return 31 * getClass().hashCode() + format;
    }

    /**
     * Snapshot of {@link UserContextsSerializer}, version {@value #FORMAT}; restores savepoints of
     * format 1 and of the POJO format too.
     */
    public static final class Snapshot extends CompactSerializerSnapshot<UserContexts> {
        public Snapshot() {
            super(UserContexts.class, FORMAT, UserContextsSerializer::ofFormat);
        }
    }
}
