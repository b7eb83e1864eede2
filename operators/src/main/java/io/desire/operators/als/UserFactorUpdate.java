package io.desire.operators.als;

import java.util.Arrays;
import java.util.Objects;

/**
 * One user's interaction with an item, as the item side needs it: the user's NEW vector (after the
 * fold-in of this interaction) and the interaction's confidence and preference. Emitted by {@link
 * UserFactors}, keyed by {@code itemId} into {@link ItemFactors}.
 *
 * <p>Implicit mode: {@code confidence = 1 + α·w} with {@code w} the user's summed event weight on
 * the item, {@code preference} 1. Explicit mode: {@code confidence} 1, {@code preference} the rating.
 * {@code itemFactors} is the vector the user side assumed for an item it had not yet seen published
 * (its deterministic initial vector); null otherwise. The item side starts from it, so both sides
 * agree on a new item's first vector. A Flink POJO.
 */
public class UserFactorUpdate {
    public String userId;
    public String itemId;
    public double[] userFactors;
    public double confidence;
    public double preference;
    public long eventTime;
    /** The initial item vector the user side used, when the item was not yet in its table; else null. */
    public double[] itemFactors;
    /** The item's category from the event (catalog enrichment), null when unknown. */
    public String category;

    public UserFactorUpdate() {}

    public UserFactorUpdate(
            String userId,
            String itemId,
            double[] userFactors,
            double confidence,
            double preference,
            long eventTime,
            double[] itemFactors) {
        this.userId = userId;
        this.itemId = itemId;
        this.userFactors = userFactors;
        this.confidence = confidence;
        this.preference = preference;
        this.eventTime = eventTime;
        this.itemFactors = itemFactors;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof UserFactorUpdate)) {
            return false;
        }
        UserFactorUpdate u = (UserFactorUpdate) o;
        return Double.compare(confidence, u.confidence) == 0
                && Double.compare(preference, u.preference) == 0
                && eventTime == u.eventTime
                && Objects.equals(userId, u.userId)
                && Objects.equals(itemId, u.itemId)
                && Arrays.equals(userFactors, u.userFactors)
                && Arrays.equals(itemFactors, u.itemFactors)
                && Objects.equals(category, u.category);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, itemId, eventTime);
    }

    @Override
    public String toString() {
        return "UserFactorUpdate{" + userId + " → " + itemId + " c=" + confidence + " p=" + preference + " t="
                + eventTime + ' ' + Arrays.toString(userFactors) + '}';
    }
}
