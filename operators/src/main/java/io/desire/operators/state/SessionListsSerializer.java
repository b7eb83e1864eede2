package io.desire.operators.state;

import io.desire.features.serving.SessionLists;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link SessionLists} in the compact format: the last event time and k as varints, the per-arm
 * flags as bit sets, and the two hash lists through one table of distinct hashes (8 bytes each) and
 * a one-byte reference per slot: arms share many items, the lists of the session and of the latest
 * document are often the same, and empty slots (0) cost one byte.
 */
public final class SessionListsSerializer extends CompactSerializer<SessionLists> {
    private static final long serialVersionUID = 1L;

    /** The one instance: the serializer has no state. */
    public static final SessionListsSerializer INSTANCE = new SessionListsSerializer();

    @Override
    public SessionLists createInstance() {
        return new SessionLists();
    }

    @Override
    public void serialize(SessionLists s, DataOutputView out) throws IOException {
        CompactCodec.writeTime(out, s.lastEventTime, 0);
        CompactCodec.writeSignedVarLong(out, s.k);
        LongTable hashes = new LongTable(CompactCodec.length(s.hashes) + CompactCodec.length(s.nextHashes));
        int[] session = hashes.refs(s.hashes);
        int[] next = s.nextHashes == s.hashes ? session : hashes.refs(s.nextHashes);
        hashes.write(out);
        LongTable.writeRefs(out, session);
        CompactCodec.writeBooleans(out, s.scored);
        LongTable.writeRefs(out, next);
        CompactCodec.writeBooleans(out, s.nextScored);
    }

    @Override
    public SessionLists deserialize(DataInputView in) throws IOException {
        SessionLists s = new SessionLists();
        s.lastEventTime = CompactCodec.readTime(in, 0);
        s.k = (int) CompactCodec.readSignedVarLong(in);
        long[] hashes = LongTable.read(in);
        s.hashes = LongTable.refs(in, hashes);
        s.scored = CompactCodec.readBooleans(in);
        s.nextHashes = LongTable.refs(in, hashes);
        s.nextScored = CompactCodec.readBooleans(in);
        return s;
    }

    @Override
    public Snapshot snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of {@link SessionListsSerializer}; restores savepoints of the POJO format too. */
    public static final class Snapshot extends CompactSerializerSnapshot<SessionLists> {
        public Snapshot() {
            super(SessionLists.class, () -> INSTANCE);
        }
    }
}
