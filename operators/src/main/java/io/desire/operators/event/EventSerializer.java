package io.desire.operators.event;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.operators.state.CompactSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer of {@link Event}, the record that crosses every keyed exchange of the pipeline:
 * no reflection, one bit per optional field instead of a null marker each, the type as its
 * ordinal, strings in Flink's own compact encoding.
 *
 * <p>Format: a three-byte presence mask (bit {@code i} set when field {@code i} of {@link #FIELDS}
 * is not {@code null}), the event time as a long, then each present field in that order. Strings
 * inside arrays may be {@code null} ({@link StringValue} encodes that). The enum's constants are
 * recorded in the {@link EventSerializerSnapshot}, so a reordered {@link EventType} is detected
 * instead of misread.
 *
 * <p>Stateless and thread-safe: one instance serves every task.
 */
public final class EventSerializer extends CompactSerializer<Event> {
    private static final long serialVersionUID = 1L;

    /** The single instance. */
    public static final EventSerializer INSTANCE = new EventSerializer();

    /** The optional fields in format order; their position is their bit in the presence mask. */
    static final String[] FIELDS = {
        "eventId",
        "type",
        "userId",
        "itemId",
        "value",
        "requestId",
        "sessionId",
        "geoCell",
        "timeBucket",
        "deviceClass",
        "attributeKeys",
        "attributeValues",
        "category",
        "tags",
        "price",
        "available",
        "segment",
        "locale",
        "interests"
    };

    private static final EventType[] TYPES = EventType.values();

    private EventSerializer() {}

    @Override
    public Event createInstance() {
        return new Event();
    }

    /** A field-by-field copy: cheaper than the base class's round trip through the format. */
    @Override
    public Event copy(Event from) {
        return from == null ? null : from.copy();
    }

    @Override
    public void serialize(Event e, DataOutputView out) throws IOException {
        int mask = bit(e.eventId, 0)
                | bit(e.type, 1)
                | bit(e.userId, 2)
                | bit(e.itemId, 3)
                | bit(e.value, 4)
                | bit(e.requestId, 5)
                | bit(e.sessionId, 6)
                | bit(e.geoCell, 7)
                | bit(e.timeBucket, 8)
                | bit(e.deviceClass, 9)
                | bit(e.attributeKeys, 10)
                | bit(e.attributeValues, 11)
                | bit(e.category, 12)
                | bit(e.tags, 13)
                | bit(e.price, 14)
                | bit(e.available, 15)
                | bit(e.segment, 16)
                | bit(e.locale, 17)
                | bit(e.interests, 18);
        out.writeByte(mask);
        out.writeByte(mask >>> 8);
        out.writeByte(mask >>> 16);
        out.writeLong(e.ts);
        string(e.eventId, out);
        if (e.type != null) {
            out.writeByte(e.type.ordinal());
        }
        string(e.userId, out);
        string(e.itemId, out);
        if (e.value != null) {
            out.writeDouble(e.value);
        }
        string(e.requestId, out);
        string(e.sessionId, out);
        string(e.geoCell, out);
        string(e.timeBucket, out);
        string(e.deviceClass, out);
        strings(e.attributeKeys, out);
        strings(e.attributeValues, out);
        string(e.category, out);
        strings(e.tags, out);
        if (e.price != null) {
            out.writeDouble(e.price);
        }
        if (e.available != null) {
            out.writeBoolean(e.available);
        }
        string(e.segment, out);
        string(e.locale, out);
        strings(e.interests, out);
    }

    @Override
    public Event deserialize(DataInputView in) throws IOException {
        int mask = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        Event e = new Event();
        e.ts = in.readLong();
        e.eventId = has(mask, 0) ? StringValue.readString(in) : null;
        if (has(mask, 1)) {
            int ordinal = in.readUnsignedByte();
            if (ordinal >= TYPES.length) {
                throw new IOException("event type ordinal " + ordinal + " unknown; " + TYPES.length + " types");
            }
            e.type = TYPES[ordinal];
        }
        e.userId = has(mask, 2) ? StringValue.readString(in) : null;
        e.itemId = has(mask, 3) ? StringValue.readString(in) : null;
        e.value = has(mask, 4) ? in.readDouble() : null;
        e.requestId = has(mask, 5) ? StringValue.readString(in) : null;
        e.sessionId = has(mask, 6) ? StringValue.readString(in) : null;
        e.geoCell = has(mask, 7) ? StringValue.readString(in) : null;
        e.timeBucket = has(mask, 8) ? StringValue.readString(in) : null;
        e.deviceClass = has(mask, 9) ? StringValue.readString(in) : null;
        e.attributeKeys = has(mask, 10) ? readStrings(in) : null;
        e.attributeValues = has(mask, 11) ? readStrings(in) : null;
        e.category = has(mask, 12) ? StringValue.readString(in) : null;
        e.tags = has(mask, 13) ? readStrings(in) : null;
        e.price = has(mask, 14) ? in.readDouble() : null;
        e.available = has(mask, 15) ? in.readBoolean() : null;
        e.segment = has(mask, 16) ? StringValue.readString(in) : null;
        e.locale = has(mask, 17) ? StringValue.readString(in) : null;
        e.interests = has(mask, 18) ? readStrings(in) : null;
        return e;
    }

    @Override
    public TypeSerializerSnapshot<Event> snapshotConfiguration() {
        return new EventSerializerSnapshot(TYPES);
    }

    private static int bit(Object field, int index) {
        return field == null ? 0 : 1 << index;
    }

    private static boolean has(int mask, int index) {
        return (mask & (1 << index)) != 0;
    }

    private static void string(String s, DataOutputView out) throws IOException {
        if (s != null) {
            StringValue.writeString(s, out);
        }
    }

    private static void strings(String[] a, DataOutputView out) throws IOException {
        if (a != null) {
            out.writeInt(a.length);
            for (String s : a) {
                StringValue.writeString(s, out);
            }
        }
    }

    private static String[] readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative array length " + n);
        }
        String[] a = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = StringValue.readString(in);
        }
        return a;
    }
}
