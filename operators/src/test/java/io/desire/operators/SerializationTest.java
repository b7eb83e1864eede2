package io.desire.operators;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.desire.features.event.DeadLetter;
import io.desire.features.event.Event;
import io.desire.features.event.RawRecord;
import io.desire.features.profile.DecayedScores;
import io.desire.features.profile.UserProfile;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every record and state type is a Flink POJO serialised without Kryo ({@code pipeline.generic-types: false}). */
class SerializationTest {

    @ParameterizedTest
    @ValueSource(classes = {
        Event.class, RawRecord.class, DeadLetter.class, RankedItem.class, Recommendation.class,
        TrendingItems.class, DecayedScores.class, UserProfile.class, UserContexts.class,
        CatalogItem.class, ItemPanes.class, UserSignal.class, ModelUpdate.class
    })
    void isPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
