package io.desire.operators.privacy;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether a subtask can hold a live {@code forgotten-at} marker, so an operator reads its user's
 * marker only then, not on every event. A marker lives in keyed state with a processing-time TTL of
 * the forget guard, measured from its write on the wall clock (the clock of Flink's state TTL); so
 * no marker is live once that guard has passed since the subtask last wrote one, or since it was
 * restored (a snapshot, rescaled or not, may hold markers written up to the moment it was taken).
 * A fresh start holds none. Until told how it started, an instance says a marker may always be live:
 * it never skips a read that could find one.
 *
 * <p>One instance per subtask, used from its task thread.
 */
public final class ForgetMarkers {
    private final long guardMillis;
    private final LongSupplier clock;
    private long liveUntil;

    /** A window over {@code guard} on the wall clock. */
    public ForgetMarkers(Duration guard) {
        this(guard, System::currentTimeMillis);
    }

    ForgetMarkers(Duration guard, LongSupplier clock) {
        this.guardMillis = guard.toMillis();
        this.clock = clock;
        this.liveUntil = Long.MAX_VALUE;
    }

    /** The subtask started from a snapshot ({@code restored}) or from nothing. */
    public void started(boolean restored) {
        liveUntil = restored ? clock.getAsLong() + guardMillis : Long.MIN_VALUE;
    }

    /** A marker was written now. */
    public void written() {
        if (liveUntil != Long.MAX_VALUE) {
            liveUntil = Math.max(liveUntil, clock.getAsLong() + guardMillis);
        }
    }

    /** Whether some marker of this subtask may still be live, so a user's must be read. */
    public boolean mayBeLive() {
        return clock.getAsLong() <= liveUntil;
    }
}
