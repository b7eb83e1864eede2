package io.desire.features.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecayedScoresTest {
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T0 = 1_700_000_000_000L;
    private static final DecayPolicy WEEK = new DecayPolicy(Duration.ofDays(7), 100);

    @Test
    void valueHalvesEveryHalfLifeExactly() {
        DecayedScores s = new DecayedScores();
        s.add("a", 8.0, null, T0, WEEK);

        assertThat(s.valueAt("a", T0, WEEK)).isEqualTo(8.0);
        assertThat(s.valueAt("a", T0 + 7 * DAY, WEEK)).isEqualTo(4.0);
        assertThat(s.valueAt("a", T0 + 14 * DAY, WEEK)).isEqualTo(2.0);
        assertThat(s.valueAt("missing", T0, WEEK)).isZero();
    }

    @Test
    void addingDecaysThePreviousValueThenAddsTheWeight() {
        DecayedScores s = new DecayedScores();
        s.add("a", 8.0, null, T0, WEEK);
        s.add("b", 2.0, null, T0, WEEK);

        s.add("a", 1.0, null, T0 + 7 * DAY, WEEK);

        assertThat(s.asOf).isEqualTo(T0 + 7 * DAY);
        assertThat(s.valueAsOf("a")).isEqualTo(8.0 * 0.5 + 1.0);
        assertThat(s.valueAsOf("b")).isEqualTo(1.0);
    }

    @Test
    void outOfOrderAdditionCountsWhatItIsWorthNow() {
        DecayedScores inOrder = new DecayedScores();
        inOrder.add("a", 8.0, null, T0, WEEK);
        inOrder.add("a", 8.0, null, T0 + 7 * DAY, WEEK);

        DecayedScores reversed = new DecayedScores();
        reversed.add("a", 8.0, null, T0 + 7 * DAY, WEEK);
        reversed.add("a", 8.0, null, T0, WEEK);

        assertThat(inOrder.valueAsOf("a")).isEqualTo(12.0);
        assertThat(reversed.valueAsOf("a")).isEqualTo(12.0);
        assertThat(reversed.asOf).isEqualTo(T0 + 7 * DAY);
    }

    @Test
    void boundedToTopNEvictingTheSmallestValue() {
        DecayPolicy two = new DecayPolicy(Duration.ofDays(7), 2);
        DecayedScores s = new DecayedScores();
        s.add("a", 3.0, null, T0, two);
        s.add("b", 1.0, null, T0, two);
        s.add("c", 2.0, null, T0, two);

        assertThat(s.keys).containsExactlyInAnyOrder("a", "c");
        assertThat(s.valueAsOf("b")).isZero();
    }

    @Test
    void evictionComparesDecayedValues() {
        DecayPolicy two = new DecayPolicy(Duration.ofDays(7), 2);
        DecayedScores s = new DecayedScores();
        s.add("old", 8.0, null, T0, two); // worth 2 after two half-lives
        s.add("mid", 3.0, null, T0 + 14 * DAY, two);
        s.add("new", 2.5, null, T0 + 14 * DAY, two);

        assertThat(s.keys).containsExactlyInAnyOrder("mid", "new");
    }

    @Test
    void tiesEvictTheKeyThatSortsLast() {
        DecayPolicy two = new DecayPolicy(Duration.ofDays(7), 2);
        DecayedScores s = new DecayedScores();
        s.add("b", 1.0, null, T0, two);
        s.add("c", 1.0, null, T0, two);
        s.add("a", 1.0, null, T0, two);

        assertThat(s.keys).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aNewKeyWeakerThanAllKeptIsNotAdmitted() {
        DecayPolicy two = new DecayPolicy(Duration.ofDays(7), 2);
        DecayedScores s = new DecayedScores();
        s.add("a", 5.0, null, T0, two);
        s.add("b", 5.0, null, T0, two);
        s.add("c", 1.0, null, T0, two);

        assertThat(s.keys).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void negligibleEntriesAreDroppedWhenDecayed() {
        DecayedScores s = new DecayedScores();
        s.add("a", 1.0, null, T0, WEEK);
        s.add("b", 1.0, null, T0 + 40 * 7 * DAY, WEEK); // a is worth 2^-40 ≈ 9e-13 by then

        assertThat(s.keys).containsExactly("b");
    }

    @Test
    void labelsFollowTheirKeysThroughEviction() {
        DecayPolicy two = new DecayPolicy(Duration.ofDays(7), 2);
        DecayedScores s = new DecayedScores();
        s.add("a", 1.0, "shoes", T0, two);
        s.add("b", 5.0, "books", T0, two);
        s.add("c", 3.0, null, T0, two);
        s.add("c", 1.0, "toys", T0, two);

        assertThat(s.keys).containsExactlyInAnyOrder("b", "c");
        assertThat(s.labelAt(s.indexOf("b"))).isEqualTo("books");
        assertThat(s.labelAt(s.indexOf("c"))).isEqualTo("toys");
    }

    @Test
    void rejectsInvalidArguments() {
        DecayedScores s = new DecayedScores();
        assertThatThrownBy(() -> s.add("a", -1.0, null, T0, WEEK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.add("a", Double.NaN, null, T0, WEEK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecayPolicy(Duration.ZERO, 1)).hasMessageContaining("halfLife");
        assertThatThrownBy(() -> new DecayPolicy(Duration.ofDays(1), 0)).hasMessageContaining("maxEntries");
    }
}
