package io.desire.operators.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ForgetMarkersTest {
    private static final Duration GUARD = Duration.ofHours(1);
    private static final long HOUR = GUARD.toMillis();

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    private ForgetMarkers markers() {
        return new ForgetMarkers(GUARD, now::get);
    }

    @Test
    void aFreshStartHoldsNoMarkerUntilOneIsWrittenAndThenForTheGuard() {
        ForgetMarkers m = markers();
        m.started(false);
        assertThat(m.mayBeLive()).isFalse();

        now.addAndGet(5_000);
        m.written();
        assertThat(m.mayBeLive()).isTrue();
        now.addAndGet(HOUR);
        assertThat(m.mayBeLive()).as("at the marker's expiry").isTrue();
        now.incrementAndGet();
        assertThat(m.mayBeLive()).as("past it").isFalse();
    }

    @Test
    void theLatestWriteCounts() {
        ForgetMarkers m = markers();
        m.started(false);
        m.written();
        now.addAndGet(HOUR / 2);
        m.written();
        now.addAndGet(HOUR - 1);
        assertThat(m.mayBeLive()).isTrue();
        now.addAndGet(2);
        assertThat(m.mayBeLive()).isFalse();
    }

    @Test
    void aRestoreMayBringMarkersWrittenUpToTheSnapshot() {
        ForgetMarkers m = markers();
        m.started(true);
        assertThat(m.mayBeLive()).isTrue();
        now.addAndGet(HOUR);
        assertThat(m.mayBeLive()).isTrue();
        now.incrementAndGet();
        assertThat(m.mayBeLive()).isFalse();
    }

    @Test
    void withoutBeingToldHowItStartedEveryMarkerIsRead() {
        ForgetMarkers m = markers();
        assertThat(m.mayBeLive()).isTrue();
        m.written();
        now.addAndGet(10 * HOUR);
        assertThat(m.mayBeLive()).isTrue();
    }
}
