package io.desire.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * A keyed broadcast function whose broadcast side is a never-ending model-update stream: with
 * {@link FeedbackLoops#modelUpdateWatermarks()} the keyed side's event-time timers fire; with no
 * watermarks on the broadcast side (the control) they never do, because the operator's watermark is
 * the minimum of its inputs'. The broadcast side must not end, since a finished source emits the
 * final watermark itself and would hide the difference.
 */
class FeedbackLoopsWatermarksTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    /** What each run's keyed function saw, by run id (the mini cluster runs in this JVM). */
    static final Map<String, Queue<String>> OUTPUT = new ConcurrentHashMap<>();

    private static final List<Long> EVENT_TIMES = List.of(1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L);

    @Test
    @Timeout(120)
    void eventTimeTimersFireWhileTheBroadcastSideRunsOn() throws Exception {
        String run = UUID.randomUUID().toString();
        JobClient job = start(run, FeedbackLoops.modelUpdateWatermarks());
        try {
            await(run, out -> EVENT_TIMES.stream().allMatch(t -> out.contains("fired@" + (t + 10))), Duration.ofSeconds(90));
        } finally {
            job.cancel().get();
        }
        assertThat(OUTPUT.get(run)).filteredOn(s -> s.startsWith("fired@")).hasSize(EVENT_TIMES.size());
    }

    @Test
    @Timeout(120)
    void withoutWatermarksOnTheBroadcastSideNoTimerFires() throws Exception {
        String run = UUID.randomUUID().toString();
        JobClient job = start(run, WatermarkStrategy.noWatermarks());
        try {
            await(run, out -> out.stream().filter(s -> s.startsWith("seen@")).count() == EVENT_TIMES.size()
                    && out.contains("update"), Duration.ofSeconds(90));
            Thread.sleep(1_500); // many periodic watermark intervals (200 ms) after the keyed input ended
        } finally {
            job.cancel().get();
        }
        assertThat(OUTPUT.get(run)).noneMatch(s -> s.startsWith("fired@"));
    }

    private static JobClient start(String run, WatermarkStrategy<Long> broadcastWatermarks) throws Exception {
        OUTPUT.put(run, new ConcurrentLinkedQueue<>());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);

        DataStream<Long> events = env.fromData(EVENT_TIMES)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((t, previous) -> t));
        // Endless, slow model updates: the shape of a Kafka loop source.
        DataGeneratorSource<Long> updates = new DataGeneratorSource<>(
                i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(20), Types.LONG);
        MapStateDescriptor<String, Long> model = new MapStateDescriptor<>("model", Types.STRING, Types.LONG);
        BroadcastStream<Long> broadcast = env.fromSource(updates, broadcastWatermarks, "model updates").broadcast(model);

        events.keyBy(t -> t % 3)
                .connect(broadcast)
                .process(new TimerFunction(run, model))
                .sinkTo(new DiscardingSink<>());
        return env.executeAsync("feedback-loop-watermarks");
    }

    private static void await(String run, Predicate<Queue<String>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(OUTPUT.get(run))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout + "; output so far: " + OUTPUT.get(run));
            }
            Thread.sleep(50);
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
            OUTPUT.get(run).add("seen@" + t);
        }

        @Override
        public void processBroadcastElement(Long update, Context ctx, Collector<String> out) throws Exception {
            if (ctx.getBroadcastState(model).get("latest") == null) {
                OUTPUT.get(run).add("update");
            }
            ctx.getBroadcastState(model).put("latest", update);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
            OUTPUT.get(run).add("fired@" + timestamp);
            out.collect("fired@" + timestamp);
        }
    }
}
