package io.desire.operators.event;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Snapshot of {@link EventSerializer}: the format version and the {@link EventType} constants in
 * ordinal order. Events written under other constants (a type removed or moved) are declared
 * incompatible rather than read with the wrong type; new constants at the end read old events as
 * they are.
 */
public final class EventSerializerSnapshot implements TypeSerializerSnapshot<Event> {
    private static final int VERSION = 1;

    private String[] types;

    /** For Flink's reflective restore; {@link #readSnapshot} fills it in. */
    public EventSerializerSnapshot() {
        this(EventType.values());
    }

    EventSerializerSnapshot(EventType[] types) {
        this.types = Arrays.stream(types).map(Enum::name).toArray(String[]::new);
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeInt(types.length);
        for (String t : types) {
            out.writeUTF(t);
        }
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        if (readVersion != VERSION) {
            throw new IOException("unknown EventSerializer snapshot version " + readVersion);
        }
        int n = in.readInt();
        types = new String[n];
        for (int i = 0; i < n; i++) {
            types[i] = in.readUTF();
        }
    }

    @Override
    public TypeSerializer<Event> restoreSerializer() {
        return EventSerializer.INSTANCE;
    }

    @Override
    public TypeSerializerSchemaCompatibility<Event> resolveSchemaCompatibility(
            TypeSerializerSnapshot<Event> oldSnapshot) {
        if (!(oldSnapshot instanceof EventSerializerSnapshot old)) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        if (old.types.length > types.length || !Arrays.equals(old.types, Arrays.copyOf(types, old.types.length))) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }
}
