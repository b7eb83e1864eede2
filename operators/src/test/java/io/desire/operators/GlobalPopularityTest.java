package io.desire.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.ranking.TrendingItems;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class GlobalPopularityTest {
    private static final long END = 300_000L;

    private static TrendingItems partial(String ctx, long end, String[] items, double[] scores, String[] cats) {
        return new TrendingItems(ctx, end, items, scores, cats);
    }

    @Test
    void mergesTheContextsOfOneWindowIntoOneGlobalTopK() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, TrendingItems, TrendingItems> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new GlobalPopularity(2), GlobalPopularity.keySelector(), Types.STRING)) {
            h.processElement(
                    partial("c1", END, new String[] {"a", "b"}, new double[] {9, 2}, new String[] {"shoes", null}),
                    END - 1);
            h.processElement(
                    partial("c2", END, new String[] {"b", "d"}, new double[] {8, 1}, new String[] {"hats", null}),
                    END - 1);
            h.processElement(
                    partial("c1", END + 300_000L, new String[] {"e"}, new double[] {5}, new String[] {null}),
                    END + 299_999L);

            h.processWatermark(END - 1);

            TrendingItems g = h.extractOutputValues().get(0);
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(g.contextKey).isEqualTo(TrendingItems.GLOBAL);
            assertThat(g.windowEnd).isEqualTo(END);
            assertThat(g.items).containsExactly("b", "a");
            assertThat(g.scores).containsExactly(10.0, 9.0);
            assertThat(g.categories).containsExactly("hats", "shoes");
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processWatermark(END + 299_999L);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.extractOutputValues().get(1).items).containsExactly("e");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            h.processElement(partial("c3", END, new String[] {"late"}, new double[] {1}, new String[1]), END - 1);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void listsPendingUnderTheOneKeyOfEarlierVersionsAreMergedAfterARestore() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, TrendingItems, TrendingItems> old =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                        new GlobalPopularity(2), t -> TrendingItems.GLOBAL, Types.STRING)) {
            old.processElement(partial("c1", END, new String[] {"a"}, new double[] {3}, new String[1]), END - 1);
            old.processElement(
                    partial("c1", END + 300_000L, new String[] {"e"}, new double[] {5}, new String[1]), END + 299_999L);
            snapshot = old.snapshot(1L, 1L);
        }
        // Nothing of the window is lost across the change of key: the restored lists are merged
        // under the old key, the new ones under the window's (the window is published twice, once).
        var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new GlobalPopularity(2)),
                GlobalPopularity.keySelector(),
                Types.STRING);
        try (restored) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(partial("c2", END, new String[] {"b"}, new double[] {4}, new String[1]), END - 1);

            restored.processWatermark(END + 299_999L);

            assertThat(restored.extractOutputValues())
                    .extracting(t -> t.windowEnd + ":" + String.join(",", t.items))
                    .containsExactlyInAnyOrder(END + ":a", END + ":b", (END + 300_000L) + ":e");
            assertThat(restored.numKeyedStateEntries()).isZero();
        }
    }
}
