package io.desire.operators.als;

import java.util.Arrays;
import java.util.Objects;

/**
 * A published item vector: the record of the ALS feedback topic, written by {@link ItemFactors} and
 * read back by every {@link UserFactors} subtask into its replicated item table.
 *
 * <p>{@code version} counts the item's publications and only grows, so a reader keeps the update
 * with the largest version (equal versions: the later one, which makes a re-delivery after a
 * restore harmless). {@code eventTime} is the largest event time the vector reflects. {@code
 * factors == null} is a tombstone: the item leaves the table. A Flink POJO (public fields, no-arg
 * constructor); on Kafka, key the record by {@code itemId} so the topic can be compacted.
 */
public class ItemFactorUpdate {
    public String itemId;
    public double[] factors;
    public long version;
    public long eventTime;
    /** The item's category as last seen in its interactions; null when unknown. Serving features use it. */
    public String category;

    /**
     * The reserved item id of the "history read" signal ({@link #refreshAll}): not an item. It starts
     * with a NUL character, which no item id of the event contract can hold.
     */
    public static final String REFRESH_ALL_ID = "\u0000refresh-all";

    /**
     * The reserved item id of the "one more epoch" signal ({@link #sweepAll}): not an item, for the
     * same reason as {@link #REFRESH_ALL_ID}.
     */
    public static final String SWEEP_ALL_ID = "\u0000sweep-all";

    public ItemFactorUpdate() {}

    /**
     * The signal that history has been read: every {@link UserFactors} subtask re-folds each of its
     * users against the item table as it is now and sends fresh candidates that make the serving
     * operator re-rank the user's documents. It travels the item-vector topic so it arrives after
     * the vectors published before it, on every subtask; it carries no vector and changes no item.
     */
    public static ItemFactorUpdate refreshAll(long eventTime) {
        return new ItemFactorUpdate(REFRESH_ALL_ID, null, 0, eventTime);
    }

    /** Whether this is the {@link #refreshAll} signal rather than an item's vector. */
    public boolean isRefreshAll() {
        return REFRESH_ALL_ID.equals(itemId);
    }

    /**
     * The signal for one more pass of the item side over the interactions already seen: every
     * {@link UserFactors} subtask re-folds each of its users against the item table as it is now and
     * sends the item side an update for each interaction in the user's window, carrying the new
     * vector, so that every item takes one more step with user vectors that are mature — an epoch of
     * the online item update, as a batch layer would run it. Sent at the end of history, before
     * {@link #refreshAll}; it travels the item-vector topic like that one and changes no item itself.
     */
    public static ItemFactorUpdate sweepAll(long eventTime) {
        return new ItemFactorUpdate(SWEEP_ALL_ID, null, 0, eventTime);
    }

    /** Whether this is the {@link #sweepAll} signal rather than an item's vector. */
    public boolean isSweepAll() {
        return SWEEP_ALL_ID.equals(itemId);
    }

    public ItemFactorUpdate(String itemId, double[] factors, long version, long eventTime) {
        this.itemId = itemId;
        this.factors = factors;
        this.version = version;
        this.eventTime = eventTime;
    }

    /** The same update carrying {@code category}. */
    public ItemFactorUpdate withCategory(String category) {
        this.category = category;
        return this;
    }

    /** A deep copy. */
    public ItemFactorUpdate copy() {
        return new ItemFactorUpdate(itemId, factors == null ? null : factors.clone(), version, eventTime)
                .withCategory(category);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ItemFactorUpdate)) {
            return false;
        }
        ItemFactorUpdate u = (ItemFactorUpdate) o;
        return version == u.version
                && eventTime == u.eventTime
                && Objects.equals(itemId, u.itemId)
                && Objects.equals(category, u.category)
                && Arrays.equals(factors, u.factors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemId, version);
    }

    @Override
    public String toString() {
        return "ItemFactorUpdate{" + itemId + " v" + version + " t=" + eventTime + ' ' + Arrays.toString(factors) + '}';
    }
}
