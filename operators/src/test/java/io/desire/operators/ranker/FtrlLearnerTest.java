package io.desire.operators.ranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.FtrlState;
import io.desire.features.ftrl.HashedFeatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** 2^10 buckets, λ1 = 0.1 so weights turn non-zero after a few updates; harness processing time starts at 0. */
class FtrlLearnerTest {
    static final FtrlParams PARAMS = FtrlParams.defaults().withBits(10).withL1(0.1);

    static FtrlLearner learner(int emitEvery) {
        return FtrlLearner.builder()
                .params(PARAMS)
                .emitEvery(emitEvery)
                .emitInterval(Duration.ofSeconds(1))
                .build();
    }

    static OneInputStreamOperatorTestHarness<TrainingExample, WeightDelta> harness(FtrlLearner learner)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(learner.operator());
    }

    /** Examples whose label depends on bucket 7 (positive) and bucket 9 (negative), with noise buckets. */
    static List<TrainingExample> examples(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<TrainingExample> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            TreeSet<Integer> buckets = new TreeSet<>();
            boolean good = rnd.nextBoolean();
            buckets.add(good ? 7 : 9);
            buckets.add(0);
            for (int j = 0; j < 4; j++) {
                buckets.add(10 + rnd.nextInt(1014));
            }
            int[] idx = buckets.stream().mapToInt(Integer::intValue).toArray();
            double[] val = new double[idx.length];
            for (int j = 0; j < idx.length; j++) {
                val[j] = idx[j] < 10 ? 1.0 : 0.5 + rnd.nextDouble();
            }
            int label = rnd.nextDouble() < (good ? 0.9 : 0.1) ? 1 : 0;
            out.add(new TrainingExample(new HashedFeatures(idx, val), label, 1.0, 1_000L + k));
        }
        return out;
    }

    static List<WeightDelta> drain(OneInputStreamOperatorTestHarness<TrainingExample, WeightDelta> h) {
        List<WeightDelta> out = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }

    static void feed(OneInputStreamOperatorTestHarness<TrainingExample, WeightDelta> h, List<TrainingExample> xs)
            throws Exception {
        for (TrainingExample x : xs) {
            h.processElement(x, x.eventTime);
        }
    }

    @Test
    void emitsTheTouchedBucketsEveryNUpdatesWithAGrowingVersion() throws Exception {
        FtrlLearner learner = learner(3);
        try (var h = harness(learner)) {
            h.open();
            List<TrainingExample> xs = examples(7, 1);
            feed(h, xs.subList(0, 2));
            assertThat(drain(h)).isEmpty();
            feed(h, xs.subList(2, 3));
            List<WeightDelta> first = drain(h);
            assertThat(first).hasSize(1);
            assertThat(first.get(0).version).isEqualTo(3);
            assertThat(first.get(0).full).isFalse();
            assertThat(first.get(0).dimension).isEqualTo(1024);
            assertThat(first.get(0).indices).containsExactly(touched(xs.subList(0, 3)));
            FtrlModel model = learner.model();
            for (int j = 0; j < first.get(0).size(); j++) {
                assertThat(first.get(0).weights[j]).isEqualTo(model.weight(first.get(0).indices[j]));
            }

            feed(h, xs.subList(3, 7));
            List<WeightDelta> second = drain(h);
            assertThat(second).extracting(d -> d.version).containsExactly(6L);
            assertThat(second.get(0).indices)
                    .as("only buckets touched since the last delta")
                    .containsExactly(touched(xs.subList(3, 6)));
            assertThat(learner.version()).isEqualTo(7);
        }
    }

    private static int[] touched(List<TrainingExample> xs) {
        TreeSet<Integer> s = new TreeSet<>();
        for (TrainingExample x : xs) {
            for (int i : x.features.indices) {
                s.add(i);
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void emitsPendingChangesWhenTheIntervalPassesAndAtEndOfInput() throws Exception {
        FtrlLearner learner = learner(1000);
        try (var h = harness(learner)) {
            h.open();
            List<TrainingExample> xs = examples(3, 2);
            feed(h, xs.subList(0, 2));
            h.setProcessingTime(999);
            assertThat(drain(h)).isEmpty();
            h.setProcessingTime(1000);
            assertThat(drain(h)).extracting(d -> d.version).containsExactly(2L);
            h.setProcessingTime(2000);
            assertThat(drain(h)).as("nothing changed, nothing emitted").isEmpty();

            feed(h, xs.subList(2, 3));
            h.endInput();
            assertThat(drain(h)).extracting(d -> d.version).containsExactly(3L);
        }
    }

    @Test
    void savepointRoundTripRestoresIdenticalWeightsVersionAndNextDelta() throws Exception {
        List<TrainingExample> xs = examples(200, 3);
        FtrlLearner original = learner(40);
        FtrlLearner resumed = learner(40);
        try (var h1 = harness(original)) {
            h1.open();
            feed(h1, xs.subList(0, 130));
            assertThat(drain(h1)).extracting(d -> d.version).containsExactly(40L, 80L, 120L);
            h1.prepareSnapshotPreBarrier(1);
            assertThat(drain(h1))
                    .as("pending changes are published before the barrier")
                    .extracting(d -> d.version)
                    .containsExactly(130L);
            OperatorSubtaskState snapshot = h1.snapshot(1, 0);
            FtrlState atSnapshot = original.model().state().copy();
            int nonZeroAtSnapshot = original.nonZero();

            try (var h2 = harness(resumed)) {
                h2.initializeState(snapshot);
                h2.open();
                assertThat(resumed.model().state()).isEqualTo(atSnapshot);
                assertThat(resumed.version()).isEqualTo(130);
                assertThat(resumed.nonZero()).isEqualTo(nonZeroAtSnapshot);

                feed(h1, xs.subList(130, 200));
                feed(h2, xs.subList(130, 200));
                h1.endInput();
                h2.endInput();
                List<WeightDelta> next = drain(h1);
                List<WeightDelta> afterRestore = drain(h2);

                WeightDelta full = afterRestore.get(0);
                assertThat(full.full).isTrue();
                assertThat(full.version).isEqualTo(130);
                FtrlModel atRestore = new FtrlModel(PARAMS, atSnapshot);
                assertThat(full.size()).isEqualTo(atRestore.nonZeroWeights()).isPositive();
                for (int j = 0; j < full.size(); j++) {
                    assertThat(full.weights[j])
                            .isEqualTo(atRestore.weight(full.indices[j]))
                            .isNotZero();
                }
                assertThat(next)
                        .extracting(d -> d.version)
                        .as("counted from the pre-barrier delta, then the end of input")
                        .containsExactly(170L, 200L);
                assertThat(afterRestore.subList(1, afterRestore.size())).isEqualTo(next);
                assertThat(resumed.model().state()).isEqualTo(original.model().state());
            }
        }
    }

    @Test
    void nonZeroGaugeIsTrackedExactlyWithoutScanning() throws Exception {
        FtrlLearner learner = learner(50);
        try (var h = harness(learner)) {
            h.open();
            for (TrainingExample x : examples(500, 4)) {
                h.processElement(x, x.eventTime);
                assertThat(learner.nonZero()).isEqualTo(learner.model().nonZeroWeights());
            }
            assertThat(learner.nonZero()).isPositive();
        }
    }

    @Test
    void skipsInvalidExamplesWithoutChangingTheModel() throws Exception {
        FtrlLearner learner = learner(1);
        try (var h = harness(learner)) {
            h.open();
            h.processElement(
                    new TrainingExample(new HashedFeatures(new int[] {5, 3}, new double[] {1, 1}), 1, 1, 0), 0);
            h.processElement(
                    new TrainingExample(new HashedFeatures(new int[] {5, 4096}, new double[] {1, 1}), 1, 1, 0), 0);
            h.processElement(new TrainingExample(new HashedFeatures(new int[] {5}, new double[] {1}), 2, 1, 0), 0);
            h.processElement(new TrainingExample(null, 1, 1, 0), 0);
            assertThat(learner.version()).isZero();
            assertThat(learner.model().state()).isEqualTo(FtrlState.create(10));
            assertThat(drain(h)).isEmpty();
        }
    }

    @Test
    void refusesToRunWithMoreThanOneSubtask() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(learner(10).operator(), 2, 2, 0)) {
            assertThatThrownBy(h::open).hasMessageContaining("parallelism 1");
        }
    }

    @Test
    void rankerWeightsFedTheDeltasPredictExactlyLikeTheLearner() throws Exception {
        FtrlLearner learner = learner(7);
        RankerWeights replica = new RankerWeights();
        try (var h = harness(learner)) {
            h.open();
            feed(h, examples(300, 5));
            h.endInput();
            List<WeightDelta> deltas = drain(h);
            long previous = -1;
            for (WeightDelta d : deltas) {
                assertThat(d.version).isGreaterThan(previous);
                previous = d.version;
                assertThat(replica.apply(d)).isTrue();
            }
            assertThat(replica.version).isEqualTo(300);
            FtrlModel model = learner.model();
            for (int i = 0; i < 1024; i++) {
                assertThat(replica.weight(i)).as("bucket %d", i).isEqualTo(model.weight(i));
            }
            for (TrainingExample x : examples(50, 6)) {
                assertThat(replica.score(x.features)).isEqualTo(model.predict(x.features));
            }
            assertThat(replica.score(examples(1, 7).get(0).features)).isNotEqualTo(0.5);

            WeightDelta stale = deltas.get(0);
            double[] before = replica.weights.clone();
            assertThat(replica.apply(stale)).as("an older delta is ignored").isFalse();
            assertThat(replica.weights).isEqualTo(before);
            assertThat(replica.version).isEqualTo(300);
        }
    }
}
