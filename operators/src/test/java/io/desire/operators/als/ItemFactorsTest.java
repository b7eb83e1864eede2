package io.desire.operators.als;

import static io.desire.operators.als.AlsHarnesses.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rank 2, λ 0.1, α 1, item learning rate η 0.5, interval 1 s; harness processing time starts at 0. */
class ItemFactorsTest {
    private static final AlsConfig CONFIG = AlsConfig.builder()
            .rank(2)
            .lambda(0.1)
            .implicit(1.0)
            .itemLearningRate(0.5)
            .build();

    private static KeyedOneInputStreamOperatorTestHarness<String, UserFactorUpdate, ItemFactorUpdate> harness(
            AlsConfig c) throws Exception {
        return AlsHarnesses.items(new ItemFactors(c), false, null);
    }

    private static UserFactorUpdate interaction(String user, String item, double confidence, long ts, double... x) {
        return new UserFactorUpdate(user, item, x, confidence, 1.0, ts, null);
    }

    private static List<ItemFactorUpdate> drain(
            KeyedOneInputStreamOperatorTestHarness<String, UserFactorUpdate, ItemFactorUpdate> h) {
        List<ItemFactorUpdate> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    @Test
    void oneInteractionMovesTheItemByTheHandComputedStep() throws Exception {
        try (var h = harness(CONFIG)) {
            UserFactorUpdate u = interaction("u", "i", 2.0, 7L, 1, 1);
            u.itemFactors = new double[] {0.1, 0};
            h.processElement(u, 7L);
            h.setProcessingTime(1_000L);
            ItemFactorUpdate out = drain(h).get(0);
            // q = x·y = 0.1; evidence c−1 = 1 → target q + 1/2·(1 − q) = 0.55;
            // y' = y + η·x·(target − q) / (‖x‖² + η·λ) = y + 0.5·0.45/2.05 · (1, 1)
            double step = 0.5 * 0.45 / 2.05;
            assertThat(out.factors[0]).isCloseTo(0.1 + step, within(1e-12));
            assertThat(out.factors[1]).isCloseTo(step, within(1e-12));
            assertThat(out.itemId).isEqualTo("i");
            assertThat(out.version).isEqualTo(1L);
            assertThat(out.eventTime).isEqualTo(7L);
        }
    }

    /** Accumulator values as a job client reports them. */
    private static Map<String, Object> values(Map<String, Accumulator<?, ?>> accumulators) {
        Map<String, Object> values = new HashMap<>();
        accumulators.forEach((name, a) -> values.put(name, a.getLocalValue()));
        return values;
    }

    @Test
    void countsWhatTheLoopCarriesUntilEveryPendingVectorIsPublished() throws Exception {
        try (var h = harness(CONFIG)) {
            h.processElement(interaction("u", "i", 2.0, 1L, 1, 1), 1L);
            h.processElement(interaction("v", "i", 2.0, 2L, 1, 0), 2L);
            h.processElement(interaction("u", "j", 2.0, 3L, 0, 1), 3L);
            h.processElement(new UserFactorUpdate("u", "k", null, 2.0, 1.0, 4L, null), 4L); // rejected
            var accumulators = h.getEnvironment().getAccumulatorRegistry().getUserMap();
            AlsLoopCounts counts = AlsLoopCounts.of(values(accumulators));
            assertThat(counts.updatesReceived()).isEqualTo(4);
            assertThat(counts.vectorsPending())
                    .as("i and j wait for their timers")
                    .isEqualTo(2);
            assertThat(counts.vectorsPublished()).isZero();

            h.setProcessingTime(1_000L);
            counts = AlsLoopCounts.of(values(accumulators));
            assertThat(drain(h)).hasSize(2);
            assertThat(counts.vectorsPending()).isZero();
            assertThat(counts.vectorsPublished()).isEqualTo(2);
            AlsLoopCounts arrived = new AlsLoopCounts(4, counts.updatesReceived(), 0, 2, 2 * 2);
            assertThat(arrived.balanced(2))
                    .as("both user subtasks got both vectors")
                    .isTrue();
            assertThat(new AlsLoopCounts(4, 4, 0, 2, 3).balanced(2))
                    .as("a vector in flight")
                    .isFalse();
            assertThat(new AlsLoopCounts(5, 4, 0, 2, 4).balanced(2))
                    .as("an update in flight")
                    .isFalse();
            assertThat(new AlsLoopCounts(4, 4, 1, 2, 4).balanced(2))
                    .as("a vector to publish")
                    .isFalse();
        }
    }

    @Test
    void newItemWithoutCarriedVectorStartsFromTheSharedInitialVector() throws Exception {
        try (var h = harness(CONFIG)) {
            // preference 0 and no evidence: the vector does not move, but a new item is still published
            h.processElement(new UserFactorUpdate("u", "i", new double[] {1, 0}, 1.0, 0.0, 1L, null), 1L);
            h.setProcessingTime(1_000L);
            ItemFactorUpdate out = drain(h).get(0);
            assertThat(out.factors).containsExactly(CONFIG.initialItemVector("i"));
            assertThat(out.version).isEqualTo(1L);
        }
    }

    @Test
    void coalescesUpdatesIntoOnePublicationPerIntervalWithGrowingVersions() throws Exception {
        try (var h = harness(CONFIG)) {
            for (int n = 0; n < 20; n++) {
                h.setProcessingTime(10L * n);
                h.processElement(interaction("u" + n, "i", 2.0, 100L + n, 1, n % 3), 100L + n);
                h.processElement(interaction("u" + n, "j", 3.0, 50L, 0.5, 1), 50L);
            }
            assertThat(h.numProcessingTimeTimers()).as("one timer per item").isEqualTo(2);
            assertThat(h.extractOutputValues()).isEmpty();

            h.setProcessingTime(1_000L);
            List<ItemFactorUpdate> first = drain(h);
            assertThat(first).extracting(u -> u.itemId).containsExactlyInAnyOrder("i", "j");
            assertThat(first).allSatisfy(u -> assertThat(u.version).isEqualTo(1L));
            assertThat(first)
                    .filteredOn(u -> u.itemId.equals("i"))
                    .first()
                    .satisfies(u -> assertThat(u.eventTime).isEqualTo(119L));
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).as("end-of-input timers deleted").isZero();

            h.setProcessingTime(5_000L);
            assertThat(h.extractOutputValues())
                    .as("nothing pending, nothing published")
                    .isEmpty();

            h.processElement(interaction("v", "i", 2.0, 200L, -1, 1), 200L);
            h.processElement(interaction("w", "i", 2.0, 210L, 1, 1), 210L);
            h.setProcessingTime(6_000L);
            List<ItemFactorUpdate> second = drain(h);
            assertThat(second).singleElement().satisfies(u -> {
                assertThat(u.itemId).isEqualTo("i");
                assertThat(u.version).isEqualTo(2L);
                assertThat(u.eventTime).isEqualTo(210L);
            });
        }
    }

    @Test
    void endOfInputFlushesPendingItemsAndLeavesNoTimers() throws Exception {
        try (var h = harness(CONFIG)) {
            h.processElement(interaction("u", "i", 2.0, 1L, 1, 0), 1L);
            h.processElement(interaction("u", "j", 2.0, 2L, 0, 1), 2L);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).extracting(u -> u.itemId).containsExactlyInAnyOrder("i", "j");
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            ItemFactorState s = keyed(h, ItemFactors.createStateDescriptor(), "i");
            assertThat(s.version).isEqualTo(1L);
            assertThat(s.pendingUpdates).isZero();
            assertThat(s.timerAt).isEqualTo(ItemFactorState.NONE);
            assertThat(s.flushArmed).isFalse();
        }
    }

    @Test
    void publishesTheItemsLatestCategoryWithItsVector() throws Exception {
        try (var h = harness(CONFIG)) {
            UserFactorUpdate first = interaction("u", "i", 2.0, 1L, 1, 0);
            first.category = "books";
            h.processElement(first, 1L);
            h.processElement(interaction("v", "i", 2.0, 2L, 0, 1), 2L); // no category: keeps the known one
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).extracting(u -> u.category).containsExactly("books");
        }
    }

    @Test
    void vectorsStayWithinTheNormCap() throws Exception {
        AlsConfig c = AlsConfig.builder()
                .rank(2)
                .explicit()
                .maxNorm(1.0)
                .itemLearningRate(1.0)
                .build();
        try (var h = harness(c)) {
            for (int n = 0; n < 50; n++) {
                h.processElement(new UserFactorUpdate("u", "i", new double[] {0.01, 0.02}, 1.0, 1000.0, n, null), n);
            }
            h.setProcessingTime(1_000L);
            double[] y = drain(h).get(0).factors;
            assertThat(Math.hypot(y[0], y[1])).isLessThanOrEqualTo(1.0 + 1e-12);
        }
    }

    @Test
    void rejectsUpdatesOfTheWrongRank() throws Exception {
        try (var h = harness(CONFIG)) {
            h.processElement(interaction("u", "i", 2.0, 1L, 1, 2, 3), 1L);
            assertThat((ItemFactorState) keyed(h, ItemFactors.createStateDescriptor(), "i"))
                    .isNull();
            assertThat(h.numProcessingTimeTimers()).isZero();
        }
    }

    @ParameterizedTest(name = "rocksDb={0}")
    @ValueSource(booleans = {false, true})
    void itemVectorsAndVersionsSurviveASavepoint(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        ItemFactorState before;
        List<ItemFactorUpdate> afterOriginal;
        try (var h = AlsHarnesses.items(new ItemFactors(CONFIG), rocksDb, null)) {
            h.processElement(interaction("u", "i", 2.0, 1L, 1, 0.5), 1L);
            h.setProcessingTime(1_000L);
            h.processElement(interaction("v", "i", 3.0, 2L, 0.2, 1), 2L); // pending at the snapshot
            before = keyed(h, ItemFactors.createStateDescriptor(), "i");
            snapshot = h.snapshot(1L, 1_500L);
            h.setProcessingTime(2_000L);
            afterOriginal = drain(h);
        }
        assertThat(afterOriginal).extracting(u -> u.version).containsExactly(1L, 2L);
        try (var h = AlsHarnesses.items(new ItemFactors(CONFIG), rocksDb, snapshot)) {
            assertThat((ItemFactorState) keyed(h, ItemFactors.createStateDescriptor(), "i"))
                    .isEqualTo(before);
            // the restored timer publishes the pending change as version 2, identical to the original run
            h.setProcessingTime(2_000L);
            assertThat(h.extractOutputValues()).containsExactly(afterOriginal.get(1));
        }
    }
}
