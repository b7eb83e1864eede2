package io.desire.features.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RatingMatrixTest {

    // (user, item, value) in input order; (1, 2) appears twice: 2 then 4.
    private static final int[] USERS = {1, 0, 1, 2, 0, 1};
    private static final int[] ITEMS = {2, 1, 0, 1, 0, 2};
    private static final float[] VALUES = {2f, 5f, 3f, 1f, 4f, 4f};

    @Test
    void holdsBothOrientationsSortedByIndex() {
        RatingMatrix m = RatingMatrix.of(3, 3, USERS, ITEMS, VALUES, 6, RatingMatrix.Duplicates.LAST);
        assertThat(m.nnz()).isEqualTo(5);
        assertThat(m.userPtr()).containsExactly(0, 2, 4, 5);
        assertThat(m.userCols()).containsExactly(0, 1, 0, 2, 1);
        assertThat(m.userVals()).containsExactly(4f, 5f, 3f, 4f, 1f);
        assertThat(m.itemPtr()).containsExactly(0, 2, 4, 5);
        assertThat(m.itemRows()).containsExactly(0, 1, 0, 2, 1);
        assertThat(m.itemVals()).containsExactly(4f, 3f, 5f, 1f, 4f);
        assertThat(m.contains(1, 2)).isTrue();
        assertThat(m.contains(2, 2)).isFalse();
        assertThat(m.userCount(2)).isEqualTo(1);
        assertThat(m.itemCount(1)).isEqualTo(2);
    }

    @Test
    void mergesDuplicatesByPolicy() {
        assertThat(valueAt(RatingMatrix.Duplicates.SUM)).isEqualTo(6f);
        assertThat(valueAt(RatingMatrix.Duplicates.MEAN)).isEqualTo(3f);
        assertThat(valueAt(RatingMatrix.Duplicates.LAST)).isEqualTo(4f);
    }

    private static float valueAt(RatingMatrix.Duplicates policy) {
        RatingMatrix m = RatingMatrix.of(3, 3, USERS, ITEMS, VALUES, 6, policy);
        return m.userVals()[m.userPtr()[1] + 1]; // user 1's second cell is item 2
    }

    @Test
    void rejectsIndicesOutsideTheShape() {
        assertThatThrownBy(() -> RatingMatrix.of(2, 3, USERS, ITEMS, VALUES, 6, RatingMatrix.Duplicates.SUM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 2×3");
    }
}
