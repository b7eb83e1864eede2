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

    @Test
    void valuesAreKeptAtFloatPrecision() {
        DecayedScores s = new DecayedScores();
        s.add("a", 1.0, null, T0, WEEK);
        s.add("b", 0.3, null, T0 + 1_000, WEEK);
        s.add("a", 2.0, null, T0 + DAY / 3, WEEK);
        s.decayTo(T0 + 2 * DAY + 17, WEEK);

        for (double v : s.values) {
            assertThat((double) (float) v).as("float-exact").isEqualTo(v);
        }
        double a = (1.0 * Math.pow(2, -(DAY / 3.0) / (7 * DAY)) + 2.0)
                * Math.pow(2, -(2 * DAY + 17 - DAY / 3.0) / (7 * DAY));
        assertThat(s.valueAsOf("a")).isCloseTo(a, org.assertj.core.api.Assertions.within(a * 1e-6));
    }

    /** Additions milliseconds apart each decay the set by less than a float can hold: the decay still happens. */
    @Test
    void frequentAdditionsDecayAsTheExactSumDoes() {
        DecayPolicy day = new DecayPolicy(Duration.ofDays(1), 10);
        DecayedScores s = new DecayedScores();
        int n = 200_000;
        long step = 10;
        for (int k = 0; k < n; k++) {
            s.add("a", 1.0, null, T0 + k * step, day);
        }
        long end = T0 + (n - 1) * step;
        double exact = 0;
        for (int k = 0; k < n; k++) {
            exact += Math.pow(2, -((double) (end - (T0 + k * step))) / DAY);
        }
        assertThat(exact).as("the sum has decayed by more than 0.5 %").isLessThan(0.995 * n);
        assertThat(s.valueAt("a", end, day)).isCloseTo(exact, org.assertj.core.api.Assertions.within(exact * 1e-5));
    }
}
