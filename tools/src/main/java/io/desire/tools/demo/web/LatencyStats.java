package io.desire.tools.demo.web;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Click-to-updated-list times the page measured and reported: from the button press to the moment
 * the page shows the document that reflects the event. Keeps the last {@value #KEEP}.
 */
public final class LatencyStats {
    static final int KEEP = 500;
    private final ArrayDeque<Long> millis = new ArrayDeque<>();

    public synchronized void add(long ms) {
        millis.addLast(ms);
        while (millis.size() > KEEP) {
            millis.removeFirst();
        }
    }

    public synchronized int count() {
        return millis.size();
    }

    /** The {@code q} quantile (0..1, nearest rank) of the kept times, or -1 with none. */
    public synchronized long quantile(double q) {
        if (millis.isEmpty()) {
            return -1;
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public synchronized long last() {
        return millis.isEmpty() ? -1 : millis.peekLast();
    }
}
