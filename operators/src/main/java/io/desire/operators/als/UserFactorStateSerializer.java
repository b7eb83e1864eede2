package io.desire.operators.als;

import io.desire.operators.state.CompactCodec;
import io.desire.operators.state.CompactSerializer;
import io.desire.operators.state.CompactSerializerSnapshot;
import io.desire.operators.state.StringTable;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link UserFactorState} in the compact format: the factor vector as doubles, the interactions'
 * items front-coded through a {@link StringTable}, their evidence as floats when every value is one
 * exactly (summed event weights usually are), the event time as a varint.
 */
public final class UserFactorStateSerializer extends CompactSerializer<UserFactorState> {
    private static final long serialVersionUID = 1L;

    /** The one instance: the serializer has no state. */
    public static final UserFactorStateSerializer INSTANCE = new UserFactorStateSerializer();

    /**
     * Version of the format: 2 writes doubles as small integers where they are multiples of 1/4
     * ({@link CompactCodec#writeDoubles}); format 1 is read as is.
     */
    public static final int FORMAT = 2;

    @Override
    public UserFactorState createInstance() {
        return new UserFactorState();
    }

    @Override
    public void serialize(UserFactorState s, DataOutputView out) throws IOException {
        StringTable strings = new StringTable(CompactCodec.length(s.items));
        int[] items = strings.refs(s.items);
        strings.write(out);
        StringTable.writeRefs(out, items);
        CompactCodec.writeDoubles(out, s.factors);
        CompactCodec.writeDoubles(out, s.values);
        CompactCodec.writeTime(out, s.eventTime, 0);
    }

    @Override
    public UserFactorState deserialize(DataInputView in) throws IOException {
        String[] strings = StringTable.read(in);
        UserFactorState s = new UserFactorState();
        s.items = StringTable.refs(in, strings);
        s.factors = CompactCodec.readDoubles(in);
        s.values = CompactCodec.readDoubles(in);
        s.eventTime = CompactCodec.readTime(in, 0);
        return s;
    }

    @Override
    public Snapshot snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of {@link UserFactorStateSerializer}; restores savepoints of the POJO format too. */
    public static final class Snapshot extends CompactSerializerSnapshot<UserFactorState> {
        public Snapshot() {
            super(UserFactorState.class, FORMAT, () -> INSTANCE);
        }
    }
}
