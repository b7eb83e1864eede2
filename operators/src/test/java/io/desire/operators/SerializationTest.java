package io.desire.operators;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.desire.features.event.DeadLetter;
import io.desire.features.event.Event;
import io.desire.features.event.RawRecord;
import io.desire.features.profile.DecayedScores;
import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.EventType;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every record and state type is a Flink POJO serialised without Kryo ({@code pipeline.generic-types: false}). */
class SerializationTest {

    @ParameterizedTest
    @ValueSource(classes = {
        Event.class, RawRecord.class, DeadLetter.class, RankedItem.class, Recommendation.class,
        TrendingItems.class, DecayedScores.class, UserProfile.class, UserContexts.class,
        CatalogItem.class, ItemPanes.class, UserPanes.class, io.desire.features.privacy.Erasure.class, UserSignal.class, ModelUpdate.class
    })
    void isPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }

    @Test
    void eventWithContextAttributesRoundTrips() throws IOException {
        TypeSerializer<Event> serializer = TypeInformation.of(Event.class).createSerializer(new SerializerConfigImpl());
        Event e = sampleEvent();
        e.attributeKeys = new String[] {"companion", "weather"};
        e.attributeValues = new String[] {"kids", "rain"};

        Event back = serializer.deserialize(new DataInputDeserializer(bytes(serializer, e)));

        assertThat(back).isEqualTo(e);
        assertThat(back.attribute("weather")).isEqualTo("rain");
    }

    /**
     * Events written before {@code attributeKeys}/{@code attributeValues} existed (in a savepoint, or
     * in flight in an unaligned checkpoint) still restore: Flink's POJO schema evolution migrates them,
     * and they come back without attributes.
     */
    @Test
    void eventsWrittenBeforeContextAttributesMigrate() throws IOException {
        SerializerConfigImpl config = new SerializerConfigImpl();
        PojoTypeInfo<Event> info = (PojoTypeInfo<Event>) TypeInformation.of(Event.class);
        List<Field> fields = new ArrayList<>();
        List<TypeSerializer<?>> serializers = new ArrayList<>();
        for (int i = 0; i < info.getArity(); i++) {
            Field f = info.getPojoFieldAt(i).getField();
            if (!f.getName().startsWith("attribute")) {
                fields.add(f);
                serializers.add(info.getPojoFieldAt(i).getTypeInformation().createSerializer(config));
            }
        }
        assertThat(fields).hasSize(info.getArity() - 2);
        PojoSerializer<Event> before = new PojoSerializer<>(
                Event.class, serializers.toArray(new TypeSerializer<?>[0]), fields.toArray(new Field[0]), config);
        Event old = sampleEvent();
        byte[] oldBytes = bytes(before, old);
        DataOutputSerializer snapshotOut = new DataOutputSerializer(512);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshotOut, before.snapshotConfiguration());
        TypeSerializerSnapshot<Event> restoredSnapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotOut.getCopyOfBuffer()), getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<Event> compatibility =
                info.createSerializer(config).snapshotConfiguration().resolveSchemaCompatibility(restoredSnapshot);
        Event migrated = restoredSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(oldBytes));

        assertThat(compatibility.isCompatibleAfterMigration()).as(compatibility.toString()).isTrue();
        assertThat(migrated).isEqualTo(old);
        assertThat(migrated.attributeKeys).isNull();
        assertThat(migrated.attributeValues).isNull();
    }

    private static Event sampleEvent() {
        Event e = new Event();
        e.eventId = "e1";
        e.ts = 1_748_685_600_000L;
        e.type = EventType.VIEW;
        e.userId = "u1";
        e.itemId = "i1";
        e.geoCell = "u09tv";
        e.timeBucket = "weekend-morning";
        e.deviceClass = "mobile";
        return e;
    }

    private static byte[] bytes(TypeSerializer<Event> serializer, Event e) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(e, out);
        return out.getCopyOfBuffer();
    }
}
