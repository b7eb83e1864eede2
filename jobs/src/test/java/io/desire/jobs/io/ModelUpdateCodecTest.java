package io.desire.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.ranker.WeightDelta;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ModelUpdateCodecTest {

    @Test
    void itemVectorsRoundTrip() {
        ItemFactorUpdate u = new ItemFactorUpdate(
                        "sku-42", new double[] {0.5, -1.25, 3e-300, Double.MAX_VALUE}, 7, 1_767_254_400_000L)
                .withCategory("books");
        byte[] bytes = ModelUpdateCodec.encode(u);
        assertThat(bytes[0]).isEqualTo(ModelUpdateCodec.FORMAT_VERSION);
        assertThat(ModelUpdateCodec.decodeItemFactorUpdate(bytes)).isEqualTo(u);
    }

    @Test
    void doublesKeepTheirExactBits() {
        double[] odd = {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Math.PI};
        ItemFactorUpdate back =
                ModelUpdateCodec.decodeItemFactorUpdate(ModelUpdateCodec.encode(new ItemFactorUpdate("i", odd, 1, 0)));
        for (int i = 0; i < odd.length; i++) {
            assertThat(Double.doubleToRawLongBits(back.factors[i])).isEqualTo(Double.doubleToRawLongBits(odd[i]));
        }
    }

    @Test
    void tombstonesNullsEmptyArraysAndUnicodeRoundTrip() {
        ItemFactorUpdate tombstone = new ItemFactorUpdate("gone", null, 12, 99);
        ItemFactorUpdate decoded = ModelUpdateCodec.decodeItemFactorUpdate(ModelUpdateCodec.encode(tombstone));
        assertThat(decoded).isEqualTo(tombstone);
        assertThat(decoded.factors).isNull();
        assertThat(decoded.category).isNull();

        ItemFactorUpdate empty = new ItemFactorUpdate("", new double[0], 0, Long.MIN_VALUE).withCategory("");
        decoded = ModelUpdateCodec.decodeItemFactorUpdate(ModelUpdateCodec.encode(empty));
        assertThat(decoded).isEqualTo(empty);
        assertThat(decoded.factors).isEmpty();
        assertThat(decoded.itemId).isEmpty();
        assertThat(decoded.category).isEmpty();

        ItemFactorUpdate unicode = new ItemFactorUpdate("crème-brûlée-🍮", new double[] {1}, Long.MAX_VALUE, -1)
                .withCategory("desserts/crèmes");
        assertThat(ModelUpdateCodec.decodeItemFactorUpdate(ModelUpdateCodec.encode(unicode)))
                .isEqualTo(unicode);
    }

    @Test
    void weightDeltasRoundTrip() {
        WeightDelta d = new WeightDelta(
                1234, 1 << 20, false, new int[] {0, 5, 1 << 19, (1 << 20) - 1}, new double[] {0.25, -3.5, 1e-12, -0.0});
        byte[] bytes = ModelUpdateCodec.encode(d);
        assertThat(bytes.length).isEqualTo(ModelUpdateCodec.encodedWeightDeltaSize(4));
        assertThat(ModelUpdateCodec.decodeWeightDelta(bytes)).isEqualTo(d);
    }

    @Test
    void factorisedDeltasRoundTripAsTheirOwnKindWhileLinearOnesKeepTheirBytes() {
        WeightDelta fm = WeightDelta.factorised(
                77,
                1 << 16,
                true,
                2,
                -0.75,
                new int[] {3, 9},
                new double[] {0.5, -0.0},
                new double[] {0.1, -0.2, Double.MIN_VALUE, 4},
                0x666d696eL,
                0.01);
        byte[] bytes = ModelUpdateCodec.encode(fm);
        assertThat(bytes[1]).isEqualTo(ModelUpdateCodec.KIND_FACTORISED_DELTA);
        assertThat((long) bytes.length).isEqualTo(ModelUpdateCodec.encodedSize(fm));
        assertThat(ModelUpdateCodec.decodeWeightDelta(bytes)).isEqualTo(fm);

        WeightDelta noArrays = WeightDelta.factorised(1, 8, false, 3, 0.1, null, null, null, 1L, 0.5);
        assertThat(ModelUpdateCodec.decodeWeightDelta(ModelUpdateCodec.encode(noArrays)))
                .isEqualTo(noArrays);

        WeightDelta linear = new WeightDelta(9, 8, false, new int[] {1}, new double[] {2});
        assertThat(ModelUpdateCodec.encode(linear)[1]).isEqualTo(ModelUpdateCodec.KIND_WEIGHT_DELTA);
        assertThat((long) ModelUpdateCodec.encode(linear).length).isEqualTo(ModelUpdateCodec.encodedSize(linear));

        for (int cut = 2; cut < bytes.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> ModelUpdateCodec.decodeWeightDelta(truncated))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("truncated");
        }
        assertThatThrownBy(() -> ModelUpdateCodec.encode(WeightDelta.factorised(
                        1, 8, false, 2, 0, new int[] {1}, new double[] {1}, new double[] {1}, 1L, 0.1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallel");
    }

    @Test
    void emptyAndArraylessDeltasRoundTrip() {
        WeightDelta emptyFull = new WeightDelta(3, 16, true, new int[0], new double[0]);
        WeightDelta decoded = ModelUpdateCodec.decodeWeightDelta(ModelUpdateCodec.encode(emptyFull));
        assertThat(decoded).isEqualTo(emptyFull);
        assertThat(decoded.full).isTrue();
        assertThat(decoded.indices).isEmpty();

        WeightDelta noArrays = new WeightDelta();
        decoded = ModelUpdateCodec.decodeWeightDelta(ModelUpdateCodec.encode(noArrays));
        assertThat(decoded).isEqualTo(noArrays);
        assertThat(decoded.indices).isNull();
        assertThat(decoded.weights).isNull();
    }

    @Test
    void aFullDeltaOfTwoToTheTwentyBucketsRoundTrips() {
        int n = 1 << 20;
        int[] indices = new int[n];
        double[] weights = new double[n];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            indices[i] = i;
            weights[i] = random.nextGaussian();
        }
        WeightDelta full = new WeightDelta(Long.MAX_VALUE - 1, n, true, indices, weights);
        byte[] bytes = ModelUpdateCodec.encode(full);
        assertThat((long) bytes.length)
                .isEqualTo(ModelUpdateCodec.encodedWeightDeltaSize(n))
                .isEqualTo(12L * n + 19)
                .isLessThan(FeedbackLoops.MAX_WEIGHT_RECORD_BYTES);
        assertThat(ModelUpdateCodec.decodeWeightDelta(bytes)).isEqualTo(full);
    }

    @Test
    void truncatedInputFailsNamingTheFieldAndPosition() {
        byte[] vector = ModelUpdateCodec.encode(new ItemFactorUpdate("sku-1", new double[] {1, 2, 3}, 5, 6));
        for (int len = 0; len < vector.length; len++) {
            byte[] cut = Arrays.copyOf(vector, len);
            assertThatThrownBy(() -> ModelUpdateCodec.decodeItemFactorUpdate(cut))
                    .as("cut at %d of %d bytes", len, vector.length)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Malformed item factor update: ")
                    .hasMessageMatching(len == 0 ? ".*empty record.*" : "(?s).*truncated.*");
        }
        byte[] delta = ModelUpdateCodec.encode(new WeightDelta(9, 8, false, new int[] {1, 2}, new double[] {1, 2}));
        for (int len = 1; len < delta.length; len++) {
            byte[] cut = Arrays.copyOf(delta, len);
            assertThatThrownBy(() -> ModelUpdateCodec.decodeWeightDelta(cut))
                    .as("cut at %d of %d bytes", len, delta.length)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Malformed weight delta: truncated");
        }
        assertThatThrownBy(() -> ModelUpdateCodec.decodeWeightDelta(Arrays.copyOf(delta, 20)))
                .hasMessageContaining("number of buckets is 2 at byte 15, which needs 24 bytes, but only 1 follow");
    }

    @Test
    void unknownVersionsOtherKindsAndTrailingBytesAreRefused() {
        byte[] vector = ModelUpdateCodec.encode(new ItemFactorUpdate("a", new double[] {1}, 1, 1));
        byte[] newer = vector.clone();
        newer[0] = 2;
        assertThatThrownBy(() -> ModelUpdateCodec.decodeItemFactorUpdate(newer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown format version 2")
                .hasMessageContaining("reads format 1")
                .hasMessageContaining("newer build");
        byte[] json = "{\"item\":1}".getBytes();
        assertThatThrownBy(() -> ModelUpdateCodec.decodeWeightDelta(json))
                .hasMessageContaining("unknown format version 123");

        assertThatThrownBy(() -> ModelUpdateCodec.decodeWeightDelta(vector))
                .hasMessageContaining("record kind 1 (item factor update) where weight delta (2) was expected");

        byte[] longer = Arrays.copyOf(vector, vector.length + 3);
        assertThatThrownBy(() -> ModelUpdateCodec.decodeItemFactorUpdate(longer))
                .hasMessageContaining("3 trailing bytes");
        assertThatThrownBy(() -> ModelUpdateCodec.decodeItemFactorUpdate(null)).hasMessageContaining("null value");
    }

    @Test
    void corruptLengthsFailBeforeAllocating() {
        byte[] delta = ModelUpdateCodec.encode(new WeightDelta(1, 8, false, new int[] {1}, new double[] {1}));
        ByteBuffer.wrap(delta).putInt(15, Integer.MAX_VALUE);
        assertThatThrownBy(() -> ModelUpdateCodec.decodeWeightDelta(delta))
                .hasMessageContaining("number of buckets is 2147483647")
                .hasMessageContaining("only 12 follow");
        ByteBuffer.wrap(delta).putInt(15, -7);
        assertThatThrownBy(() -> ModelUpdateCodec.decodeWeightDelta(delta))
                .hasMessageContaining("number of buckets is -7");
        delta[14] = 2;
        assertThatThrownBy(() -> ModelUpdateCodec.decodeWeightDelta(delta)).hasMessageContaining("full flag is 2");

        byte[] vector = ModelUpdateCodec.encode(new ItemFactorUpdate("abc", null, 1, 1));
        ByteBuffer.wrap(vector).putInt(18, -1);
        assertThatThrownBy(() -> ModelUpdateCodec.decodeItemFactorUpdate(vector))
                .hasMessageContaining("itemId is null at byte 18");
    }

    @Test
    void invalidRecordsAreRefusedWhenEncoding() {
        assertThatThrownBy(() -> ModelUpdateCodec.encode(new ItemFactorUpdate(null, new double[] {1}, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without itemId");
        assertThatThrownBy(
                        () -> ModelUpdateCodec.encode(new WeightDelta(4, 8, false, new int[] {1, 2}, new double[] {1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 indices but 1 weights");
        assertThatThrownBy(() -> ModelUpdateCodec.encode(new WeightDelta(4, 8, false, null, new double[] {1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no indices but 1 weights");
    }

    /** A field added to a record class must be added to the codec too (with a new format version). */
    @Test
    void theCodecCoversEveryFieldOfTheRecords() {
        assertThat(instanceFields(ItemFactorUpdate.class))
                .as("fields of ItemFactorUpdate: encode new ones in ModelUpdateCodec")
                .containsExactly("category", "eventTime", "factors", "itemId", "version");
        assertThat(instanceFields(WeightDelta.class))
                .as("fields of WeightDelta: encode new ones in ModelUpdateCodec")
                .containsExactly(
                        "bias",
                        "dimension",
                        "factors",
                        "full",
                        "indices",
                        "initScale",
                        "initSeed",
                        "vectors",
                        "version",
                        "weights");
    }

    private static TreeSet<String> instanceFields(Class<?> type) {
        TreeSet<String> names = new TreeSet<>();
        for (Field f : type.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())) {
                names.add(f.getName());
            }
        }
        return names;
    }
}
