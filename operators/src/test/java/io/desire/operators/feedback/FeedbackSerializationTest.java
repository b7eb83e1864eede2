package io.desire.operators.feedback;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.FtrlState;
import io.desire.features.ftrl.HashedFeatures;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records and state of the feedback join and the FTRL model are Flink POJOs serialised without Kryo. */
class FeedbackSerializationTest {

    @ParameterizedTest
    @ValueSource(classes = {LabeledExample.class, PendingItem.class, FtrlState.class, HashedFeatures.class})
    void isPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }

    @Test
    void trainedModelStateRoundTripsThroughFlinksSerializer() throws Exception {
        FtrlModel model = new FtrlModel(FtrlParams.defaults().withBits(10));
        model.update(new int[] {1, 17, 900}, new double[] {1, 0.5, -2}, 1);
        model.update(new int[] {17, 1000}, new double[] {1, 1}, 0);

        TypeSerializer<FtrlState> serializer =
                TypeInformation.of(FtrlState.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(model.state(), out);
        FtrlState restored = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(restored).isEqualTo(model.state());
        FtrlModel resumed = new FtrlModel(model.params(), restored);
        assertThat(resumed.version()).isEqualTo(2);
        assertThat(resumed.predict(new int[] {1, 17}, new double[] {1, 1}))
                .isEqualTo(model.predict(new int[] {1, 17}, new double[] {1, 1}));
    }
}
