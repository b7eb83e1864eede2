package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

    @Test
    void returnsTheFirstAwaitedAnswer() throws Exception {
        AtomicInteger asks = new AtomicInteger();
        assertThat(Eventually.poll(Duration.ofSeconds(10), asks::incrementAndGet, n -> n == 3))
                .isEqualTo(3);
        assertThat(asks).hasValue(3);
    }

    @Test
    void givesUpAtTheDeadlineWithTheLastAnswerAndBacksOff() throws Exception {
        AtomicInteger asks = new AtomicInteger();
        long started = System.nanoTime();
        Integer last = Eventually.poll(Duration.ofMillis(300), asks::incrementAndGet, n -> false);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(last).isEqualTo(asks.get());
        assertThat(tookMillis).isGreaterThanOrEqualTo(300);
        // 20 + 40 + 80 + 160 ms: about five asks in 300 ms, not thousands
        assertThat(asks.get()).isBetween(2, 8);
    }

    @Test
    void nullMeansNotYet() throws Exception {
        AtomicInteger asks = new AtomicInteger();
        assertThat(Eventually.pollNonNull(Duration.ofSeconds(10), () -> asks.incrementAndGet() < 2 ? null : "there"))
                .isEqualTo("there");
        assertThat(Eventually.<String>pollNonNull(Duration.ofMillis(50), () -> null))
                .isNull();
    }
}
