package io.desire.operators.ranker;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.ftrl.HashedFeatures;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Records and state of the ranker are Flink POJOs serialised without Kryo; replica version rules. */
class RankerSerializationTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                ServedFeatures.class,
                TrainingExample.class,
                WeightDelta.class,
                RankerWeights.class,
                ServedHistory.class,
                RankerCandidate.class,
                FmWeights.class,
                io.desire.features.fm.FmState.class
            })
    void isPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }

    @Test
    void servedHistoryRoundTripsThroughFlinksSerializer() throws Exception {
        ServedHistory h = new ServedHistory();
        h.add(20, new HashedFeatures(new int[] {1, 5}, new double[] {1, 2}), 2);
        h.add(10, new HashedFeatures(new int[] {2}, new double[] {1}), 2);
        h.add(30, new HashedFeatures(new int[] {3}, new double[] {1}), 2);
        h.cleanupAt = 99;
        TypeSerializer<ServedHistory> s =
                TypeInformation.of(ServedHistory.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(h, out);
        ServedHistory back = s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.servedAt).as("newest two, oldest first").containsExactly(20, 30);
        assertThat(back.features).containsExactly(h.features);
        assertThat(back.cleanupAt).isEqualTo(99);
        assertThat(back.latestAtOrBefore(25, 0)).isEqualTo(h.features[0]);
        assertThat(back.latestAtOrBefore(25, 21)).isNull();
        assertThat(back.latestAtOrBefore(19, 0)).isNull();
    }

    @Test
    void aFullDeltaReplacesTheReplicaWeightsEvenWhenOlder() {
        RankerWeights w = new RankerWeights();
        assertThat(w.score(new HashedFeatures(new int[] {1}, new double[] {1}))).isEqualTo(0.5);
        w.apply(new WeightDelta(10, 8, false, new int[] {1, 2}, new double[] {0.5, -0.5}));
        assertThat(w.apply(new WeightDelta(9, 8, false, new int[] {1}, new double[] {9})))
                .isFalse();
        assertThat(w.apply(new WeightDelta(10, 8, false, new int[] {3}, new double[] {1})))
                .isTrue();
        assertThat(w.weights).containsExactly(0, 0.5, -0.5, 1, 0, 0, 0, 0);
        assertThat(w.apply(new WeightDelta(4, 8, true, new int[] {2}, new double[] {2})))
                .isTrue();
        assertThat(w.weights).containsExactly(0, 0, 2, 0, 0, 0, 0, 0);
        assertThat(w.version).isEqualTo(4);
        assertThatThrownBy(() -> w.apply(new WeightDelta(11, 16, false, new int[0], new double[0])))
                .hasMessageContaining("same bits");
    }
}
