package io.desire.operators.ranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.fm.FmModel;
import io.desire.features.fm.FmParams;
import io.desire.features.fm.FmState;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** 2^10 buckets, k = 4, examples of {@link FtrlLearnerTest#examples}; harness processing time starts at 0. */
class FmLearnerTest {
    static final FmParams PARAMS =
            FmParams.defaults().withBits(10).withFactors(4).withLinear(FtrlLearnerTest.PARAMS);

    static FmLearner learner(int emitEvery) {
        return FmLearner.builder()
                .params(PARAMS)
                .emitEvery(emitEvery)
                .emitInterval(Duration.ofSeconds(1))
                .build();
    }

    static OneInputStreamOperatorTestHarness<TrainingExample, WeightDelta> harness(FmLearner learner) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(learner.operator());
    }

    @Test
    void emitsFactorisedDeltasOfTheTouchedBucketsWithAGrowingVersion() throws Exception {
        try (var h = harness(learner(3))) {
            h.open();
            List<TrainingExample> xs = FtrlLearnerTest.examples(4, 1);
            FtrlLearnerTest.feed(h, xs.subList(0, 3));
            List<WeightDelta> out = FtrlLearnerTest.drain(h);
            assertThat(out).hasSize(1);
            WeightDelta d = out.get(0);
            assertThat(d.version).isEqualTo(3);
            assertThat(d.factorised()).isTrue();
            assertThat(d.factors).isEqualTo(4);
            assertThat(d.full).isFalse();
            assertThat(d.vectors).hasSize(d.size() * 4);
            assertThat(d.indices).isSorted().contains(0);
            assertThat(d.bias).isNotZero();

            h.setProcessingTime(999);
            FtrlLearnerTest.feed(h, xs.subList(3, 4));
            assertThat(FtrlLearnerTest.drain(h)).isEmpty();
            h.setProcessingTime(1000);
            assertThat(FtrlLearnerTest.drain(h))
                    .as("the timed flush")
                    .extracting(x -> x.version)
                    .containsExactly(4L);
        }
    }

    @Test
    void replicaFedTheDeltasScoresExactlyLikeTheLearner() throws Exception {
        FmLearner learner = learner(7);
        FmWeights replica = new FmWeights();
        try (var h = harness(learner)) {
            h.open();
            FtrlLearnerTest.feed(h, FtrlLearnerTest.examples(300, 5));
            h.endInput();
            List<WeightDelta> deltas = FtrlLearnerTest.drain(h);
            long previous = -1;
            for (WeightDelta d : deltas) {
                assertThat(d.version).isGreaterThan(previous);
                previous = d.version;
                assertThat(replica.apply(d)).isTrue();
                assertThat(new RankerWeights().apply(d))
                        .as("the FTRL replica ignores FM deltas")
                        .isFalse();
            }
            assertThat(replica.version()).isEqualTo(300);
            FmModel model = learner.model();
            // the examples' noise buckets include buckets never trained, whose factors the replica derives
            for (TrainingExample x : FtrlLearnerTest.examples(50, 6)) {
                assertThat(replica.score(x.features)).isEqualTo(model.predict(x.features));
            }
            assertThat(replica.score(FtrlLearnerTest.examples(1, 7).get(0).features))
                    .isNotEqualTo(0.5);

            double[] before = replica.vectors.clone();
            assertThat(replica.apply(deltas.get(0)))
                    .as("an older delta is ignored")
                    .isFalse();
            assertThat(replica.vectors).isEqualTo(before);
        }
    }

    @Test
    void savepointRoundTripRestoresTheModelAndGivesIdenticalScores() throws Exception {
        List<TrainingExample> xs = FtrlLearnerTest.examples(200, 3);
        FmLearner original = learner(40);
        FmLearner resumed = learner(40);
        try (var h1 = harness(original)) {
            h1.open();
            FtrlLearnerTest.feed(h1, xs.subList(0, 130));
            h1.prepareSnapshotPreBarrier(1);
            FtrlLearnerTest.drain(h1);
            OperatorSubtaskState snapshot = h1.snapshot(1, 0);
            FmState atSnapshot = original.model().state().copy();

            try (var h2 = harness(resumed)) {
                h2.initializeState(snapshot);
                h2.open();
                assertThat(resumed.model().state()).isEqualTo(atSnapshot);
                assertThat(resumed.version()).isEqualTo(130);
                for (TrainingExample x : FtrlLearnerTest.examples(30, 8)) {
                    assertThat(resumed.model().predict(x.features))
                            .isEqualTo(original.model().predict(x.features));
                }

                FtrlLearnerTest.feed(h1, xs.subList(130, 200));
                FtrlLearnerTest.feed(h2, xs.subList(130, 200));
                h1.endInput();
                h2.endInput();
                List<WeightDelta> next = FtrlLearnerTest.drain(h1);
                List<WeightDelta> afterRestore = FtrlLearnerTest.drain(h2);
                WeightDelta full = afterRestore.get(0);
                assertThat(full.full).isTrue();
                assertThat(full.version).isEqualTo(130);
                assertThat(afterRestore.subList(1, afterRestore.size())).isEqualTo(next);
                assertThat(resumed.model().state()).isEqualTo(original.model().state());

                // a fresh replica fed the full delta and what follows scores like the learner
                FmWeights replica = new FmWeights();
                afterRestore.forEach(replica::apply);
                for (TrainingExample x : FtrlLearnerTest.examples(30, 9)) {
                    assertThat(replica.score(x.features))
                            .isEqualTo(resumed.model().predict(x.features));
                }
            }
        }
    }

    @Test
    void restoringWithAnotherShapeFailsWithAReadableMessage() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(learner(10))) {
            h.open();
            FtrlLearnerTest.feed(h, FtrlLearnerTest.examples(20, 1));
            snapshot = h.snapshot(1, 0);
        }
        FmLearner other = FmLearner.builder().params(PARAMS.withFactors(8)).build();
        try (var h = harness(other)) {
            assertThatThrownBy(() -> h.initializeState(snapshot)).hasStackTraceContaining("factors=8");
        }
    }

    @Test
    void skipsInvalidExamplesAndRefusesMoreThanOneSubtask() throws Exception {
        FmLearner learner = learner(1);
        try (var h = harness(learner)) {
            h.open();
            h.processElement(new TrainingExample(null, 1, 1, 0), 0);
            h.processElement(
                    new TrainingExample(
                            new io.desire.features.ftrl.HashedFeatures(new int[] {5, 3}, new double[] {1, 1}), 1, 1, 0),
                    0);
            assertThat(learner.version()).isZero();
            assertThat(learner.model().state()).isEqualTo(FmState.create(PARAMS));
        }
        try (var h = new OneInputStreamOperatorTestHarness<>(learner(10).operator(), 2, 2, 0)) {
            assertThatThrownBy(h::open).hasMessageContaining("parallelism 1");
        }
    }
}
