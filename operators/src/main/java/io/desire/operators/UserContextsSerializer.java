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
 */
public final class UserContextsSerializer extends CompactSerializer<UserContexts> {
    private static final long serialVersionUID = 1L;

    /** The one instance: the serializer has no state. */
    public static final UserContextsSerializer INSTANCE = new UserContextsSerializer();

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

    /** Snapshot of {@link UserContextsSerializer}; restores savepoints of the POJO format too. */
    public static final class Snapshot extends CompactSerializerSnapshot<UserContexts> {
        public Snapshot() {
            super(UserContexts.class, () -> INSTANCE);
        }
    }
}
