package io.desire.sinks.elasticsearch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/** Processing time that moves only when a test says so; due timers fire on the caller's thread. */
final class TestProcessingTimeService implements ProcessingTimeService {
    private long now;
    private final List<Timer> timers = new ArrayList<>();

    private static final class Timer extends CompletableFuture<Void> implements ScheduledFuture<Void> {
        final long due;
        final ProcessingTimeCallback callback;

        Timer(long due, ProcessingTimeCallback callback) {
            this.due = due;
            this.callback = callback;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed o) {
            return 0;
        }
    }

    @Override
    public long getCurrentProcessingTime() {
        return now;
    }

    @Override
    public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback callback) {
        Timer t = new Timer(timestamp, callback);
        timers.add(t);
        return t;
    }

    int activeTimers() {
        return (int) timers.stream().filter(t -> !t.isDone()).count();
    }

    void advanceTo(long time) throws Exception {
        now = time;
        for (Timer t : new ArrayList<>(timers)) {
            if (t.due <= now && !t.isDone()) {
                t.complete(null);
                timers.remove(t);
                t.callback.onProcessingTime(now);
            }
        }
    }
}
