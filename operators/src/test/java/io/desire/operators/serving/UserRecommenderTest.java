package io.desire.operators.serving;

import static io.desire.operators.TestEvents.CTX_X;
import static io.desire.operators.TestEvents.CTX_Y;
import static io.desire.operators.TestEvents.behaviour;
import static io.desire.operators.TestEvents.forget;
import static io.desire.operators.TestEvents.item;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.ranking.Reasons;
import io.desire.features.ranking.TrendingItems;
import io.desire.features.recs.RankedItem;
import io.desire.features.recs.Recommendation;
import io.desire.operators.TestEvents;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Emission interval 200 ms (the default); harness processing time starts at 0. */
class UserRecommenderTest {
    private static final String U = "u1";

    private static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> harness(
            boolean rocksDb) throws Exception {
        return RecommenderHarness.open(new UserRecommender(), rocksDb);
    }

    private static void send(
            KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> h,
            EventType type,
            String item,
            String category,
            long ts,
            String ctx)
            throws Exception {
        h.processElement(UserSignal.of(behaviour(type, U, item, category, ts, ctx)), ts);
    }

    /** Trending in CTX_X: toys t1 10, shoes s1 9, books b1 8; global: t1 10, b1 5. */
    private static void broadcastTrending(
            KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> h) throws Exception {
        h.processBroadcastElement(
                trending(CTX_X, 600_000L, new String[] {"t1", "s1", "b1"}, new double[] {10, 9, 8}, new String[] {
                    "toys", "shoes", "books"
                }),
                599_999L);
        h.processBroadcastElement(
                trending(TrendingItems.GLOBAL, 600_000L, new String[] {"t1", "b1"}, new double[] {10, 5}, new String[] {
                    "toys", "books"
                }),
                599_999L);
    }

    /** Keys holding a profile or contexts, on either backend. */
    private static long stateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) throws Exception {
        long n = 0;
        for (String name : new String[] {UserRecommender.PROFILE_STATE_NAME, UserRecommender.CONTEXTS_STATE_NAME}) {
            try (var keys = h.getOperator()
                    .getKeyedStateBackend()
                    .getKeys(name, org.apache.flink.runtime.state.VoidNamespace.INSTANCE)) {
                n += keys.count();
            }
        }
        return n;
    }

    private static String[] ids(Recommendation r) {
        return Arrays.stream(r.items).map(i -> i.item).toArray(String[]::new);
    }

    @Test
    void coalescesManyEventsIntoOneDocumentPerContextPerTimer() throws Exception {
        coalesce(false);
    }

    @Test
    void coalescesOnRocksDb() throws Exception {
        coalesce(true);
    }

    private void coalesce(boolean rocksDb) throws Exception {
        try (var h = harness(rocksDb)) {
            for (int i = 0; i < 5; i++) {
                send(h, EventType.VIEW, "s" + i, "shoes", 1_000L + i, CTX_X);
            }
            send(h, EventType.CLICK, "b9", "books", 900L, CTX_Y);
            send(h, EventType.CLICK, "b8", "books", 950L, CTX_Y);
            send(h, EventType.VIEW, "b7", "books", 800L, CTX_Y);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.setProcessingTime(199L);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(200L);

            List<Recommendation> docs = h.extractOutputValues();
            docs.sort(Comparator.comparing(Recommendation::documentId));
            assertThat(docs).extracting(Recommendation::documentId).containsExactly(U + ":" + CTX_X, U + ":" + CTX_Y);
            assertThat(docs).extracting(r -> r.op).containsOnly(Recommendation.Op.UPSERT);
            assertThat(docs).extracting(r -> r.eventTime).containsExactly(1_004L, 950L);
            assertThat(docs).extracting(r -> r.updatedAt).containsOnly(200L);
            assertThat(docs).extracting(r -> r.modelVersion).containsOnly(UserRecommender.MODEL_VERSION);
            assertThat(docs.get(0).geoCell).isEqualTo("u4pruy");
            assertThat(docs.get(0).timeBucket).isEqualTo("weekday-evening");
            assertThat(docs.get(0).deviceClass).isEqualTo("mobile");
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            // the next event starts a new period with one new timer
            send(h, EventType.VIEW, "s9", "shoes", 2_000L, CTX_X);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(400L);
            assertThat(h.extractOutputValues()).hasSize(3);
            assertThat(stateEntries(h)).as("the user's profile and contexts").isEqualTo(2);
        }
    }

    @Test
    void rankingFavoursTheUsersCategoryAndExcludesPurchases() throws Exception {
        try (var h = harness(false)) {
            broadcastTrending(h);
            send(h, EventType.VIEW, "s5", "shoes", 1_000L, CTX_X);
            send(h, EventType.VIEW, "s5", "shoes", 1_001L, CTX_X);
            send(h, EventType.VIEW, "s5", "shoes", 1_002L, CTX_X);
            send(h, EventType.CLICK, "s6", "shoes", 1_003L, CTX_X);
            h.setProcessingTime(200L);

            // s5: 0.5·(1 + 1) = 1.0; s6: 0.5·(2/3 + 1) ≈ 0.833; s1: 0.5·1 + 0.3·0.9 = 0.77;
            // t1: 0.3·1 + 0.2·1 = 0.5; b1: 0.3·0.8 + 0.2·0.5 = 0.34
            Recommendation doc = h.extractOutputValues().get(0);
            assertThat(ids(doc)).containsExactly("s5", "s6", "s1", "t1", "b1");
            RankedItem s1 = doc.items[2];
            assertThat(s1.category).isEqualTo("shoes");
            assertThat(s1.reasons).containsExactly(Reasons.AFFINITY_CATEGORY, Reasons.CONTEXT_TRENDING);

            send(h, EventType.PURCHASE, "s1", "shoes", 2_000L, CTX_X);
            h.setProcessingTime(400L);
            Recommendation after = h.extractOutputValues().get(1);
            assertThat(ids(after)).doesNotContain("s1").startsWith("s5", "s6");
        }
    }

    @Test
    void forgetUserClearsStateAndTimersAndEmitsAnErasure() throws Exception {
        forgetUser(false);
    }

    @Test
    void forgetUserOnRocksDb() throws Exception {
        forgetUser(true);
    }

    private void forgetUser(boolean rocksDb) throws Exception {
        try (var h = harness(rocksDb)) {
            send(h, EventType.VIEW, "s1", "shoes", 1_000L, CTX_X);
            h.setProcessingTime(200L);
            send(h, EventType.VIEW, "s2", "shoes", 2_000L, CTX_Y); // pending again: timers registered
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

            h.processElement(UserSignal.of(forget(U, 3_000L)), 3_000L);

            List<Recommendation> out = h.extractOutputValues();
            Recommendation erase = out.get(out.size() - 1);
            assertThat(erase.op).isEqualTo(Recommendation.Op.FORGET_USER);
            assertThat(erase.userId).isEqualTo(U);
            assertThat(erase.eventTime).isEqualTo(3_000L);
            assertThat(erase.updatedAt).isEqualTo(200L);
            assertThat(stateEntries(h)).as("profile and contexts").isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            // An event from before the erasure that arrives late re-creates nothing.
            send(h, EventType.VIEW, "s3", "shoes", 2_500L, CTX_X);
            assertThat(stateEntries(h)).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();

            h.setProcessingTime(1_000L);
            h.processWatermark(Long.MAX_VALUE);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).hasSize(out.size());
        }
    }

    /** The guard read is skipped while no marker can be live: a restored marker still guards. */
    @Test
    void aForgottenUserStaysForgottenAcrossARestore() throws Exception {
        for (boolean rocksDb : new boolean[] {false, true}) {
            org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
            try (var h = harness(rocksDb)) {
                send(h, EventType.VIEW, "s1", "shoes", 1_000L, CTX_X);
                h.processElement(UserSignal.of(forget(U, 3_000L)), 3_000L);
                snapshot = h.snapshot(1L, 1L);
            }
            try (var h = RecommenderHarness.open(new UserRecommender(), rocksDb, snapshot)) {
                send(h, EventType.VIEW, "s3", "shoes", 2_500L, CTX_X);
                assertThat(TestEvents.keyedStateEntries(
                                h,
                                UserRecommender.FORGOTTEN_STATE_NAME,
                                UserRecommender.PROFILE_STATE_NAME,
                                UserRecommender.CONTEXTS_STATE_NAME))
                        .as("only the erasure time, rocksDb=" + rocksDb)
                        .isEqualTo(1);
                assertThat(h.numProcessingTimeTimers()).isZero();
            }
        }
    }

    @Test
    void afterTheGuardNothingOfAForgottenUserRemains() throws Exception {
        try (var h = harness(false)) {
            h.setStateTtlProcessingTime(0L);
            send(h, EventType.VIEW, "s1", "shoes", 1_000L, CTX_X);
            h.processElement(UserSignal.of(forget(U, 3_000L)), 3_000L);
            assertThat(TestEvents.keyedStateEntries(h))
                    .as("only the erasure time")
                    .isEqualTo(1);

            // The user comes back later: new events count again.
            send(h, EventType.VIEW, "s2", "shoes", 4_000L, CTX_X);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.processElement(UserSignal.of(forget(U, 5_000L)), 5_000L);

            h.setStateTtlProcessingTime(UserRecommender.DEFAULT_FORGET_GUARD.toMillis() + 1);
            h.getOperator().setCurrentKey(U);
            assertThat(h.getOperator()
                            .getKeyedStateStore()
                            .getState(UserRecommender.createForgottenDescriptor(UserRecommender.DEFAULT_FORGET_GUARD))
                            .value())
                    .as("the erasure time expires after the guard")
                    .isNull();
            assertThat(TestEvents.keyedStateEntries(h)).isZero();
        }
    }

    @Test
    void finalWatermarkFlushesPendingDocumentsOfABoundedInput() throws Exception {
        try (var h = harness(false)) {
            send(h, EventType.VIEW, "s1", "shoes", 1_000L, CTX_X);
            send(h, EventType.VIEW, "s2", "shoes", 1_500L, CTX_Y);

            // end of input: the final watermark arrives on both inputs; processing time never advances
            h.processWatermark(Long.MAX_VALUE);
            h.processBroadcastWatermark(Long.MAX_VALUE);

            assertThat(h.extractOutputValues())
                    .hasSize(2)
                    .extracting(r -> r.eventTime)
                    .containsExactlyInAnyOrder(1_000L, 1_500L);
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void documentVersionNeverGoesBackwards() throws Exception {
        try (var h = harness(false)) {
            send(h, EventType.VIEW, "s1", "shoes", 5_000L, CTX_X);
            h.setProcessingTime(200L);
            send(h, EventType.VIEW, "s2", "shoes", 4_000L, CTX_X); // older event arrives late
            h.setProcessingTime(400L);

            assertThat(h.extractOutputValues()).extracting(r -> r.eventTime).containsExactly(5_000L, 5_000L);
        }
    }

    @Test
    void zeroWeightEventsOnlyCreateMissingDocumentsAndItemEventsAreIgnored() throws Exception {
        try (var h = harness(false)) {
            Event catalog = item("i1", "shoes", 500L);
            catalog.userId = U;
            h.processElement(UserSignal.of(catalog), 500L);
            assertThat(stateEntries(h)).isZero();

            send(h, EventType.IMPRESSION, "s1", null, 1_000L, CTX_X);
            h.setProcessingTime(200L);
            assertThat(h.extractOutputValues()).hasSize(1);

            send(h, EventType.IMPRESSION, "s2", null, 2_000L, CTX_X);
            assertThat(h.numProcessingTimeTimers()).isZero();
            h.setProcessingTime(400L);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void staleContextTrendingIsDroppedWhenNewerGlobalPopularityArrives() throws Exception {
        try (var h = harness(false)) {
            broadcastTrending(h);
            h.processBroadcastElement(
                    trending(
                            TrendingItems.GLOBAL,
                            600_000L + 3_600_000L,
                            new String[] {"g1"},
                            new double[] {1},
                            new String[1]),
                    4_199_999L);

            var trending = h.getBroadcastState(UserRecommender.createTrendingDescriptor());
            assertThat(trending.contains(CTX_X)).isFalse();
            assertThat(trending.get(TrendingItems.GLOBAL).items).containsExactly("g1");

            // an older global list never replaces a newer one
            broadcastTrending(h);
            assertThat(trending.get(TrendingItems.GLOBAL).items).containsExactly("g1");
        }
    }

    private static ModelUpdate trending(
            String key, long windowEnd, String[] items, double[] scores, String[] categories) {
        return ModelUpdate.of(new TrendingItems(key, windowEnd, items, scores, categories));
    }

    @Test
    void alsLeadsForUsersWithEnoughDistinctItemsEvenWhenTheirProfileHasDecayed() {
        var all = java.util.EnumSet.allOf(io.desire.features.serving.CandidateSource.class);
        var als = io.desire.features.serving.CandidateSource.ALS;
        var affinity = io.desire.features.serving.CandidateSource.AFFINITY;
        io.desire.features.profile.UserProfile decayed = new io.desire.features.profile.UserProfile();
        io.desire.features.serving.ConsumedItems rated = new io.desire.features.serving.ConsumedItems();
        for (int i = 0; i < UserRecommender.MIN_ITEMS_FOR_ALS; i++) {
            rated.add("film" + i, io.desire.features.serving.ConsumedItems.DEFAULT_MAX);
        }
        assertThat(UserRecommender.coldStart(als, decayed, rated, all))
                .as("known by what they consumed")
                .isEqualTo(als);
        assertThat(UserRecommender.coldStart(als, decayed, null, all))
                .as("a newcomer")
                .isEqualTo(affinity);
        assertThat(UserRecommender.coldStart(als, decayed, null, java.util.EnumSet.of(als)))
                .as("no affinity source to fall back to")
                .isEqualTo(als);
    }
}
