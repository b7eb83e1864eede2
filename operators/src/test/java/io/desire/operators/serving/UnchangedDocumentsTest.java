package io.desire.operators.serving;

import static io.desire.operators.TestEvents.CTX_X;
import static io.desire.operators.TestEvents.behaviour;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.EventType;
import io.desire.features.recs.Recommendation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@code recs.unchanged-refresh}: a document that ranks as the last written one is left unwritten,
 * yet written within the refresh interval, at once when its list changes, and at the end of input.
 * Blend ranking without trending lists: the list is the user's viewed items by affinity.
 */
class UnchangedDocumentsTest {
    private static final String U = "u1";
    private static final Duration REFRESH = Duration.ofSeconds(30);

    private static KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> harness(
            Duration refresh) throws Exception {
        return RecommenderHarness.open(
                UserRecommender.builder().unchangedRefresh(refresh).build(), true);
    }

    private static void view(
            KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> h,
            String item,
            String category,
            long ts)
            throws Exception {
        h.processElement(UserSignal.of(behaviour(EventType.VIEW, U, item, category, ts, CTX_X)), ts);
    }

    private static String[] ids(Recommendation r) {
        return Arrays.stream(r.items).map(i -> i.item).toArray(String[]::new);
    }

    /** The documents emitted since the last call. */
    private static List<Recommendation> drain(
            KeyedBroadcastOperatorTestHarness<String, UserSignal, ModelUpdate, Recommendation> h) {
        List<Recommendation> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    @Test
    void anUnchangedListIsWrittenWithItsNewEventTimeWhenTheRefreshIsDue() throws Exception {
        try (var h = harness(REFRESH)) {
            view(h, "s1", "shoes", 1_000L);
            h.setProcessingTime(200L);
            assertThat(drain(h)).singleElement().satisfies(d -> {
                assertThat(ids(d)).containsExactly("s1");
                assertThat(d.eventTime).isEqualTo(1_000L);
            });

            view(h, "s1", "shoes", 2_000L);
            h.setProcessingTime(400L);
            assertThat(drain(h)).as("same list as written at 200 ms").isEmpty();
            assertThat(h.numProcessingTimeTimers())
                    .as("the refresh is scheduled")
                    .isEqualTo(1);

            view(h, "s1", "shoes", 3_000L);
            h.setProcessingTime(30_199L);
            assertThat(drain(h)).as("still the same list, refresh not due").isEmpty();

            h.setProcessingTime(30_200L);
            assertThat(drain(h)).singleElement().satisfies(d -> {
                assertThat(ids(d)).containsExactly("s1");
                assertThat(d.eventTime).as("the newest event").isEqualTo(3_000L);
                assertThat(d.profileEvents).isEqualTo(3);
                assertThat(d.updatedAt).isEqualTo(30_200L);
            });
            assertThat(h.numProcessingTimeTimers()).as("nothing owed").isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aChangedListIsWrittenAtTheNextFlushEvenWhileAnUnchangedOneIsOwed() throws Exception {
        try (var h = harness(REFRESH)) {
            view(h, "s1", "shoes", 1_000L);
            h.setProcessingTime(200L);
            drain(h);
            view(h, "s1", "shoes", 2_000L);
            h.setProcessingTime(400L);
            assertThat(drain(h)).isEmpty();

            view(h, "b1", "books", 2_500L);
            h.setProcessingTime(600L);
            assertThat(drain(h))
                    .as("not delayed to the refresh timer")
                    .singleElement()
                    .satisfies(d -> {
                        assertThat(ids(d)).containsExactlyInAnyOrder("s1", "b1");
                        assertThat(d.eventTime).isEqualTo(2_500L);
                    });
            h.setProcessingTime(60_000L);
            assertThat(drain(h))
                    .as("the changed document settled what was owed")
                    .isEmpty();
        }
    }

    @Test
    void theEndOfInputWritesWhatIsOwed() throws Exception {
        try (var h = harness(REFRESH)) {
            view(h, "s1", "shoes", 1_000L);
            h.setProcessingTime(200L);
            drain(h);
            view(h, "s1", "shoes", 2_000L);
            h.setProcessingTime(400L);
            assertThat(drain(h)).isEmpty();
            assertThat(h.numEventTimeTimers())
                    .as("the end-of-input flush is armed")
                    .isEqualTo(1);

            // end of input: the final watermark arrives on both inputs
            h.processWatermark(Long.MAX_VALUE);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            assertThat(drain(h))
                    .singleElement()
                    .satisfies(d -> assertThat(d.eventTime).isEqualTo(2_000L));
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void withoutRefreshIntervalEveryFlushWrites() throws Exception {
        try (var h = harness(Duration.ZERO)) {
            view(h, "s1", "shoes", 1_000L);
            h.setProcessingTime(200L);
            view(h, "s1", "shoes", 2_000L);
            h.setProcessingTime(400L);
            assertThat(drain(h)).extracting(d -> d.eventTime).containsExactly(1_000L, 2_000L);
        }
    }
}
