package io.desire.jobs;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The one way the tests wait for something another process does: ask again, with exponential
 * backoff (from {@value #FIRST_MILLIS} ms, doubling, at most {@value #MAX_MILLIS} ms between asks),
 * until the answer is the awaited one or the time is up. It never waits longer than the timeout
 * plus one ask, and never asks in a busy loop.
 */
public final class Eventually {
    static final long FIRST_MILLIS = 20;
    static final long MAX_MILLIS = 1000;

    private Eventually() {}

    /**
     * Asks {@code probe} until {@code done} holds for its answer or {@code timeout} has passed, and
     * returns the last answer — awaited or not, so that the caller's assertion shows what was there.
     */
    public static <T> T poll(Duration timeout, Callable<T> probe, Predicate<? super T> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_MILLIS;
        while (true) {
            T answer = probe.call();
            if (done.test(answer)) {
                return answer;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return answer;
            }
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(pause)));
            pause = Math.min(MAX_MILLIS, pause * 2);
        }
    }

    /** As {@link #poll}, for probes that answer null while the awaited thing is not there yet. */
    public static <T> T pollNonNull(Duration timeout, Callable<T> probe) throws Exception {
        return poll(timeout, probe, answer -> answer != null);
    }
}
