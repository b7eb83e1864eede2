package io.desire.operators.state;

import io.desire.operators.UserContexts;
import io.desire.operators.UserContextsSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializer;

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
}
