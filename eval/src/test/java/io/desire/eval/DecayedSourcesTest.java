package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecayedSourcesTest {
    private static final long DAY = 86_400_000L;

    /** "old" was popular a year ago (5 users), "new" this week (3 users); u0 has seen neither. */
    private static History fading() {
        History h = new History(new LoadReport("test", "test"));
        for (int u = 1; u <= 5; u++) {
            h.add("u" + u, "old", 1, Float.NaN, DAY, null);
        }
        for (int u = 1; u <= 3; u++) {
            h.add("u" + u, "new", 1, Float.NaN, 366 * DAY, null);
        }
        h.add("u0", "other", 1, Float.NaN, 366 * DAY, null);
        return h;
    }

    private static String[] ids(History h, int[] items) {
        String[] out = new String[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = h.itemId(items[i]);
        }
        return out;
    }

    @Test
    void popularityDecaysWithItsHalfLife() {
        History h = fading();
        int[] rows = h.allRows();
        int u0 = 5; // users are numbered in order of appearance: u1..u5, then u0
        assertThat(h.userId(u0)).isEqualTo("u0");
        Recommender longMemory = DecayedSources.popularity(h, rows, Duration.ofDays(3650));
        Recommender shortMemory = DecayedSources.popularity(h, rows, Duration.ofDays(7));
        int other = h.items.indexOf("other");
        assertThat(ids(h, longMemory.recommend(u0, 2, i -> i == other))).containsExactly("old", "new");
        assertThat(ids(h, shortMemory.recommend(u0, 2, i -> i == other))).containsExactly("new", "old");
    }

    @Test
    void sequenceProposesWhatFollowedTheUsersRecentItems() {
        History h = new History(new LoadReport("test", "test"));
        long t = 0;
        for (int u = 0; u < 3; u++) {
            h.add("fan" + u, "a", 1, Float.NaN, t++, null);
            h.add("fan" + u, "b", 1, Float.NaN, t++, null);
        }
        h.add("fan9", "a", 1, Float.NaN, t++, null);
        h.add("fan9", "c", 1, Float.NaN, t++, null);
        h.add("me", "x", 1, Float.NaN, t++, null);
        h.add("me", "a", 1, Float.NaN, t++, null);
        Recommender seq = DecayedSources.sequence(h, h.allRows(), Duration.ofDays(7));
        int me = h.users.indexOf("me");
        int a = h.items.indexOf("a");
        int x = h.items.indexOf("x");
        assertThat(ids(h, seq.recommend(me, 5, i -> i == a || i == x)))
                .as("b followed a three times, c once; nothing followed x")
                .containsExactly("b", "c");
    }

    @Test
    void affinityOrdersPopularItemsByTheUsersCategoryShare() {
        History h = new History(new LoadReport("test", "test"));
        h.itemCategory.put(h.items.indexOrAdd("drama1"), "Drama");
        h.itemCategory.put(h.items.indexOrAdd("comedy1"), "Comedy");
        h.itemCategory.put(h.items.indexOrAdd("comedy2"), "Comedy");
        h.itemCategory.put(h.items.indexOrAdd("seen"), "Comedy");
        for (int u = 0; u < 4; u++) {
            h.add("p" + u, "drama1", 1, Float.NaN, 10, null);
        }
        h.add("p0", "comedy2", 1, Float.NaN, 10, null);
        h.add("me", "seen", 1, Float.NaN, 10, null);
        h.add("p1", "comedy1", 1, Float.NaN, 5, null);
        int[] rows = h.allRows();
        int[] popular = DecayedSources.order(DecayedSources.decayedCounts(h, rows, Duration.ofDays(30)));
        Recommender affinity = DecayedSources.affinity(h, rows, Duration.ofDays(7), popular);
        int me = h.users.indexOf("me");
        int seen = h.items.indexOf("seen");
        assertThat(ids(h, affinity.recommend(me, 3, i -> i == seen)))
                .as("comedies first, the more popular (more recent) one ahead; then the rest by popularity")
                .containsExactly("comedy2", "comedy1", "drama1");
    }

    @Test
    void recentItemsKeepTheLastThreeDistinctOnes() {
        int[] r = null;
        for (int item : new int[] {1, 2, 3, 2, 4}) {
            r = DecayedSources.pushRecent(r, item);
        }
        assertThat(r).containsExactly(3, 2, 4);
    }

    @Test
    void tuningChoosesTheHalfLifeThatPredictsValidation() {
        History h = fading();
        for (int u = 1; u <= 4; u++) {
            h.add("c" + u, "classic", 1, Float.NaN, 2 * DAY, null);
        }
        // validation: u4 and u5, who only saw "old", take "new" next — recent popularity predicts it
        List<Integer> validation = new ArrayList<>();
        validation.add(h.size());
        h.add("u4", "new", 1, Float.NaN, 367 * DAY, null);
        validation.add(h.size());
        h.add("u5", "new", 1, Float.NaN, 367 * DAY, null);
        int[] train = new int[h.size() - 2];
        for (int r = 0; r < train.length; r++) {
            train[r] = r;
        }
        // for u4 and u5 "classic" (4 users) ranks first in the long run; "new" (3) with short memory
        HalfLifeTuning.Tuned tuned = new HalfLifeTuning(
                        List.of(Duration.ofDays(3650), Duration.ofDays(7)), 1, Double.MIN_VALUE, Progress.silent())
                .run(h, train, validation.stream().mapToInt(Integer::intValue).toArray());
        HalfLifeTuning.Choice choice = tuned.choice();
        TuningReport.HalfLives section = tuned.report();
        assertThat(choice.halfLives().get(HalfLifeTuning.POPULARITY)).isEqualTo(Duration.ofDays(7));
        assertThat(choice.jobArgs()).containsSubsequence("--popularity.half-life", "7d");
        assertThat(section.jobArgs()).contains("--covisit.half-life").contains("--profile.half-life");
        assertThat(section.grid()).hasSize(6);
    }

    @Test
    void halfLivesAreWrittenAsTheJobReadsThem() {
        assertThat(HalfLifeTuning.format(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(HalfLifeTuning.format(Duration.ofHours(12))).isEqualTo("12h");
        assertThat(HalfLifeTuning.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(io.desire.jobs.config.JobConfig.parseDuration(HalfLifeTuning.format(Duration.ofDays(3650))))
                .isEqualTo(Duration.ofDays(3650));
    }
}
