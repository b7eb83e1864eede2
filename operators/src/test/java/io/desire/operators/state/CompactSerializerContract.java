package io.desire.operators.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/**
 * Flink's serializer contract ({@link SerializerTestBase}: round trips alone and in sequence, copies,
 * snapshot and restore, duplication across threads) for one compact serializer over {@link
 * StateSamples}, with equality field by field; plus the facts the state formats promise: every value
 * reads back equal to what the POJO format stores, in fewer bytes than it.
 */
abstract class CompactSerializerContract<T> extends SerializerTestBase<T> {

    CompactSerializerContract() {
        // the concurrent runs of testDuplicate compare with the checker, not with deepEquals
        super(new DeeplyEqualsChecker()
                .withCustomCheck(
                        (a, b) -> a != null && b != null && !a.getClass().isArray(), (a, b, checker) -> {
                            try {
                                assertEqualState(a, b, "");
                                return true;
                            } catch (AssertionError e) {
                                return false;
                            }
                        }));
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected void deepEquals(String message, T should, T is) {
        assertEqualState(is, should, message);
    }

    /** Field by field; doubles by {@link Double#compare}, so NaN equals NaN and −0.0 differs from 0.0. */
    static void assertEqualState(Object actual, Object expected, String message) {
        assertThat(actual)
                .as(message)
                .usingRecursiveComparison()
                .withComparatorForType(Double::compare, Double.class)
                .withComparatorForType(Float::compare, Float.class)
                .isEqualTo(expected);
    }

    @Test
    void readsBackWhatThePojoFormatStores() throws IOException {
        TypeSerializer<T> pojo = TypeInformation.of(getTypeClass()).createSerializer(new SerializerConfigImpl());
        for (T value : getTestData()) {
            T viaPojo = roundTrip(pojo, value);
            assertEqualState(roundTrip(createSerializer(), viaPojo), viaPojo, "via the POJO format");
        }
    }

    @Test
    void takesFewerBytesThanThePojoFormat() throws IOException {
        TypeSerializer<T> pojo = TypeInformation.of(getTypeClass()).createSerializer(new SerializerConfigImpl());
        long compact = 0;
        long before = 0;
        for (T value : getTestData()) {
            compact += bytes(createSerializer(), value);
            before += bytes(pojo, value);
        }
        assertThat(compact).isLessThan(before);
    }

    static <V> int bytes(TypeSerializer<V> serializer, V value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return out.length();
    }

    static <V> V roundTrip(TypeSerializer<V> serializer, V value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
