package io.desire.operators.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.operators.UserContexts;
import io.desire.operators.UserContextsSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class UserContextsSerializerTest extends CompactSerializerContract<UserContexts> {
    @Override
    protected TypeSerializer<UserContexts> createSerializer() {
        return UserContextsSerializer.INSTANCE;
    }

    @Override
    protected Class<UserContexts> getTypeClass() {
        return UserContexts.class;
    }

    @Override
    protected UserContexts[] getTestData() {
        return StateSamples.contexts();
    }

    /**
     * State of the job before written documents were kept (format 1) restores: its snapshot resolves
     * to a migration, the restored serializer reads its bytes, and the values carry no written document.
     */
    @Test
    void stateInFormatOneRestoresWithoutWrittenDocumentsAndMigrates() throws IOException {
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(16);
        UserContextsSerializer.V1.snapshotConfiguration().writeSnapshot(snapshotBytes);
        UserContextsSerializer.Snapshot old = new UserContextsSerializer.Snapshot();
        old.readSnapshot(
                1,
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()),
                getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<UserContexts> compatibility =
                new UserContextsSerializer.Snapshot().resolveSchemaCompatibility(old);
        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        TypeSerializer<UserContexts> restored = old.restoreSerializer();
        assertThat(restored).isSameAs(UserContextsSerializer.V1).isNotEqualTo(UserContextsSerializer.INSTANCE);
        assertThat(new UserContextsSerializer.Snapshot().getCurrentVersion()).isEqualTo(UserContextsSerializer.FORMAT);

        for (UserContexts value : StateSamples.contexts()) {
            DataOutputSerializer formatOne = new DataOutputSerializer(256);
            UserContextsSerializer.V1.serialize(value, formatOne);
            UserContexts read = restored.deserialize(new DataInputDeserializer(formatOne.getCopyOfBuffer()));
            assertEqualState(read.keys, value.keys, "keys");
            assertEqualState(read.emittedEventTime, value.emittedEventTime, "emitted");
            assertEqualState(read.pendingEventTime, value.pendingEventTime, "pending");
            assertThat(read.timerAt).isEqualTo(value.timerAt);
            assertThat(read.fingerprint).as("no written document known").isEmpty();

            UserContexts migrated = roundTrip(UserContextsSerializer.INSTANCE, read);
            assertEqualState(migrated, read, "written again in format 2");
            if (migrated.keys != null && migrated.keys.length > 0) {
                assertThat(migrated.writtenRecently(0, UserContexts.fingerprintOf("m", new String[] {"a"}), 0L, 1_000L))
                        .as("the first document after the restore is written")
                        .isFalse();
            }
        }
    }

    @Test
    void fingerprintsTellListsApartByItemsOrderAndModelVersion() {
        long ab = UserContexts.fingerprintOf("source-als", new String[] {"a", "b"});
        assertThat(UserContexts.fingerprintOf("source-als", new String[] {"a", "b"}))
                .isEqualTo(ab);
        assertThat(UserContexts.fingerprintOf("source-als", new String[] {"b", "a"}))
                .isNotEqualTo(ab);
        assertThat(UserContexts.fingerprintOf("source-als", new String[] {"a"})).isNotEqualTo(ab);
        assertThat(UserContexts.fingerprintOf("ftrl-7", new String[] {"a", "b"}))
                .isNotEqualTo(ab);
        assertThat(UserContexts.fingerprintOf("source-als", new String[] {"ab"}))
                .isNotEqualTo(ab);
        assertThat(UserContexts.fingerprintOf(null, new String[0])).isNotEqualTo(UserContexts.NO_FINGERPRINT);
    }
}
