package io.desire.operators.serving;

import static io.desire.operators.TestEvents.CTX_X;
import static io.desire.operators.TestEvents.CTX_Y;
import static io.desire.operators.TestEvents.behaviour;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.EventType;
import io.desire.features.recs.Recommendation;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * History mode (a backfill): documents wait for the "history read" signal, which ranks each pending
 * (user, context) once — for every user, whatever model state they have — and then serving goes on as live.
 */
class UserRecommenderHistoryModeTest {

    private static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> harness(
            boolean rocksDb) throws Exception {
        return RecommenderHarness.open(
                UserRecommender.builder().historyMode(true).build(), rocksDb);
    }

    private static void send(
            KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> h,
            String user,
            EventType type,
            String item,
            String category,
            long ts,
            String ctx)
            throws Exception {
        h.processElement(UserSignal.of(behaviour(type, user, item, category, ts, ctx)), ts);
    }

    @Test
    void ranksEachPendingDocumentOnceWhenHistoryIsRead() throws Exception {
        ranksOnce(false);
    }

    @Test
    void ranksEachPendingDocumentOnceOnRocksDb() throws Exception {
        ranksOnce(true);
    }

    private void ranksOnce(boolean rocksDb) throws Exception {
        try (var h = harness(rocksDb)) {
            for (int i = 0; i < 5; i++) {
                send(h, "u1", EventType.VIEW, "s" + i, "shoes", 1_000L + i, CTX_X);
            }
            send(h, "u1", EventType.CLICK, "b9", "books", 900L, CTX_Y);
            send(h, "u2", EventType.VIEW, "b7", "books", 800L, CTX_Y);
            h.setProcessingTime(60_000L);
            send(h, "u2", EventType.CLICK, "b6", "books", 2_000L, CTX_Y);
            h.setProcessingTime(120_000L);

            assertThat(h.extractOutputValues())
                    .as("no document while history is read")
                    .isEmpty();
            assertThat(h.numProcessingTimeTimers())
                    .as("no timer while history is read")
                    .isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            h.processBroadcastElement(ModelUpdate.historyRead(), 2_000L);

            List<Recommendation> docs = h.extractOutputValues();
            docs.sort(Comparator.comparing(Recommendation::documentId));
            assertThat(docs)
                    .extracting(Recommendation::documentId)
                    .containsExactly("u1:" + CTX_X, "u1:" + CTX_Y, "u2:" + CTX_Y);
            assertThat(docs).extracting(r -> r.eventTime).containsExactly(1_004L, 900L, 2_000L);
            assertThat(docs)
                    .as("every document ranked from the user's whole history")
                    .extracting(r -> r.profileEvents)
                    .containsExactly(6L, 6L, 2L);
            assertThat(docs).extracting(r -> r.updatedAt).containsOnly(120_000L);
            assertThat(docs.get(0).items)
                    .as("the user's shoes lead their document")
                    .isNotEmpty();

            // a second signal (at-least-once Kafka) writes nothing more
            h.processBroadcastElement(ModelUpdate.historyRead(), 2_000L);
            assertThat(h.extractOutputValues()).hasSize(3);

            // after history: live serving, coalesced by a timer
            send(h, "u2", EventType.VIEW, "b5", "books", 3_000L, CTX_Y);
            assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
            h.setProcessingTime(120_200L);
            assertThat(h.extractOutputValues()).hasSize(4);
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theSignalWithoutHistoryModeChangesNothing() throws Exception {
        try (var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new UserRecommender(), List.of(UserRecommender.broadcastDescriptors())),
                UserRecommender.keySelector(),
                Types.STRING,
                128,
                1,
                0)) {
            h.open();
            send(h, "u1", EventType.VIEW, "s1", "shoes", 1_000L, CTX_X);
            h.processBroadcastElement(ModelUpdate.historyRead(), 1_000L);
            assertThat(h.extractOutputValues()).isEmpty();
            h.setProcessingTime(200L);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }
}
