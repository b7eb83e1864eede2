package io.desire.operators;

import java.util.function.LongSupplier;
import org.apache.flink.metrics.Gauge;

/**
 * Freshness gauge: how far event time lags the wall clock, in milliseconds — wall-clock now minus
 * the last watermark an operator {@linkplain #observe observed}.
 *
 * <p>Values: {@value #NO_WATERMARK} until the operator has seen a watermark (Flink starts every
 * operator at {@link Long#MIN_VALUE}); {@code 0} when the watermark is at or ahead of the wall
 * clock (producers' clocks run ahead) and after the final watermark of a bounded input
 * ({@link Long#MAX_VALUE}: all event time is processed); otherwise the lag, which keeps growing
 * while the watermark stands still, so a stalled pipeline shows up without any new record.
 *
 * <p>Cheap on the hot path: {@link #observe} is a compare and, only when the watermark moved (a few
 * times per second), one volatile write; the subtraction happens when the reporter reads the gauge.
 */
public final class EventTimeLag implements Gauge<Long> {
    /** The value before the first watermark. */
    public static final long NO_WATERMARK = -1L;

    private final LongSupplier wallClock;
    /** Last watermark seen, for the task thread's cheap comparison. */
    private long seen = Long.MIN_VALUE;
    /** The same, published to the reporter thread. */
    private volatile long published = Long.MIN_VALUE;

    /** Against {@link System#currentTimeMillis()}. */
    public EventTimeLag() {
        this(System::currentTimeMillis);
    }

    /** Against the given wall clock, in epoch milliseconds. */
    public EventTimeLag(LongSupplier wallClock) {
        if (wallClock == null) {
            throw new IllegalArgumentException("wallClock must not be null");
        }
        this.wallClock = wallClock;
    }

    /** Records the operator's current watermark; call it on every element, timer or broadcast record. */
    public void observe(long currentWatermark) {
        if (currentWatermark != seen) {
            seen = currentWatermark;
            published = currentWatermark;
        }
    }

    @Override
    public Long getValue() {
        long watermark = published;
        if (watermark == Long.MIN_VALUE) {
            return NO_WATERMARK;
        }
        long now = wallClock.getAsLong();
        if (watermark >= now) {
            return 0L;
        }
        long lag = now - watermark;
        return lag < 0 ? Long.MAX_VALUE : lag; // overflow: a watermark near Long.MIN_VALUE
    }
}
