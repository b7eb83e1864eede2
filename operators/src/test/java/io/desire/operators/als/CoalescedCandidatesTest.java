package io.desire.operators.als;

import static io.desire.operators.als.AlsHarnesses.event;
import static io.desire.operators.als.AlsHarnesses.forget;
import static io.desire.operators.als.AlsHarnesses.item;
import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link UserFactors} with {@link AlsConfig#candidatesIntervalMillis()} > 0: one list per user and period. */
class CoalescedCandidatesTest {
    private static final long INTERVAL = 1000;
    private static final AlsConfig PER_EVENT =
            AlsConfig.builder().rank(2).lambda(0.1).implicit(1.0).candidates(2).build();
    private static final AlsConfig COALESCED = AlsConfig.builder()
            .rank(2)
            .lambda(0.1)
            .implicit(1.0)
            .candidates(2)
            .candidatesInterval(Duration.ofMillis(INTERVAL))
            .build();

    private static KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> harness(
            AlsConfig c, boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        return AlsHarnesses.users(new UserFactors(c), rocksDb, restoreFrom);
    }

    private static List<AlsCandidates> lists(
            KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> h) {
        List<AlsCandidates> out = new ArrayList<>();
        var queue = h.getSideOutput(UserFactors.CANDIDATES);
        if (queue != null) {
            for (StreamRecord<AlsCandidates> r : queue) {
                out.add(r.getValue());
            }
            queue.clear();
        }
        return out;
    }

    /** The final watermark of a bounded run, on both inputs (the feed ends too). */
    private static void endOfInput(
            KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> h) throws Exception {
        h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
        h.processWatermark(new Watermark(Long.MAX_VALUE));
    }

    private static void table(KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> h)
            throws Exception {
        h.processBroadcastElement(item("a", 1, 1, 0), 0);
        h.processBroadcastElement(item("b", 1, 0.2, 1).withCategory("books"), 0);
        h.processBroadcastElement(item("c", 1, 0.9, 0.1), 0);
        h.processBroadcastElement(item("d", 1, 0.5, 0.5), 0);
        h.processBroadcastElement(item("e", 1, -1, 0.3), 0);
    }

    /** Where a period of {@code u} starts: its timers fire at this instant plus multiples of the interval. */
    private static final long START = UserFactors.nextDue(0, INTERVAL, "u");
    /** When the period of {@link #burst} ends. */
    private static final long DUE = START + INTERVAL;

    /** Three events of {@code u} within one period (processing time); the last has event time 30. */
    private static void burst(KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> h)
            throws Exception {
        h.setProcessingTime(START + 1);
        h.processElement(event(EventType.VIEW, "u", "a", 10L), 10L);
        h.setProcessingTime(START + 200);
        h.processElement(event(EventType.CLICK, "u", "b", 20L), 20L);
        h.setProcessingTime(START + 300);
        h.processElement(event(EventType.PURCHASE, "u", "a", 30L), 30L);
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void aBurstOfEventsSendsOneListEqualToTheLastPerEventList(boolean rocksDb) throws Exception {
        AlsCandidates perEventLast;
        try (var h = harness(PER_EVENT, rocksDb, null)) {
            table(h);
            burst(h);
            List<AlsCandidates> all = lists(h);
            assertThat(all).as("one list per event without coalescing").hasSize(3);
            perEventLast = all.get(2);
        }
        try (var h = harness(COALESCED, rocksDb, null)) {
            table(h);
            burst(h);
            assertThat(lists(h)).as("nothing before the period ends").isEmpty();
            assertThat(h.numProcessingTimeTimers())
                    .as("the burst shares one timer")
                    .isEqualTo(1);

            h.setProcessingTime(DUE);
            List<AlsCandidates> sent = lists(h);
            assertThat(sent).as("one list for the period").hasSize(1);
            assertThat(sent.get(0))
                    .as("the list the last event would have sent")
                    .isEqualTo(perEventLast);
            assertThat(sent.get(0).eventTime).isEqualTo(30L);
            assertThat(h.numEventTimeTimers())
                    .as("the end-of-input timer goes with the period")
                    .isZero();

            endOfInput(h);
            assertThat(lists(h)).as("an emitted period is not flushed again").isEmpty();
        }
    }

    @Test
    void theNextEventAfterAPeriodStartsAnotherOne() throws Exception {
        try (var h = harness(COALESCED, false, null)) {
            table(h);
            burst(h);
            h.setProcessingTime(DUE);
            assertThat(lists(h)).hasSize(1);

            h.processElement(event(EventType.VIEW, "u", "d", 40L), 40L);
            h.setProcessingTime(DUE + INTERVAL);
            List<AlsCandidates> sent = lists(h);
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).eventTime).isEqualTo(40L);
            assertThat(sent.get(0).items)
                    .as("the window's items are never candidates")
                    .doesNotContain("a", "b", "d");
        }
    }

    @Test
    void aPendingListIsSentByTheFinalWatermarkOfABoundedInput() throws Exception {
        try (var h = harness(COALESCED, false, null)) {
            table(h);
            burst(h);
            h.processElement(event(EventType.VIEW, "v", "c", 5L), 5L);

            endOfInput(h);

            assertThat(lists(h)).extracting(c -> c.userId).containsExactlyInAnyOrder("u", "v");
        }
    }

    @Test
    void aUserErasedBeforeTheTimerGetsNoList() throws Exception {
        try (var h = harness(COALESCED, false, null)) {
            table(h);
            burst(h);
            h.processElement(forget("u", 35L), 35L);

            h.setProcessingTime(DUE);
            endOfInput(h);

            assertThat(lists(h)).isEmpty();
        }
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void aPendingListSurvivesARestore(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(COALESCED, rocksDb, null)) {
            table(h);
            burst(h);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(COALESCED, rocksDb, snapshot)) {
            h.setProcessingTime(DUE);
            List<AlsCandidates> sent = lists(h);
            assertThat(sent)
                    .as("the timer and the table came back with the state")
                    .hasSize(1);
            assertThat(sent.get(0).userId).isEqualTo("u");
            assertThat(sent.get(0).eventTime).isEqualTo(30L);
        }
    }

    @Test
    void anEmptyTableProposesNothingWhenTheTimerFires() throws Exception {
        try (var h = harness(COALESCED, false, null)) {
            burst(h);
            h.setProcessingTime(DUE);
            endOfInput(h);
            assertThat(lists(h)).isEmpty();
        }
    }

    @Test
    void theDueTimeIsWithinOneIntervalAndTheSameForAWholePeriod() {
        for (String user : List.of("u", "v", "user-123", "")) {
            long due = UserFactors.nextDue(12_345, INTERVAL, user);
            assertThat(due).isGreaterThan(12_345).isLessThanOrEqualTo(12_345 + INTERVAL);
            for (long now = due - INTERVAL; now < due; now += 7) {
                assertThat(UserFactors.nextDue(now, INTERVAL, user)).isEqualTo(due);
            }
            assertThat(UserFactors.nextDue(due, INTERVAL, user)).isEqualTo(due + INTERVAL);
        }
        assertThat(UserFactors.nextDue(0, INTERVAL, "u"))
                .as("phases differ between users")
                .isNotEqualTo(UserFactors.nextDue(0, INTERVAL, "v"));
    }
}
