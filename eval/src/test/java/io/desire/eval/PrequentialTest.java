package io.desire.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.als.AlsModel;
import io.desire.features.als.AlsParams;
import io.desire.features.als.BatchAls;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrequentialTest {

    private static final AlsParams PARAMS = new AlsParams(2, 0.1, true, true, 2.0, 8, 1, 3L);
    private static final int K = 2;

    /**
     * Two taste groups of items (a*, b*); the target user starts with one a-item and then streams
     * b-items only. Order matters: the first b-event must be scored by the unchanged model (a miss),
     * later ones by a model that has learned the earlier b-events (hits).
     */
    private static History world() {
        History h = new History(new LoadReport("test", "test"));
        long t = 0;
        for (int u = 0; u < 6; u++) {
            for (int i = 0; i < 5; i++) {
                h.add("a-fan" + u, "a" + i, 1, Float.NaN, t++, null);
                h.add("b-fan" + u, "b" + i, 1, Float.NaN, t++, null);
            }
        }
        h.add("target", "a0", 1, Float.NaN, t++, null);
        for (int i = 0; i < 5; i++) {
            h.add("target", "b" + i, 1, Float.NaN, t++, null);
        }
        return h;
    }

    @Test
    void everyEventIsScoredBeforeTheModelLearnsFromIt() {
        History h = world();
        int[] all = h.allRows();
        int[] pre = Arrays.copyOf(all, all.length - 5);
        int[] stream = Arrays.copyOfRange(all, all.length - 5, all.length);
        AlsModel start = new BatchAls(PARAMS).fit(h.table(pre, false));

        Prequential.Result full = prequential().run(h, start, pre, stream, null);
        List<Prequential.Outcome> outcomes = full.outcomes;
        assertThat(outcomes).hasSize(5);
        // the first event meets the starting model: online and static agree, and it is a miss
        assertThat(outcomes.get(0).onlineRank())
                .isEqualTo(outcomes.get(0).staticRank())
                .isGreaterThanOrEqualTo(K);
        // having learned the earlier b-events, the model ranks the later ones on top
        assertThat(outcomes.get(4).onlineRank()).isLessThan(K);
        assertThat(outcomes.get(4).staticRank()).isGreaterThanOrEqualTo(K);

        // Each event's rank is the rank under the model that learned exactly the events before it.
        for (int n = 0; n < stream.length; n++) {
            Prequential.Result prefix = prequential().run(h, start, pre, Arrays.copyOf(stream, n), null);
            int expected = rankUnder(prefix.model, h, History.concat(pre, Arrays.copyOf(stream, n)), stream[n]);
            assertThat(outcomes.get(n).onlineRank()).as("event %d", n).isEqualTo(expected);
        }
    }

    @Test
    void reversingTheStreamChangesTheOutcomes() {
        History h = world();
        int[] all = h.allRows();
        int[] pre = Arrays.copyOf(all, all.length - 5);
        int[] stream = Arrays.copyOfRange(all, all.length - 5, all.length);
        int[] reversed = new int[stream.length];
        for (int i = 0; i < stream.length; i++) {
            reversed[i] = stream[stream.length - 1 - i];
        }
        AlsModel start = new BatchAls(PARAMS).fit(h.table(pre, false));

        Prequential.Result forward = prequential().run(h, start, pre, stream, null);
        Prequential.Result backward = prequential().run(h, start, pre, reversed, null);

        // whichever b-item comes first is the one scored cold
        assertThat(forward.outcomes.get(0).onlineRank()).isGreaterThanOrEqualTo(K);
        assertThat(backward.outcomes.get(0).onlineRank()).isGreaterThanOrEqualTo(K);
        assertThat(backward.outcomes.get(4).row())
                .isEqualTo(forward.outcomes.get(0).row());
        assertThat(backward.outcomes.get(4).onlineRank()).isLessThan(K);
        assertThat(forward.scored).isEqualTo(5);
        assertThat(forward.learned).isEqualTo(5);
    }

    @Test
    void repeatsAndColdUsersAreLearnedButNotScored() {
        History h = world();
        h.add("target", "b0", 1, Float.NaN, 1_000, null); // repeat of a streamed item
        h.add("newcomer", "a1", 1, Float.NaN, 1_001, null); // no history yet
        int[] all = h.allRows();
        int[] pre = Arrays.copyOf(all, all.length - 7);
        int[] stream = Arrays.copyOfRange(all, all.length - 7, all.length);
        AlsModel start = new BatchAls(PARAMS).fit(h.table(pre, false));

        Prequential.Result r = prequential().run(h, start, pre, stream, null);

        assertThat(r.events).isEqualTo(7);
        assertThat(r.scored).isEqualTo(5);
        assertThat(r.repeats).isEqualTo(1);
        assertThat(r.coldUsers).isEqualTo(1);
        assertThat(r.learned).isEqualTo(7);
        assertThat(r.model.hasUser(h.users.indexOf("newcomer"))).isTrue();
    }

    private static Prequential prequential() {
        return new Prequential(PARAMS, K, 2, 1, Double.MIN_VALUE, true);
    }

    /** Rank of the row's item under {@code model}, among items with a factor the user has not seen. */
    private static int rankUnder(AlsModel model, History h, int[] seenRows, int row) {
        int u = h.user(row);
        Set<Integer> seen = new HashSet<>();
        for (int r : seenRows) {
            if (h.user(r) == u) {
                seen.add(h.item(r));
            }
        }
        int target = h.item(row);
        double s = model.predict(u, target);
        int ahead = 0;
        for (int j = 0; j < model.numItems(); j++) {
            if (j == target || seen.contains(j) || !model.hasItem(j)) {
                continue;
            }
            double sj = model.predict(u, j);
            if (sj > s || (sj == s && j < target)) {
                ahead++;
            }
        }
        return Math.min(ahead, K);
    }
}
