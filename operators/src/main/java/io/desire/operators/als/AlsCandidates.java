package io.desire.operators.als;

import java.util.Arrays;
import java.util.Objects;

/**
 * ALS candidates for one user: item ids best first with their scores {@code x_u · y_i}, computed
 * against the replicated item table after the user's vector changed (at once, or at the end of a
 * coalescing period: {@link AlsConfig#candidatesIntervalMillis()}). {@code eventTime} is the largest
 * event time the user's vector learned from — the triggering interaction's, events arriving in order.
 * A Flink POJO.
 */
public class AlsCandidates {
    public String userId;
    public String[] items;
    public double[] scores;
    /** Parallel to {@link #items}: each item's category from the item table, null entries when unknown. */
    public String[] categories;

    public long eventTime;
    /**
     * True when these candidates come from a refresh of every user ({@link ItemFactorUpdate#refreshAll}),
     * not from an event of the user: the serving operator then re-ranks all of the user's documents.
     */
    public boolean refresh;

    public AlsCandidates() {}

    public AlsCandidates(String userId, String[] items, double[] scores, long eventTime) {
        this.userId = userId;
        this.items = items;
        this.scores = scores;
        this.eventTime = eventTime;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AlsCandidates)) {
            return false;
        }
        AlsCandidates c = (AlsCandidates) o;
        return eventTime == c.eventTime
                && refresh == c.refresh
                && Objects.equals(userId, c.userId)
                && Arrays.equals(items, c.items)
                && Arrays.equals(scores, c.scores)
                && Arrays.equals(categories, c.categories);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, eventTime);
    }

    @Override
    public String toString() {
        return "AlsCandidates{" + userId + ' ' + Arrays.toString(items) + '}';
    }
}
