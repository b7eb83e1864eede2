package io.desire.operators.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.operators.als.AlsCandidatesSerializer;
import io.desire.operators.als.UserFactorStateSerializer;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CompactCodecTest {

    @Test
    void eventWeightsAndRatingsTakeAByteOrTwoAndReadBackExactly() throws IOException {
        Random r = new Random(11);
        double[] sums = new double[100];
        for (int i = 0; i < sums.length; i++) {
            // summed weights (1, 2, 4, 8), half-star ratings, negative rating weights
            sums[i] = (r.nextInt(40) - 8) * 0.5;
        }
        DataOutputSerializer out = new DataOutputSerializer(64);
        CompactCodec.writeDoubles(out, sums);

        assertThat(out.length()).as("length, mode, a byte a value").isLessThanOrEqualTo(2 + sums.length);
        assertThat(readBack(out)).isEqualTo(sums);
    }

    @Test
    void valuesThatAreNotQuartersKeepEveryBit() throws IOException {
        List<double[]> arrays = List.of(
                new double[] {1.0, 0.1},
                new double[] {1.0, 0.125},
                new double[] {-0.0, 1.0},
                new double[] {Double.NaN, 2.0},
                new double[] {1 << 26, 1.0},
                new double[] {3e9, Float.MAX_VALUE},
                new double[] {Double.MAX_VALUE, Double.MIN_VALUE, Double.NEGATIVE_INFINITY},
                new double[0]);
        for (double[] a : arrays) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            CompactCodec.writeDoubles(out, a);
            double[] read = readBack(out);
            assertThat(read).hasSameSizeAs(a);
            for (int i = 0; i < a.length; i++) {
                assertThat(Double.doubleToRawLongBits(read[i]))
                        .as("value %d of %s", i, java.util.Arrays.toString(a))
                        .isEqualTo(Double.doubleToRawLongBits(a[i]));
            }
        }
        DataOutputSerializer none = new DataOutputSerializer(8);
        CompactCodec.writeDoubles(none, null);
        assertThat(readBack(none)).isNull();
    }

    /** Savepoints of format 1 hold arrays as floats or doubles: the reader still takes both. */
    @Test
    void readsTheArraysOfFormatOne() throws IOException {
        DataOutputSerializer floats = new DataOutputSerializer(64);
        CompactCodec.writeLength(floats, 3);
        floats.writeByte(1);
        for (float v : new float[] {1f, 2.5f, 0.3f}) {
            floats.writeFloat(v);
        }
        assertThat(readBack(floats)).containsExactly(1.0, 2.5, (double) 0.3f);

        DataOutputSerializer doubles = new DataOutputSerializer(64);
        CompactCodec.writeLength(doubles, 2);
        doubles.writeByte(0);
        doubles.writeDouble(0.1);
        doubles.writeDouble(4.0);
        assertThat(readBack(doubles)).containsExactly(0.1, 4.0);
    }

    @Test
    void formatOneSnapshotsRestoreAsIsAndAnUnknownVersionIsRefused() throws IOException {
        List<TypeSerializerSnapshot<?>> current = List.of(
                new UserProfileSerializer.Snapshot(),
                new AlsCandidatesSerializer.Snapshot(),
                new UserFactorStateSerializer.Snapshot());
        for (TypeSerializerSnapshot<?> snapshot : current) {
            assertThat(snapshot.getCurrentVersion())
                    .as(snapshot.getClass().getName())
                    .isEqualTo(2);
        }
        assertFormatOneRestoresAsIs(new UserProfileSerializer.Snapshot(), new UserProfileSerializer.Snapshot());
        assertFormatOneRestoresAsIs(new AlsCandidatesSerializer.Snapshot(), new AlsCandidatesSerializer.Snapshot());
        assertFormatOneRestoresAsIs(new UserFactorStateSerializer.Snapshot(), new UserFactorStateSerializer.Snapshot());

        UserFactorStateSerializer.Snapshot newer = new UserFactorStateSerializer.Snapshot();
        assertThatThrownBy(() -> newer.readSnapshot(
                        3, new DataInputDeserializer(new byte[0]), getClass().getClassLoader()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown format version 3");
    }

    private <T> void assertFormatOneRestoresAsIs(TypeSerializerSnapshot<T> old, TypeSerializerSnapshot<T> now)
            throws IOException {
        old.readSnapshot(1, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
        assertThat(now.resolveSchemaCompatibility(old).isCompatibleAsIs())
                .as(old.getClass().getName())
                .isTrue();
        assertThat(old.restoreSerializer()).isSameAs(now.restoreSerializer());
    }

    private static double[] readBack(DataOutputSerializer out) throws IOException {
        return CompactCodec.readDoubles(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
