package io.desire.operators;

import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;

/**
 * Coalesced emission for keyed operators that publish at most once per interval per key: the first
 * change after an emission registers ONE processing-time timer at {@code now + interval}; further
 * changes register nothing. Because processing-time timers do not fire at the end of a bounded
 * input, each pending period also registers an event-time timer at {@link #END_OF_INPUT}, which the
 * final watermark fires; whichever fires first deletes the other, so every pending change is
 * emitted exactly once, live or bounded.
 *
 * <p>The key's state value keeps the bookkeeping (the pending timer and whether the flush timer is
 * armed) through this interface, so the timers survive restores together with the state.
 */
public interface CoalescedEmission {
    /** No processing-time timer registered. */
    long NONE = Long.MIN_VALUE;
    /** Timestamp of the end-of-input flush timer. */
    long END_OF_INPUT = Long.MAX_VALUE;

    /** The registered processing-time timer, or {@link #NONE}. */
    long pendingTimer();

    void pendingTimer(long timestamp);

    /** Whether the end-of-input event-time timer is registered. */
    boolean flushArmed();

    void flushArmed(boolean armed);

    /** Whether a period is pending: changes wait for a timer to be emitted. */
    static boolean pending(CoalescedEmission s) {
        return s.pendingTimer() != NONE || s.flushArmed();
    }

    /**
     * Registers the timers of a pending period, unless they are registered already; a processing-time
     * timer registered by {@link #scheduleBy} for later than {@code now + intervalMillis} is moved to it.
     */
    static void schedule(CoalescedEmission s, TimerService timers, long intervalMillis) {
        scheduleBy(s, timers, timers.currentProcessingTime() + intervalMillis);
    }

    /**
     * Registers the timers of a pending period that must be emitted by processing time {@code at}:
     * the registered processing-time timer fires at {@code at} at the latest (an earlier one is kept).
     */
    static void scheduleBy(CoalescedEmission s, TimerService timers, long at) {
        if (s.pendingTimer() != NONE && s.pendingTimer() > at) {
            timers.deleteProcessingTimeTimer(s.pendingTimer());
            s.pendingTimer(NONE);
        }
        if (s.pendingTimer() == NONE) {
            s.pendingTimer(at);
            timers.registerProcessingTimeTimer(s.pendingTimer());
        }
        if (!s.flushArmed()) {
            timers.registerEventTimeTimer(END_OF_INPUT);
            s.flushArmed(true);
        }
    }

    /**
     * Handles a timer of the key: false for a processing-time timer that is not the pending one (a
     * leftover of a period already emitted); otherwise ends the period — deletes the other timer —
     * and returns true: emit now.
     */
    static boolean fire(CoalescedEmission s, long timestamp, TimeDomain domain, TimerService timers) {
        if (domain == TimeDomain.PROCESSING_TIME) {
            if (timestamp != s.pendingTimer()) {
                return false;
            }
            s.pendingTimer(NONE);
            if (s.flushArmed()) {
                timers.deleteEventTimeTimer(END_OF_INPUT);
                s.flushArmed(false);
            }
        } else {
            s.flushArmed(false);
            if (s.pendingTimer() != NONE) {
                timers.deleteProcessingTimeTimer(s.pendingTimer());
                s.pendingTimer(NONE);
            }
        }
        return true;
    }

    /** Deletes the timers of a pending period, e.g. when the key's state is erased. */
    static void cancel(CoalescedEmission s, TimerService timers) {
        if (s.pendingTimer() != NONE) {
            timers.deleteProcessingTimeTimer(s.pendingTimer());
            s.pendingTimer(NONE);
        }
        if (s.flushArmed()) {
            timers.deleteEventTimeTimer(END_OF_INPUT);
            s.flushArmed(false);
        }
    }
}
