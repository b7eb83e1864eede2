package io.desire.operators.als;

import io.desire.operators.PublishedState;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link ItemFactors} keeps per item: the item's current vector, the version of its last
 * publication (only grows), the largest event time learned from, whether changes wait for
 * publication, and the item's pending timers. A Flink POJO.
 */
public class ItemFactorState extends PublishedState {

    public double[] factors;
    /** The category of the item's latest interaction that had one; published with the vector. */
    public String category;

    public ItemFactorState() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ItemFactorState)) {
            return false;
        }
        ItemFactorState s = (ItemFactorState) o;
        return version == s.version
                && eventTime == s.eventTime
                && pendingUpdates == s.pendingUpdates
                && timerAt == s.timerAt
                && flushArmed == s.flushArmed
                && Arrays.equals(factors, s.factors)
                && Objects.equals(category, s.category);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + Arrays.hashCode(factors);
    }

    @Override
    public String toString() {
        return "ItemFactorState{v" + version + " pending=" + pendingUpdates + ' ' + Arrays.toString(factors) + '}';
    }
}
