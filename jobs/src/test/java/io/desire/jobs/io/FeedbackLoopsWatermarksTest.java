package io.desire.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A keyed broadcast function whose broadcast side is a never-ending model-update stream: with
 * {@link FeedbackLoops#modelUpdateWatermarks()} the keyed side's event-time timers fire; with no
 * watermarks on the broadcast side (the control) they never do, because the operator's watermark is
 * the minimum of its inputs'. The broadcast side must not end, since a finished source emits the
 * final watermark itself and would hide the difference. And when the keyed side falls idle without
 * ending, as a quiet Kafka topic does, the loop must not carry the operator to the end of time.
 */
class FeedbackLoopsWatermarksTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1)
            .build());

    /** What each run's keyed function saw, by run id (the mini cluster runs in this JVM); guarded by itself. */
    static final Map<String, List<String>> OUTPUT = new HashMap<>();
    /**
     * Broadcast updates the control waits for after the keyed input has ended: at 20 updates/s, about
     * five periodic watermark intervals (200 ms) in which a watermark could have advanced.
     */
    private static final int UPDATES_AFTER_INPUT = 20;

    private static final List<Long> EVENT_TIMES = List.of(1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L);

    @Test
    @Timeout(120)
    void eventTimeTimersFireWhileTheBroadcastSideRunsOn() throws Exception {
        String run = UUID.randomUUID().toString();
        JobClient job = start(run, FeedbackLoops.modelUpdateWatermarks());
        try {
            await(
                    run,
                    out -> EVENT_TIMES.stream().allMatch(t -> out.contains("fired@" + (t + 10))),
                    Duration.ofSeconds(90));
        } finally {
            job.cancel().get();
        }
        assertThat(snapshot(run)).filteredOn(s -> s.startsWith("fired@")).hasSize(EVENT_TIMES.size());
    }

    @Test
    @Timeout(120)
    void withoutWatermarksOnTheBroadcastSideNoTimerFires() throws Exception {
        String run = UUID.randomUUID().toString();
        JobClient job = start(run, WatermarkStrategy.noWatermarks());
        try {
            // the job keeps running on the broadcast side: wait until it has handled many updates
            // after the last event, each recording the operator's watermark at that moment
            await(run, out -> updatesAfterLastEvent(out).size() >= UPDATES_AFTER_INPUT, Duration.ofSeconds(90));
        } finally {
            job.cancel().get();
        }
        List<String> out = snapshot(run);
        assertThat(out).noneMatch(s -> s.startsWith("fired@"));
        assertThat(updatesAfterLastEvent(out))
                .as("the operator's watermark never left the minimum")
                .allMatch(s -> s.equals("update@" + Long.MIN_VALUE));
    }

    @Test
    @Timeout(120)
    void whenTheEventsFallIdleTheLoopDoesNotCarryTheOperatorToTheEndOfTime() throws Exception {
        String run = UUID.randomUUID().toString();
        JobClient job = start(run, FeedbackLoops.modelUpdateWatermarks(), eventsThatFallIdle());
        try {
            // The events stop without ending; after 40 updates (~2 s, ten idleness timeouts) they are idle.
            await(run, out -> updatesAfterLastEvent(out).size() >= 2 * UPDATES_AFTER_INPUT, Duration.ofSeconds(90));
        } finally {
            job.cancel().get();
        }
        List<String> out = snapshot(run);
        long lastWatermark = EVENT_TIMES.get(EVENT_TIMES.size() - 1) - 1;
        assertThat(out)
                .filteredOn(s -> s.startsWith("fired@"))
                .as("the timers the events' own watermark passed, no more")
                .containsExactlyInAnyOrderElementsOf(EVENT_TIMES.stream()
                        .filter(t -> t + 10 <= lastWatermark)
                        .map(t -> "fired@" + (t + 10))
                        .toList());
        List<String> updates = updatesAfterLastEvent(out);
        assertThat(updates).noneMatch(s -> s.equals("update@" + Long.MAX_VALUE));
        assertThat(updates.get(updates.size() - 1))
                .as("the operator's watermark stays the events' while they are idle")
                .isEqualTo("update@" + lastWatermark);
    }

    private static List<String> updatesAfterLastEvent(List<String> out) {
        int last = -1;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).startsWith("seen@")) {
                last = i;
            }
        }
        if (out.stream().filter(s -> s.startsWith("seen@")).count() < EVENT_TIMES.size()) {
            return List.of();
        }
        return out.subList(last + 1, out.size()).stream()
                .filter(s -> s.startsWith("update@"))
                .toList();
    }

    private static JobClient start(String run, WatermarkStrategy<Long> broadcastWatermarks) throws Exception {
        return start(
                run,
                broadcastWatermarks,
                env -> env.fromData(EVENT_TIMES)
                        .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                                .withTimestampAssigner((t, previous) -> t)));
    }

    /** {@link #EVENT_TIMES}, then silence without an end, idle after 100 ms: a quiet Kafka topic. */
    private static Function<StreamExecutionEnvironment, DataStream<Long>> eventsThatFallIdle() {
        return env -> env.fromSource(
                new DataGeneratorSource<>(
                        i -> 1_000L * (i + 1), Long.MAX_VALUE, new PauseAfter(EVENT_TIMES.size()), Types.LONG),
                WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((t, previous) -> t)
                        .withIdleness(Duration.ofMillis(100)),
                "events");
    }

    private static JobClient start(
            String run,
            WatermarkStrategy<Long> broadcastWatermarks,
            Function<StreamExecutionEnvironment, DataStream<Long>> eventSource)
            throws Exception {
        synchronized (OUTPUT) {
            OUTPUT.put(run, new ArrayList<>());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);

        DataStream<Long> events = eventSource.apply(env);
        // Endless, slow model updates: the shape of a Kafka loop source.
        DataGeneratorSource<Long> updates =
                new DataGeneratorSource<>(i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(20), Types.LONG);
        MapStateDescriptor<String, Long> model = new MapStateDescriptor<>("model", Types.STRING, Types.LONG);
        BroadcastStream<Long> broadcast =
                env.fromSource(updates, broadcastWatermarks, "model updates").broadcast(model);

        events.keyBy(t -> t % 3)
                .connect(broadcast)
                .process(new TimerFunction(run, model))
                .sinkTo(new DiscardingSink<>());
        return env.executeAsync("feedback-loop-watermarks");
    }

    /** Lets {@code records} records through, then none: the source stays open and emits nothing more. */
    static final class PauseAfter implements RateLimiterStrategy<NumberSequenceSource.NumberSequenceSplit> {
        private static final long serialVersionUID = 1L;
        private final int records;

        PauseAfter(int records) {
            this.records = records;
        }

        @Override
        public RateLimiter<NumberSequenceSource.NumberSequenceSplit> createRateLimiter(int parallelism) {
            return new RateLimiter<>() {
                private long granted;

                @Override
                public CompletionStage<Void> acquire(int permits) {
                    granted += permits;
                    return granted <= records ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
                }
            };
        }
    }

    /** Records what the running job saw and wakes the test thread waiting in {@link #await}. */
    static void record(String run, String what) {
        synchronized (OUTPUT) {
            OUTPUT.get(run).add(what);
            OUTPUT.notifyAll();
        }
    }

    private static List<String> snapshot(String run) {
        synchronized (OUTPUT) {
            return new ArrayList<>(OUTPUT.get(run));
        }
    }

    /** Waits, woken by each record, until {@code done} holds; fails after {@code timeout}. */
    private static void await(String run, Predicate<List<String>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (OUTPUT) {
            while (!done.test(OUTPUT.get(run))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("not reached within " + timeout + "; output so far: " + OUTPUT.get(run));
                }
                OUTPUT.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Registers an event-time timer 10 ms after each event and records what happens. */
    static final class TimerFunction extends KeyedBroadcastProcessFunction<Long, Long, Long, String> {
        private static final long serialVersionUID = 1L;
        private final String run;
        private final MapStateDescriptor<String, Long> model;

        TimerFunction(String run, MapStateDescriptor<String, Long> model) {
            this.run = run;
            this.model = model;
        }

        @Override
        public void processElement(Long t, ReadOnlyContext ctx, Collector<String> out) {
            ctx.timerService().registerEventTimeTimer(t + 10);
            record(run, "seen@" + t);
        }

        @Override
        public void processBroadcastElement(Long update, Context ctx, Collector<String> out) throws Exception {
            ctx.getBroadcastState(model).put("latest", update);
            record(run, "update@" + ctx.currentWatermark());
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
            record(run, "fired@" + timestamp);
            out.collect("fired@" + timestamp);
        }
    }
}
