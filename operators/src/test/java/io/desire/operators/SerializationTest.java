package io.desire.operators;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.DeadLetter;
import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.event.RawRecord;
import io.desire.features.profile.DecayedScores;
import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import io.desire.operators.serving.ModelUpdate;
import io.desire.operators.serving.UserSignal;
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
    @ValueSource(
            classes = {
                Event.class,
                RawRecord.class,
                DeadLetter.class,
                RankedItem.class,
                Recommendation.class,
                TrendingItems.class,
                DecayedScores.class,
                UserProfile.class,
                UserContexts.class,
                CatalogItem.class,
                ItemPanes.class,
                PaneTotals.class,
                PendingPane.class,
                UserPanes.class,
                PaneUsers.class,
                io.desire.features.privacy.Erasure.class,
                UserSignal.class,
                ModelUpdate.class
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
        Event old = sampleEvent();
        Event migrated = writtenWithoutThenRead(Event.class, "attribute", old, 2);
        assertThat(migrated).isEqualTo(old);
        assertThat(migrated.attributeKeys).isNull();
        assertThat(migrated.attributeValues).isNull();
    }

    /** A user's contexts written before the per-context attributes existed restore without any, and stay usable. */
    @Test
    void userContextsWrittenBeforeAttributesMigrate() throws IOException {
        UserContexts old = new UserContexts();
        old.markPending("a:weekday-evening:mobile", 10L, 32);
        old.markPending("b:weekend-night:tv", 20L, 32);
        old.markEmitted(0);
        old.attributes = null; // as the old serializer never wrote them

        UserContexts migrated = writtenWithoutThenRead(UserContexts.class, "attributes", old, 1);

        assertThat(migrated.keys).containsExactly(old.keys);
        assertThat(migrated.emittedEventTime).containsExactly(old.emittedEventTime);
        assertThat(migrated.pendingEventTime).containsExactly(old.pendingEventTime);
        assertThat(migrated.attributesAt(1)).isDeepEqualTo(new String[][] {null, null});
        migrated.markPending("b:weekend-night:tv", 30L, 32, "weather\u0001rain");
        migrated.markPending("c:weekday-morning:desktop", 40L, 32);
        assertThat(migrated.attributesAt(1)[1]).containsExactly("rain");
        assertThat(migrated.attributesAt(0)).isDeepEqualTo(new String[][] {null, null});
        assertThat(migrated.attributesAt(2)).isDeepEqualTo(new String[][] {null, null});
        assertThat(migrated.attributes).hasSameSizeAs(migrated.keys);
    }

    /**
     * Writes {@code value} with the POJO serializer of {@code type} minus the fields whose names start
     * with {@code dropped} (the class as it was before they existed), then restores it through the
     * current serializer's schema-compatibility check, as a savepoint restore does.
     */
    private static <T> T writtenWithoutThenRead(Class<T> type, String dropped, T value, int droppedCount)
            throws IOException {
        SerializerConfigImpl config = new SerializerConfigImpl();
        PojoTypeInfo<T> info = (PojoTypeInfo<T>) TypeInformation.of(type);
        List<Field> fields = new ArrayList<>();
        List<TypeSerializer<?>> serializers = new ArrayList<>();
        for (int i = 0; i < info.getArity(); i++) {
            Field f = info.getPojoFieldAt(i).getField();
            if (!f.getName().startsWith(dropped)) {
                fields.add(f);
                serializers.add(info.getPojoFieldAt(i).getTypeInformation().createSerializer(config));
            }
        }
        assertThat(fields).hasSize(info.getArity() - droppedCount);
        PojoSerializer<T> before = new PojoSerializer<>(
                type, serializers.toArray(new TypeSerializer<?>[0]), fields.toArray(new Field[0]), config);
        DataOutputSerializer valueOut = new DataOutputSerializer(256);
        before.serialize(value, valueOut);
        DataOutputSerializer snapshotOut = new DataOutputSerializer(512);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshotOut, before.snapshotConfiguration());
        TypeSerializerSnapshot<T> restoredSnapshot = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotOut.getCopyOfBuffer()), SerializationTest.class.getClassLoader());

        TypeSerializerSchemaCompatibility<T> compatibility =
                info.createSerializer(config).snapshotConfiguration().resolveSchemaCompatibility(restoredSnapshot);
        assertThat(compatibility.isCompatibleAfterMigration())
                .as(compatibility.toString())
                .isTrue();
        return restoredSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(valueOut.getCopyOfBuffer()));
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
