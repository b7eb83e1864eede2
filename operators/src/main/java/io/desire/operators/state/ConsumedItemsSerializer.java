package io.desire.operators.state;

import io.desire.features.serving.ConsumedItems;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link ConsumedItems} in the compact format: the length and the sorted 64-bit hashes, 8 bytes each
 * (uniform hashes do not shrink under delta or varint coding). What it saves over the POJO format is
 * the reflection and the per-field framing, not bytes.
 */
public final class ConsumedItemsSerializer extends CompactSerializer<ConsumedItems> {
    private static final long serialVersionUID = 1L;

    /** The one instance: the serializer has no state. */
    public static final ConsumedItemsSerializer INSTANCE = new ConsumedItemsSerializer();

    @Override
    public ConsumedItems createInstance() {
        return new ConsumedItems();
    }

    @Override
    public void serialize(ConsumedItems c, DataOutputView out) throws IOException {
        CompactCodec.writeLongs(out, c.hashes);
    }

    @Override
    public ConsumedItems deserialize(DataInputView in) throws IOException {
        ConsumedItems c = new ConsumedItems();
        c.hashes = CompactCodec.readLongs(in);
        return c;
    }

    @Override
    public Snapshot snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of {@link ConsumedItemsSerializer}; restores savepoints of the POJO format too. */
    public static final class Snapshot extends CompactSerializerSnapshot<ConsumedItems> {
        public Snapshot() {
            super(ConsumedItems.class, () -> INSTANCE);
        }
    }
}
