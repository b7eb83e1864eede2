package io.desire.operators.serving;

import io.desire.features.serving.ArmScores;
import io.desire.features.serving.ConsumedItems;
import io.desire.features.serving.SessionLists;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** The serving path's new state types are Flink POJOs, so savepoints never hold Kryo bytes. */
class ServingStateTypesTest {
    @Test
    void consumedItemsAndArmScoresAreSerialisedAsPojosWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ConsumedItems.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ArmScores.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SessionLists.class);
    }
}
