package io.desire.operators.als;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records and state of online ALS are Flink POJOs serialised without Kryo ({@code pipeline.generic-types: false}). */
class AlsSerializationTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                ItemFactorUpdate.class,
                UserFactorUpdate.class,
                UserFactorState.class,
                ItemFactorState.class,
                AlsCandidates.class
            })
    void isPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
