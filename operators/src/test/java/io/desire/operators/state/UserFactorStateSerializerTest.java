package io.desire.operators.state;

import io.desire.operators.als.UserFactorState;
import io.desire.operators.als.UserFactorStateSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class UserFactorStateSerializerTest extends CompactSerializerContract<UserFactorState> {
    @Override
    protected TypeSerializer<UserFactorState> createSerializer() {
        return UserFactorStateSerializer.INSTANCE;
    }

    @Override
    protected Class<UserFactorState> getTypeClass() {
        return UserFactorState.class;
    }

    @Override
    protected UserFactorState[] getTestData() {
        return StateSamples.factorStates();
    }
}
