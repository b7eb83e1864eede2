package io.desire.operators.als;

import static io.desire.operators.als.AlsHarnesses.event;
import static io.desire.operators.als.AlsHarnesses.forget;
import static io.desire.operators.als.AlsHarnesses.item;
import static io.desire.operators.als.AlsHarnesses.keyed;
import static io.desire.operators.als.AlsHarnesses.rate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.desire.features.als.FoldIn;
import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rank 2, λ 0.1 weighted by the interaction count, α 1, default event weights (view 1, click 2). */
class UserFactorsTest {
    private static final double EPS = 1e-9;
    private static final AlsConfig IMPLICIT =
            AlsConfig.builder().rank(2).lambda(0.1).implicit(1.0).build();
    private static final AlsConfig EXPLICIT =
            AlsConfig.builder().rank(2).lambda(0.1).explicit().build();

    private static KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> harness(
            AlsConfig config) throws Exception {
        return AlsHarnesses.users(new UserFactors(config), false, null);
    }

    private static List<UserFactorUpdate> drain(
            KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> h) {
        List<UserFactorUpdate> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    private static UserFactorState userState(
            KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> h,
            AlsConfig c,
            String user)
            throws Exception {
        return keyed(h, UserFactors.createStateDescriptor(c), user);
    }

    @Test
    void implicitFoldInEqualsTheHandComputedSolve() throws Exception {
        try (var h = harness(IMPLICIT)) {
            // a = (1, 0), b = (1, 1): YᵀY = [[2, 1], [1, 1]]
            h.processBroadcastElement(item("a", 1, 1, 0), 0);
            h.processBroadcastElement(item("b", 1, 1, 1), 0);

            // view a: w 1, c 2. A = YᵀY + (c−1)·a·aᵀ + λ·1·I = [[3.1, 1], [1, 1.1]], rhs = c·a = (2, 0).
            // det 2.41 → x = (1.1·2, −1·2) / 2.41
            h.processElement(event(EventType.VIEW, "u", "a", 10L), 10L);
            UserFactorUpdate first = drain(h).get(0);
            assertThat(first.userFactors[0]).isCloseTo(2.2 / 2.41, within(EPS));
            assertThat(first.userFactors[1]).isCloseTo(-2.0 / 2.41, within(EPS));
            assertThat(first.itemId).isEqualTo("a");
            assertThat(first.confidence).isEqualTo(2.0);
            assertThat(first.preference).isEqualTo(1.0);
            assertThat(first.itemFactors).as("a is in the table").isNull();

            // click b: w 2, c 3; now ridge λ·2. A = [[2,1],[1,1]] + [[1,0],[0,0]] + 2·[[1,1],[1,1]] + 0.2·I
            //   = [[5.2, 3], [3, 3.2]], rhs = 2·a + 3·b = (5, 3); det = 16.64 − 9 = 7.64
            h.processElement(event(EventType.CLICK, "u", "b", 20L), 20L);
            UserFactorUpdate second = drain(h).get(0);
            double det = 5.2 * 3.2 - 9;
            double[] expected = {(3.2 * 5 - 3 * 3) / det, (-3 * 5 + 5.2 * 3) / det};
            assertThat(second.userFactors[0]).isCloseTo(expected[0], within(EPS));
            assertThat(second.userFactors[1]).isCloseTo(expected[1], within(EPS));
            assertThat(second.itemId).isEqualTo("b");
            assertThat(second.confidence).isEqualTo(3.0);
            assertThat(second.eventTime).isEqualTo(20L);

            UserFactorState s = userState(h, IMPLICIT, "u");
            assertThat(s.factors)
                    .as("the update carries the stored, new vector")
                    .containsExactly(second.userFactors);
            assertThat(s.items).containsExactly("a", "b");
            assertThat(s.values).containsExactly(1.0, 2.0);
        }
    }

    @Test
    void repeatedEventsAccumulateConfidenceAndImpressionsChangeNothing() throws Exception {
        try (var h = harness(IMPLICIT)) {
            h.processBroadcastElement(item("a", 1, 1, 0), 0);
            h.processElement(event(EventType.VIEW, "u", "a", 1L), 1L);
            h.processElement(event(EventType.PURCHASE, "u", "a", 2L), 2L);
            h.processElement(event(EventType.IMPRESSION, "u", "a", 3L), 3L);
            List<UserFactorUpdate> out = drain(h);
            assertThat(out).hasSize(2);
            assertThat(out.get(1).confidence).isEqualTo(1 + 1.0 * (1 + 8));
            // A = 1 + 9·1 + 0.1 = 10.1 (only a, one distinct interaction), rhs = 10
            assertThat(out.get(1).userFactors[0]).isCloseTo(10 / 10.1, within(EPS));
            assertThat(userState(h, IMPLICIT, "u").values).containsExactly(9.0);
        }
    }

    @Test
    void explicitModeLearnsFromRatingsOnly() throws Exception {
        try (var h = harness(EXPLICIT)) {
            h.processBroadcastElement(item("a", 1, 1, 0), 0);
            h.processBroadcastElement(item("b", 1, 1, 1), 0);
            h.processElement(event(EventType.PURCHASE, "u", "a", 1L), 1L);
            assertThat(drain(h)).as("no rating, nothing learned").isEmpty();

            h.processElement(rate("u", "a", 3, 2L), 2L);
            h.processElement(rate("u", "b", 2, 3L), 3L);
            h.processElement(rate("u", "a", 4, 4L), 4L); // replaces the 3
            List<UserFactorUpdate> out = drain(h);
            assertThat(out).hasSize(3);
            // A = a·aᵀ + b·bᵀ + λ·2·I = [[2.2, 1], [1, 1.2]], rhs = 4·a + 2·b = (6, 2), det 1.64
            UserFactorUpdate last = out.get(2);
            assertThat(last.userFactors[0]).isCloseTo((1.2 * 6 - 2) / 1.64, within(EPS));
            assertThat(last.userFactors[1]).isCloseTo((-6 + 2.2 * 2) / 1.64, within(EPS));
            assertThat(last.confidence).isEqualTo(1.0);
            assertThat(last.preference).isEqualTo(4.0);
            assertThat(userState(h, EXPLICIT, "u").items).containsExactly("b", "a");
        }
    }

    @Test
    void unknownItemStartsFromItsDeterministicVectorAndCarriesIt() throws Exception {
        try (var h = harness(IMPLICIT)) {
            h.processElement(event(EventType.VIEW, "u", "new", 1L), 1L);
            UserFactorUpdate u = drain(h).get(0);
            double[] init = IMPLICIT.initialItemVector("new");
            assertThat(u.itemFactors).containsExactly(init);
            // Fold-in with YᵀY = y·yᵀ of the one vector the solve uses: A = 2·y·yᵀ + 0.1·I, rhs = 2·y
            double[] expected = IMPLICIT.foldIn().solve(new double[][] {init}, new double[] {1}, new double[] {
                init[0] * init[0], 0, init[1] * init[0], init[1] * init[1]
            });
            assertThat(u.userFactors).containsExactly(expected);
            assertThat(h.extractOutputValues()).isEmpty();

            // once published, the table vector is used and nothing is carried any more
            h.processBroadcastElement(item("new", 1, 0.5, 0.5), 0);
            h.processElement(event(EventType.VIEW, "u", "new", 2L), 2L);
            assertThat(drain(h).get(0).itemFactors).isNull();
        }
    }

    @Test
    void keepsOnlyTheMostRecentInteractions() throws Exception {
        AlsConfig c = AlsConfig.builder().rank(2).maxRecentInteractions(3).build();
        try (var h = harness(c)) {
            for (String i : new String[] {"a", "b", "c", "a", "d"}) {
                h.processElement(event(EventType.VIEW, "u", i, 1L), 1L);
            }
            UserFactorState s = userState(h, c, "u");
            assertThat(s.items).containsExactly("c", "a", "d");
            assertThat(s.values).containsExactly(1.0, 2.0, 1.0);
        }
    }

    @Test
    void tableKeepsTheNewestVersionAndItsGramStaysExact() throws Exception {
        UserFactors fn = new UserFactors(IMPLICIT);
        try (var h = AlsHarnesses.users(fn, false, null)) {
            h.processBroadcastElement(item("a", 2, 1, 0), 0);
            h.processBroadcastElement(item("a", 1, 9, 9), 0); // older: ignored
            h.processBroadcastElement(item("b", 1, 1, 1), 0);
            h.processBroadcastElement(item("b", 1, 0, 2), 0); // same version again: the later wins
            h.processBroadcastElement(item("c", 1, 3, 3), 0);
            h.processBroadcastElement(new ItemFactorUpdate("c", null, 2, 0), 0); // tombstone
            h.processBroadcastElement(item("d", 1, 1, 2, 3), 0); // wrong rank: rejected

            Map<String, ItemFactorUpdate> table = AlsHarnesses.table(h);
            assertThat(table).containsOnlyKeys("a", "b");
            assertThat(table.get("a").factors).containsExactly(1, 0);
            assertThat(table.get("b").factors).containsExactly(0, 2);
            double[] gram = fn.tableForTesting().gram();
            double[] exact = FoldIn.gram(new double[][] {{1, 0}, {0, 2}}, 2);
            for (int i = 0; i < gram.length; i++) {
                assertThat(gram[i]).isCloseTo(exact[i], within(1e-12));
            }
        }
    }

    @Test
    void forgetUserClearsTheUsersState() throws Exception {
        try (var h = harness(IMPLICIT)) {
            h.processElement(event(EventType.VIEW, "u", "a", 1L), 1L);
            h.processElement(event(EventType.VIEW, "v", "a", 1L), 1L);
            h.processElement(forget("u", 2L), 2L);
            assertThat(userState(h, IMPLICIT, "u")).isNull();
            assertThat(userState(h, IMPLICIT, "v")).isNotNull();

            drain(h);
            h.processElement(event(EventType.CLICK, "u", "late", 2L), 2L);
            assertThat(userState(h, IMPLICIT, "u"))
                    .as("a late event from before the erasure is dropped")
                    .isNull();
            assertThat(h.extractOutputValues()).isEmpty();

            h.processElement(event(EventType.CLICK, "u", "b", 3L), 3L);
            assertThat(userState(h, IMPLICIT, "u").items).as("starts afresh").containsExactly("b");
        }
    }

    /** The guard read is skipped while no marker can be live: a restored marker still guards. */
    @Test
    void aForgottenUserStaysForgottenAcrossARestore() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness(IMPLICIT)) {
            h.processElement(event(EventType.VIEW, "u", "a", 1L), 1L);
            h.processElement(forget("u", 2L), 2L);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = AlsHarnesses.users(new UserFactors(IMPLICIT), false, snapshot)) {
            h.processElement(event(EventType.CLICK, "u", "late", 2L), 2L);
            assertThat(userState(h, IMPLICIT, "u"))
                    .as("a late event from before the erasure is dropped after the restore")
                    .isNull();
            h.processElement(event(EventType.CLICK, "u", "b", 3L), 3L);
            assertThat(userState(h, IMPLICIT, "u").items).containsExactly("b");
        }
    }

    @Test
    void candidatesAreTheBestUnseenItemsByDotProduct() throws Exception {
        AlsConfig c = AlsConfig.builder().rank(2).candidates(2).build();
        try (var h = harness(c)) {
            Event first = event(EventType.PURCHASE, "u", "a", 4L);
            h.processElement(first, 4L);
            assertThat(h.getSideOutput(UserFactors.CANDIDATES))
                    .as("an empty table proposes nothing")
                    .isNull();
            drain(h);

            h.processBroadcastElement(item("a", 1, 1, 0), 0);
            h.processBroadcastElement(item("near", 1, 0.9, 0.1).withCategory("books"), 0);
            h.processBroadcastElement(item("mid", 1, 0.5, 0.5), 0);
            h.processBroadcastElement(item("far", 1, -1, 0), 0);
            Event purchase = event(EventType.PURCHASE, "u", "a", 5L);
            purchase.category = "toys";
            h.processElement(purchase, 5L);
            UserFactorUpdate update = drain(h).get(0);
            assertThat(update.category)
                    .as("the item side learns the item's category")
                    .isEqualTo("toys");
            double[] x = update.userFactors;

            AlsCandidates cand = h.getSideOutput(UserFactors.CANDIDATES).poll().getValue();
            assertThat(cand.categories)
                    .as("categories from the published table")
                    .containsExactly("books", null);
            assertThat(cand.userId).isEqualTo("u");
            assertThat(cand.eventTime).isEqualTo(5L);
            assertThat(cand.items).containsExactly("near", "mid");
            assertThat(cand.scores[0]).isEqualTo((double) (float) (0.9 * x[0] + 0.1 * x[1])); // float precision
            assertThat(cand.scores[0]).isGreaterThan(cand.scores[1]);
        }
    }

    private static List<ItemTransition> transitions(
            KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> h) {
        List<ItemTransition> out = new ArrayList<>();
        for (StreamRecord<ItemTransition> r : h.getSideOutput(UserFactors.TRANSITIONS)) {
            out.add(r.getValue());
        }
        return out;
    }

    @Test
    void emitsTheUsersStepsFromTheirMostRecentItem() throws Exception {
        try (var h = harness(IMPLICIT)) {
            h.processElement(event(EventType.VIEW, "u", "a", 1L), 1L); // first: no predecessor
            h.processElement(event(EventType.VIEW, "v", "x", 2L), 2L); // another user
            Event b = event(EventType.CLICK, "u", "b", 3L);
            b.category = "shoes";
            h.processElement(b, 3L); // a → b, weight 2
            h.processElement(event(EventType.VIEW, "u", "b", 4L), 4L); // same item again: none
            h.processElement(event(EventType.IMPRESSION, "u", "c", 5L), 5L); // weight 0: none
            h.processElement(event(EventType.VIEW, "u", "c", 6L), 6L); // b → c
            h.processElement(event(EventType.PURCHASE, "u", "a", 7L), 7L); // c → a, back to a known item
            h.processElement(event(EventType.VIEW, "v", "y", 8L), 8L); // x → y
            h.processElement(forget("u", 9L), 9L);
            h.processElement(event(EventType.VIEW, "u", "d", 10L), 10L); // forgotten: no predecessor

            assertThat(transitions(h))
                    .containsExactly(
                            new ItemTransition("a", "b", 3L, 2.0).withCategory("shoes"),
                            new ItemTransition("b", "c", 6L, 1.0),
                            new ItemTransition("c", "a", 7L, 8.0),
                            new ItemTransition("x", "y", 8L, 1.0));
        }
    }

    @Test
    void explicitModeEmitsStepsBetweenRatingsOnly() throws Exception {
        try (var h = harness(EXPLICIT)) {
            h.processElement(rate("u", "a", 4, 1L), 1L);
            h.processElement(event(EventType.PURCHASE, "u", "b", 2L), 2L); // no rating: ignored
            h.processElement(rate("u", "c", 5, 3L), 3L);
            h.processElement(rate("u", "c", 2, 4L), 4L); // re-rating c: none
            assertThat(transitions(h)).containsExactly(new ItemTransition("a", "c", 3L, 5.0));
        }
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void userVectorsAndTableSurviveASavepoint(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        UserFactorState u1;
        UserFactorState u2;
        Map<String, ItemFactorUpdate> table;
        List<UserFactorUpdate> nextFromOriginal;
        try (var h = AlsHarnesses.users(new UserFactors(IMPLICIT), rocksDb, null)) {
            h.processBroadcastElement(item("a", 3, 1, 0.5), 0);
            h.processBroadcastElement(item("b", 1, -0.2, 1), 0);
            h.processElement(event(EventType.VIEW, "u1", "a", 1L), 1L);
            h.processElement(event(EventType.CLICK, "u1", "b", 2L), 2L);
            h.processElement(event(EventType.PURCHASE, "u2", "new", 3L), 3L);
            u1 = userState(h, IMPLICIT, "u1");
            u2 = userState(h, IMPLICIT, "u2");
            table = AlsHarnesses.table(h);
            snapshot = h.snapshot(1L, 1L);

            drain(h);
            h.processElement(event(EventType.VIEW, "u1", "new", 4L), 4L);
            nextFromOriginal = drain(h);
        }
        try (var h = AlsHarnesses.users(new UserFactors(IMPLICIT), rocksDb, snapshot)) {
            assertThat(userState(h, IMPLICIT, "u1")).isEqualTo(u1);
            assertThat(userState(h, IMPLICIT, "u2")).isEqualTo(u2);
            assertThat(AlsHarnesses.table(h)).isEqualTo(table);
            // the derived Gram is rebuilt: the same next event yields the same vector
            h.processElement(event(EventType.VIEW, "u1", "new", 4L), 4L);
            assertThat(drain(h)).isEqualTo(nextFromOriginal);
        }
    }

    /** The vector a user gets from {@code view a, click b} against a table holding a and b. */
    private static double[] foldedAgainst(AlsConfig c, double[] a, double[] b) throws Exception {
        try (var h = harness(c)) {
            h.processBroadcastElement(item("a", 1, a), 0);
            h.processBroadcastElement(item("b", 1, b), 0);
            h.processElement(event(EventType.VIEW, "u", "a", 10L), 10L);
            h.processElement(event(EventType.CLICK, "u", "b", 20L), 20L);
            List<UserFactorUpdate> out = drain(h);
            return out.get(out.size() - 1).userFactors;
        }
    }

    /** Items a = (1, 0) and b = (1, 1) in the table; users u and v view a at 10, click b at 20; outputs cleared. */
    private static void twoUsersViewAThenClickB(
            KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> h) throws Exception {
        h.processBroadcastElement(item("a", 1, 1, 0), 0);
        h.processBroadcastElement(item("b", 1, 1, 1), 0);
        for (String user : List.of("u", "v")) {
            h.processElement(event(EventType.VIEW, user, "a", 10L), 10L);
            h.processElement(event(EventType.CLICK, user, "b", 20L), 20L);
        }
        drain(h);
        h.getSideOutput(UserFactors.CANDIDATES).clear();
    }

    @Test
    void sweepRefoldsEveryUserAndSendsTheItemSideEachInteractionWithTheNewVector() throws Exception {
        AlsConfig c = AlsConfig.builder()
                .rank(2)
                .lambda(0.1)
                .implicit(1.0)
                .candidates(2)
                .build();
        try (var h = harness(c)) {
            twoUsersViewAThenClickB(h);
            h.processBroadcastElement(item("a", 2, 0.5, 0.5), 0); // the table moved after the users' events

            h.processBroadcastElement(ItemFactorUpdate.sweepAll(30L), 0);

            double[] expected = foldedAgainst(c, new double[] {0.5, 0.5}, new double[] {1, 1});
            List<UserFactorUpdate> sweep = drain(h);
            assertThat(sweep)
                    .extracting(u -> u.userId + "/" + u.itemId)
                    .containsExactlyInAnyOrder("u/a", "u/b", "v/a", "v/b");
            for (UserFactorUpdate u : sweep) {
                assertThat(u.userFactors)
                        .as("today's vector, not the one of the event's time")
                        .containsExactly(expected, within(EPS));
                assertThat(u.confidence)
                        .as("the window's evidence: view 1, click 2")
                        .isEqualTo(u.itemId.equals("a") ? 2.0 : 3.0);
                assertThat(u.preference).isEqualTo(1.0);
                assertThat(u.eventTime).isEqualTo(20L);
                assertThat(u.itemFactors).as("both items are in the table").isNull();
            }
            assertThat(userState(h, c, "u").factors)
                    .as("the new vector is stored")
                    .containsExactly(expected, within(EPS));
            assertThat(h.getSideOutput(UserFactors.CANDIDATES))
                    .as("candidates wait for the final refresh")
                    .isEmpty();
            assertThat(h.getSideOutput(UserFactors.TRANSITIONS))
                    .as("a sweep is not a step of the user")
                    .hasSize(2);
        }
    }

    @Test
    void refreshSendsEveryUserFreshCandidatesMarkedAsSuch() throws Exception {
        AlsConfig c = AlsConfig.builder()
                .rank(2)
                .lambda(0.1)
                .implicit(1.0)
                .candidates(1)
                .build();
        try (var h = harness(c)) {
            h.processBroadcastElement(item("c", 1, 0, 1), 0);
            twoUsersViewAThenClickB(h);

            h.processBroadcastElement(ItemFactorUpdate.refreshAll(30L), 0);

            assertThat(drain(h)).as("the item side gets nothing").isEmpty();
            List<AlsCandidates> fresh = new ArrayList<>();
            h.getSideOutput(UserFactors.CANDIDATES).forEach(r -> fresh.add(r.getValue()));
            assertThat(fresh).extracting(x -> x.userId).containsExactlyInAnyOrder("u", "v");
            for (AlsCandidates x : fresh) {
                assertThat(x.refresh).isTrue();
                assertThat(x.items).as("the only item neither user touched").containsExactly("c");
                assertThat(x.eventTime).as("the user's last event time").isEqualTo(20L);
            }
        }
    }
}
