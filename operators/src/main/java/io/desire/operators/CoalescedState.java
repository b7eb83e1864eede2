package io.desire.operators;

/**
 * The bookkeeping of {@link CoalescedEmission} as two public fields, for the per-key state POJOs of
 * operators that coalesce their output: the registered processing-time timer and whether the
 * end-of-input flush timer is armed. Subclasses stay Flink POJOs (the fields are serialised with
 * theirs).
 */
public abstract class CoalescedState implements CoalescedEmission {
    /** The registered processing-time timer, or {@link #NONE}. */
    public long timerAt = NONE;
    /** Whether the end-of-input event-time timer ({@link #END_OF_INPUT}) is registered. */
    public boolean flushArmed;

    @Override
    public long pendingTimer() {
        return timerAt;
    }

    @Override
    public void pendingTimer(long timestamp) {
        timerAt = timestamp;
    }

    @Override
    public boolean flushArmed() {
        return flushArmed;
    }

    @Override
    public void flushArmed(boolean armed) {
        flushArmed = armed;
    }
}
