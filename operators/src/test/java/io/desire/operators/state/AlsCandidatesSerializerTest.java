package io.desire.operators.state;

import io.desire.operators.als.AlsCandidates;
import io.desire.operators.als.AlsCandidatesSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class AlsCandidatesSerializerTest extends CompactSerializerContract<AlsCandidates> {
    @Override
    protected TypeSerializer<AlsCandidates> createSerializer() {
        return AlsCandidatesSerializer.INSTANCE;
    }

    @Override
    protected Class<AlsCandidates> getTypeClass() {
        return AlsCandidates.class;
    }

    @Override
    protected AlsCandidates[] getTestData() {
        return StateSamples.alsCandidates();
    }
}
