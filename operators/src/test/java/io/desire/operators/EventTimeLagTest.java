package io.desire.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The freshness gauge against a hand-driven wall clock. */
class EventTimeLagTest {
    private final AtomicLong now = new AtomicLong(1_000_000L);
    private final EventTimeLag lag = new EventTimeLag(now::get);

    @Test
    void noWatermarkYetIsMinusOneNotAHugeNumber() {
        assertThat(lag.getValue()).isEqualTo(EventTimeLag.NO_WATERMARK);
        lag.observe(Long.MIN_VALUE); // every operator starts at the minimum watermark
        assertThat(lag.getValue()).isEqualTo(-1L);
    }

    @Test
    void lagIsWallClockMinusTheWatermarkAndGrowsWhileTheWatermarkStands() {
        lag.observe(940_000L);
        assertThat(lag.getValue()).isEqualTo(60_000L);

        now.set(1_030_000L); // no new element: a stalled pipeline keeps ageing
        assertThat(lag.getValue()).isEqualTo(90_000L);

        lag.observe(1_025_000L);
        assertThat(lag.getValue()).isEqualTo(5_000L);
    }

    @Test
    void watermarkAheadOfTheClockOrAtTheEndOfInputIsZero() {
        lag.observe(1_000_500L); // producers' clocks ahead of this machine's
        assertThat(lag.getValue()).isZero();
        lag.observe(Long.MAX_VALUE); // final watermark of a bounded input: all event time processed
        assertThat(lag.getValue()).isZero();
    }

    @Test
    void aWatermarkNearTheMinimumSaturatesInsteadOfOverflowing() {
        lag.observe(Long.MIN_VALUE + 1);
        assertThat(lag.getValue()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void needsAClock() {
        assertThatThrownBy(() -> new EventTimeLag(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
