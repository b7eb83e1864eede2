package io.desire.operators.als;

import io.desire.operators.state.CompactCodec;
import io.desire.operators.state.CompactSerializer;
import io.desire.operators.state.CompactSerializerSnapshot;
import io.desire.operators.state.StringTable;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link AlsCandidates} as the serving operator keeps them, in the compact format: user, items and
 * categories through one {@link StringTable} (front-coded ids, each category once), the scores as
 * doubles, the event time as a varint.
 */
public final class AlsCandidatesSerializer extends CompactSerializer<AlsCandidates> {
    private static final long serialVersionUID = 1L;

    /** The one instance: the serializer has no state. */
    public static final AlsCandidatesSerializer INSTANCE = new AlsCandidatesSerializer();

    /**
     * Version of the format: 2 writes doubles as small integers where they are multiples of 1/4
     * ({@link CompactCodec#writeDoubles}); format 1 is read as is.
     */
    public static final int FORMAT = 2;

    @Override
    public AlsCandidates createInstance() {
        return new AlsCandidates();
    }

    @Override
    public void serialize(AlsCandidates c, DataOutputView out) throws IOException {
        StringTable strings = new StringTable(1 + CompactCodec.length(c.items) + 16);
        int user = strings.ref(c.userId);
        int[] items = strings.refs(c.items);
        int[] categories = strings.refs(c.categories);
        strings.write(out);
        StringTable.writeRef(out, user);
        StringTable.writeRefs(out, items);
        CompactCodec.writeDoubles(out, c.scores);
        StringTable.writeRefs(out, categories);
        CompactCodec.writeTime(out, c.eventTime, 0);
        out.writeBoolean(c.refresh);
    }

    @Override
    public AlsCandidates deserialize(DataInputView in) throws IOException {
        String[] strings = StringTable.read(in);
        AlsCandidates c = new AlsCandidates();
        c.userId = StringTable.ref(in, strings);
        c.items = StringTable.refs(in, strings);
        c.scores = CompactCodec.readDoubles(in);
        c.categories = StringTable.refs(in, strings);
        c.eventTime = CompactCodec.readTime(in, 0);
        c.refresh = in.readBoolean();
        return c;
    }

    @Override
    public Snapshot snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of {@link AlsCandidatesSerializer}; restores savepoints of the POJO format too. */
    public static final class Snapshot extends CompactSerializerSnapshot<AlsCandidates> {
        public Snapshot() {
            super(AlsCandidates.class, FORMAT, () -> INSTANCE);
        }
    }
}
