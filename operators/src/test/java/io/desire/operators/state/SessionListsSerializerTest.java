package io.desire.operators.state;

import io.desire.features.serving.SessionLists;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class SessionListsSerializerTest extends CompactSerializerContract<SessionLists> {
    @Override
    protected TypeSerializer<SessionLists> createSerializer() {
        return SessionListsSerializer.INSTANCE;
    }

    @Override
    protected Class<SessionLists> getTypeClass() {
        return SessionLists.class;
    }

    @Override
    protected SessionLists[] getTestData() {
        return StateSamples.sessionLists();
    }
}
