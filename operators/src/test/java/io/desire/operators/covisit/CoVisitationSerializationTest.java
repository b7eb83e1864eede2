package io.desire.operators.covisit;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.desire.operators.als.ItemTransition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Co-visitation records and state are Flink POJOs serialised without Kryo ({@code pipeline.generic-types: false}). */
class CoVisitationSerializationTest {

    @ParameterizedTest
    @ValueSource(classes = {ItemTransition.class, ItemFollowers.class, FollowerState.class})
    void isPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
