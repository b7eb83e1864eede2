package io.desire.operators.state;

import io.desire.features.serving.ConsumedItems;
import org.apache.flink.api.common.typeutils.TypeSerializer;

class ConsumedItemsSerializerTest extends CompactSerializerContract<ConsumedItems> {
    @Override
    protected TypeSerializer<ConsumedItems> createSerializer() {
        return ConsumedItemsSerializer.INSTANCE;
    }

    @Override
    protected Class<ConsumedItems> getTypeClass() {
        return ConsumedItems.class;
    }

    @Override
    protected ConsumedItems[] getTestData() {
        return StateSamples.consumed();
    }
}
