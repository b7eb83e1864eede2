package io.desire.operators.als;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The candidates the table proposes: the exact top N, with scores the serving state keeps compactly. */
class ItemFactorTableTest {
    private static final int RANK = 10;

    private static ItemFactorTable table(int items, long seed) {
        Random r = new Random(seed);
        ItemFactorTable t = new ItemFactorTable(RANK);
        for (int i = 0; i < items; i++) {
            double[] y = new double[RANK];
            for (int f = 0; f < RANK; f++) {
                y[f] = r.nextGaussian() * 0.1;
            }
            t.put(String.format("item-%05d", i), y);
        }
        return t;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            s += a[f] * b[f];
        }
        return s;
    }

    @Test
    void topNIsTheExactOrderWithScoresAtFloatPrecision() {
        ItemFactorTable t = table(300, 1);
        double[] x = table(1, 2).get("item-00000");
        AlsCandidates c = t.topN(x, 50, List.of("item-00007"));

        assertThat(c.items).hasSize(50).doesNotContain("item-00007");
        for (int r = 0; r < c.items.length; r++) {
            double exact = dot(x, t.get(c.items[r]));
            assertThat(c.scores[r]).isEqualTo((double) (float) exact);
            if (r > 0) {
                assertThat(dot(x, t.get(c.items[r - 1]))).isGreaterThanOrEqualTo(exact);
            }
        }
    }

    @Test
    void aUsersFiftyCandidatesKeepFourBytesAScoreInState() throws IOException {
        ItemFactorTable t = table(1_000, 3);
        AlsCandidates c = t.topN(table(1, 4).get("item-00000"), 50, null);
        c.userId = "user-00042";
        c.eventTime = 1_796_659_362_446L;

        DataOutputSerializer asFloats = new DataOutputSerializer(1024);
        AlsCandidatesSerializer.INSTANCE.serialize(c, asFloats);
        c.scores[0] = Math.nextUp(c.scores[0]); // no longer a float: every score takes 8 bytes
        DataOutputSerializer asDoubles = new DataOutputSerializer(1024);
        AlsCandidatesSerializer.INSTANCE.serialize(c, asDoubles);

        assertThat(asDoubles.length() - asFloats.length()).isEqualTo(50 * 4);
    }
}
