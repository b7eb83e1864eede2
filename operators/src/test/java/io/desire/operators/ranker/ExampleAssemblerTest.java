package io.desire.operators.ranker;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.operators.feedback.LabeledExample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Retention 6 h, features over 2^12 buckets. */
class ExampleAssemblerTest {
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long T0 = 1_700_000_000_000L;
    private static final RankingFeatures FEATURES =
            new RankingFeatures(new FeatureHasher(12, FeatureHasher.DEFAULT_SEED));
    private static final String GEO = "u4pruy";
    private static final String TIME = "weekday-evening";
    private static final String DEVICE = "mobile";
    private static final String CTX = GEO + ':' + TIME + ':' + DEVICE;

    private static KeyedTwoInputStreamOperatorTestHarness<String, LabeledExample, ServedFeatures, TrainingExample>
            harness(ExampleAssembler assembler, boolean rocksDb) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(assembler),
                ExampleAssembler.exampleKeySelector(),
                ExampleAssembler.servedKeySelector(),
                Types.STRING,
                128,
                1,
                0);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        h.open();
        return h;
    }

    private static ExampleAssembler assembler() {
        return ExampleAssembler.builder()
                .features(FEATURES)
                .retention(Duration.ofHours(6))
                .build();
    }

    /** A distinct marker vector, so tests can tell which served record an example joined. */
    private static HashedFeatures marker(int bucket) {
        return new HashedFeatures(new int[] {bucket}, new double[] {1.0});
    }

    private static ServedFeatures served(String user, String item, long at, int markerBucket) {
        return new ServedFeatures(user, CTX, item, null, at, 1, marker(markerBucket));
    }

    private static LabeledExample example(String user, String item, int label, long shown, long decided) {
        LabeledExample x = new LabeledExample();
        x.requestId = "r-" + shown;
        x.userId = user;
        x.itemId = item;
        x.category = "shoes";
        x.geoCell = GEO;
        x.timeBucket = TIME;
        x.deviceClass = DEVICE;
        x.label = label;
        x.impressionTs = shown;
        x.decisionTs = decided;
        return x;
    }

    private static HashedFeatures rebuilt(String item) {
        return FEATURES.builder().context(GEO, TIME, DEVICE).item(item, "shoes").build();
    }

    private static List<TrainingExample> drain(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, TrainingExample> h) {
        List<TrainingExample> out = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }

    private static long stateEntries(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h) throws Exception {
        KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
        if (backend instanceof HeapKeyedStateBackend) {
            return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
        }
        long n = 0;
        for (String name : new String[] {ExampleAssembler.SERVED_STATE_NAME, ExampleAssembler.WAITING_STATE_NAME}) {
            try (var keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
                n += keys.count();
            }
        }
        return n;
    }

    @Test
    void joinsTheLatestRecordServedAtOrBeforeTheImpressionNeverALaterOne() throws Exception {
        try (var h = harness(assembler(), false)) {
            h.processElement2(served("u1", "a", T0 - 10 * MIN, 1), T0 - 10 * MIN);
            h.processElement2(served("u1", "a", T0 - MIN, 2), T0 - MIN);
            h.processElement2(served("u1", "a", T0 + 2 * MIN, 3), T0 + 2 * MIN);
            h.processElement2(served("u1", "b", T0 - MIN, 4), T0 - MIN);
            h.processBothWatermarks(new Watermark(T0 + 5 * MIN));

            h.processElement1(example("u1", "a", 1, T0, T0 + 5 * MIN), T0 + 5 * MIN);
            assertThat(drain(h)).containsExactly(new TrainingExample(marker(2), 1, 1.0, T0 + 5 * MIN));

            h.processElement1(example("u1", "a", 0, T0 + 2 * MIN, T0 + 32 * MIN), T0 + 32 * MIN);
            assertThat(drain(h))
                    .as("served at the impression time counts")
                    .containsExactly(new TrainingExample(marker(3), 0, 1.0, T0 + 32 * MIN));
        }
    }

    @Test
    void anExampleWaitsForTheWatermarkSoARecordServedEarlierButReadLaterStillJoins() throws Exception {
        try (var h = harness(assembler(), false)) {
            h.processBothWatermarks(new Watermark(T0 - HOUR));
            h.processElement1(example("u1", "a", 1, T0, T0 + MIN), T0 + MIN);
            assertThat(drain(h)).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processElement2(served("u1", "a", T0 - 2 * MIN, 5), T0 - 2 * MIN);
            h.processWatermark1(new Watermark(T0 + MIN));
            assertThat(drain(h))
                    .as("the served input's watermark is still behind")
                    .isEmpty();
            h.processWatermark2(new Watermark(T0));
            assertThat(drain(h)).containsExactly(new TrainingExample(marker(5), 1, 1.0, T0 + MIN));
        }
    }

    @Test
    void fallsBackToFeaturesRebuiltFromTheExampleWhenNothingWasServed() throws Exception {
        try (var h = harness(assembler(), false)) {
            h.processBothWatermarks(new Watermark(T0 + HOUR));
            h.processElement2(served("u1", "a", T0 + MIN, 6), T0 + MIN);
            h.processElement2(served("u2", "b", T0 - 7 * HOUR, 7), T0 - 7 * HOUR);

            h.processElement1(example("u1", "a", 0, T0, T0 + 30 * MIN), T0 + 30 * MIN);
            h.processElement1(example("u1", "c", 1, T0, T0 + MIN), T0 + MIN);
            h.processElement1(example("u2", "b", 1, T0, T0 + MIN), T0 + MIN);
            assertThat(drain(h))
                    .as("served only after the impression / never / beyond retention")
                    .containsExactly(
                            new TrainingExample(rebuilt("a"), 0, 1.0, T0 + 30 * MIN),
                            new TrainingExample(rebuilt("c"), 1, 1.0, T0 + MIN),
                            new TrainingExample(rebuilt("b"), 1, 1.0, T0 + MIN));
        }
    }

    @Test
    void dropsExamplesWithoutServedFeaturesWhenRebuildingIsOff() throws Exception {
        ExampleAssembler noRebuild = ExampleAssembler.builder()
                .features(FEATURES)
                .rebuildMissing(false)
                .negativeWeight(4.0)
                .build();
        try (var h = harness(noRebuild, false)) {
            h.processBothWatermarks(new Watermark(T0 + HOUR));
            h.processElement2(served("u1", "a", T0 - MIN, 8), T0 - MIN);
            h.processElement1(example("u1", "c", 1, T0, T0 + MIN), T0 + MIN);
            h.processElement1(example("u1", "a", 0, T0, T0 + 30 * MIN), T0 + 30 * MIN);
            assertThat(drain(h)).containsExactly(new TrainingExample(marker(8), 0, 4.0, T0 + 30 * MIN));
        }
    }

    @Test
    void clearsStateAndTimersOnceAKeyWasNotServedForTheRetention() throws Exception {
        clearsState(false);
    }

    @Test
    void clearsStateOnRocksDb() throws Exception {
        clearsState(true);
    }

    private void clearsState(boolean rocksDb) throws Exception {
        try (var h = harness(assembler(), rocksDb)) {
            h.processElement2(served("u1", "a", T0, 1), T0);
            h.processElement2(served("u1", "a", T0 + 3 * HOUR, 2), T0 + 3 * HOUR);
            h.processElement2(served("u2", "a", T0, 3), T0);
            assertThat(h.numEventTimeTimers()).as("one cleanup timer per key").isEqualTo(2);

            h.processBothWatermarks(new Watermark(T0 + 6 * HOUR));
            assertThat(stateEntries(h)).as("u2 expired, u1 re-armed").isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);

            h.processElement1(example("u1", "a", 1, T0 + 6 * HOUR, T0 + 6 * HOUR + MIN), T0 + 6 * HOUR + MIN);
            assertThat(drain(h)).containsExactly(new TrainingExample(marker(2), 1, 1.0, T0 + 6 * HOUR + MIN));

            h.processBothWatermarks(new Watermark(T0 + 9 * HOUR));
            assertThat(stateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.numProcessingTimeTimers()).isZero();

            h.processElement1(example("u1", "a", 1, T0 + 4 * HOUR, T0 + 9 * HOUR), T0 + 9 * HOUR);
            assertThat(drain(h))
                    .as("after cleanup the example falls back")
                    .containsExactly(new TrainingExample(rebuilt("a"), 1, 1.0, T0 + 9 * HOUR));
            assertThat(stateEntries(h)).isZero();
        }
    }

    @Test
    void waitingExamplesLeaveNoStateOnceReleased() throws Exception {
        try (var h = harness(assembler(), false)) {
            h.processElement1(example("u1", "a", 0, T0, T0 + 30 * MIN), T0 + 30 * MIN);
            h.processElement1(example("u1", "a", 1, T0 + MIN, T0 + 2 * MIN), T0 + 2 * MIN);
            assertThat(stateEntries(h)).isEqualTo(1);
            h.processBothWatermarks(new Watermark(T0));
            assertThat(drain(h)).extracting(x -> x.label).containsExactly(0);
            h.processBothWatermarks(new Watermark(T0 + MIN));
            assertThat(drain(h)).extracting(x -> x.label).containsExactly(1);
            assertThat(stateEntries(h)).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
