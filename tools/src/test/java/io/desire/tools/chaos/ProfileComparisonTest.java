package io.desire.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ProfileComparisonTest {
    private static final String A = "{\"events\":100,\"items\":{\"asOf\":5,\"keys\":[\"a\",\"b\"],"
            + "\"values\":[7.995096761159725,6.9]},\"recentItems\":[\"a\",\"b\"],\"segment\":null}";

    @Test
    void theSameProfileInAnotherOrderWithOtherLastBitsIsTheSame() throws Exception {
        String b = "{\"segment\":null,\"recentItems\":[\"a\",\"b\"],\"events\":100,"
                + "\"items\":{\"keys\":[\"b\",\"a\"],\"values\":[6.9,7.995096761159721],\"asOf\":5}}";

        assertThat(ProfileComparison.same(A, b, Set.of())).isTrue();
    }

    @Test
    void anotherCountAnotherItemOrAnotherValueIsNot() throws Exception {
        assertThat(ProfileComparison.same(A, A.replace("100", "99"), Set.of())).isFalse();
        assertThat(ProfileComparison.same(A, A.replace("\"b\"]", "\"c\"]"), Set.of()))
                .isFalse();
        assertThat(ProfileComparison.same(A, A.replace("6.9]", "6.8]"), Set.of()))
                .isFalse();
        assertThat(ProfileComparison.same(A, A.replace(",\"segment\":null", ""), Set.of()))
                .isFalse();
        assertThat(ProfileComparison.same(A, null, Set.of())).isFalse();
    }

    @Test
    void anIgnoredFieldMayDiffer() throws Exception {
        String otherRecent = A.replace("\"recentItems\":[\"a\",\"b\"]", "\"recentItems\":[\"b\",\"b\"]");

        assertThat(ProfileComparison.same(A, otherRecent, Set.of())).isFalse();
        assertThat(ProfileComparison.same(A, otherRecent, Set.of("recentItems")))
                .isTrue();
    }
}
