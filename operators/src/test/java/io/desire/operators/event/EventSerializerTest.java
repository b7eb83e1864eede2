package io.desire.operators.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Flink's serializer contract for {@link EventSerializer} over events of every shape the parser
 * produces (behaviour, item, user and forget events; every optional field absent or present; empty
 * and non-ASCII values), plus what the format promises: fewer bytes than the POJO format, and a
 * reordered {@link EventType} detected on restore instead of misread.
 */
class EventSerializerTest extends SerializerTestBase<Event> {

    @Override
    protected TypeSerializer<Event> createSerializer() {
        return EventSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<Event> getTypeClass() {
        return Event.class;
    }

    @Override
    protected Event[] getTestData() {
        Event bare = new Event();
        bare.ts = Long.MIN_VALUE;

        Event view = behaviour();

        Event rich = behaviour();
        rich.type = EventType.PURCHASE;
        rich.value = -0.0;
        rich.requestId = "req-ß-1";
        rich.attributeKeys = new String[] {"companion", "weather"};
        rich.attributeValues = new String[] {"kids", ""};
        rich.category = "books";

        Event item = new Event();
        item.eventId = "i-1";
        item.ts = 1_700_000_000_000L;
        item.type = EventType.ITEM;
        item.itemId = "b1";
        item.category = "books";
        item.tags = new String[] {"new", "日本"};
        item.price = Double.NaN;
        item.available = false;

        Event user = new Event();
        user.eventId = "u-1";
        user.ts = 0L;
        user.type = EventType.USER;
        user.userId = "alice";
        user.segment = "gold";
        user.locale = "de-CH";
        user.interests = new String[0];

        Event forget = new Event();
        forget.eventId = "f-1";
        forget.ts = Long.MAX_VALUE;
        forget.type = EventType.FORGET_USER;
        forget.userId = "zoe";

        Event everyType = behaviour();
        everyType.type = EventType.values()[EventType.values().length - 1];
        return new Event[] {bare, view, rich, item, user, forget, everyType};
    }

    private static Event behaviour() {
        Event e = new Event();
        e.eventId = "e-42";
        e.ts = 1_700_000_123_456L;
        e.type = EventType.VIEW;
        e.userId = "alice";
        e.itemId = "b2";
        e.sessionId = "s-9";
        e.geoCell = "u0m";
        e.timeBucket = "weekday-morning";
        e.deviceClass = "mobile";
        return e;
    }

    @Test
    void takesFewerBytesThanThePojoFormat() throws IOException {
        TypeSerializer<Event> pojo = TypeInformation.of(Event.class).createSerializer(new SerializerConfigImpl());
        assertThat(pojo).isNotInstanceOf(EventSerializer.class);
        for (Event e : getTestData()) {
            int compact = bytes(EventSerializer.INSTANCE, e).length;
            assertThat(compact).as(e.eventId + " " + e.type).isLessThan(bytes(pojo, e).length);
            Event viaPojo = pojo.deserialize(new DataInputDeserializer(bytes(pojo, e)));
            assertThat(EventSerializer.INSTANCE.deserialize(
                            new DataInputDeserializer(bytes(EventSerializer.INSTANCE, viaPojo))))
                    .isEqualTo(e);
        }
    }

    @Test
    void restoresFromItsSnapshotAndRejectsEventsWrittenUnderOtherTypes() throws IOException {
        TypeSerializerSnapshot<Event> same = restored(EventType.values());
        assertThat(same.restoreSerializer()).isSameAs(EventSerializer.INSTANCE);
        assertThat(EventSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(same)
                        .isCompatibleAsIs())
                .isTrue();

        EventType[] fewer = java.util.Arrays.copyOf(EventType.values(), EventType.values().length - 1);
        assertThat(EventSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(restored(fewer))
                        .isCompatibleAsIs())
                .as("types added at the end read old events as they are")
                .isTrue();

        EventType[] reordered = EventType.values().clone();
        EventType first = reordered[0];
        reordered[0] = reordered[1];
        reordered[1] = first;
        assertThat(EventSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(restored(reordered))
                        .isIncompatible())
                .isTrue();
    }

    private static TypeSerializerSnapshot<Event> restored(EventType[] types) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        new EventSerializerSnapshot(types).writeSnapshot(out);
        EventSerializerSnapshot back = new EventSerializerSnapshot();
        back.readSnapshot(
                EventSerializer.INSTANCE.snapshotConfiguration().getCurrentVersion(),
                new DataInputDeserializer(out.getCopyOfBuffer()),
                EventSerializerTest.class.getClassLoader());
        return back;
    }

    private static byte[] bytes(TypeSerializer<Event> serializer, Event e) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(e, out);
        return out.getCopyOfBuffer();
    }
}
