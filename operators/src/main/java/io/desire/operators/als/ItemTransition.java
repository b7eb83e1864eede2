package io.desire.operators.als;

import java.util.Objects;

/**
 * One step of a user's sequence: the user interacted with {@code toItem} right after {@code
 * fromItem} (the item they had touched most recently), at event time {@code eventTime}, with the
 * positive weight of that interaction ({@link io.desire.features.profile.EventWeights EventWeights}
 * weight in implicit mode, the rating in explicit mode). Emitted by {@link
 * io.desire.operators.als.UserFactors#TRANSITIONS}, aggregated by {@link io.desire.operators.covisit.CoVisitation}. {@code
 * toCategory} is {@code toItem}'s category from the event (catalog enrichment), null when unknown.
 * Carries no user id: the co-visitation counts are aggregates and need none. A Flink POJO.
 */
public class ItemTransition {
    public String fromItem;
    public String toItem;
    public long eventTime;
    public double weight;
    public String toCategory;

    public ItemTransition() {}

    public ItemTransition(String fromItem, String toItem, long eventTime, double weight) {
        this.fromItem = fromItem;
        this.toItem = toItem;
        this.eventTime = eventTime;
        this.weight = weight;
    }

    /** The same transition carrying {@code toCategory}. */
    public ItemTransition withCategory(String toCategory) {
        this.toCategory = toCategory;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ItemTransition)) {
            return false;
        }
        ItemTransition t = (ItemTransition) o;
        return eventTime == t.eventTime
                && Double.compare(weight, t.weight) == 0
                && Objects.equals(fromItem, t.fromItem)
                && Objects.equals(toItem, t.toItem)
                && Objects.equals(toCategory, t.toCategory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fromItem, toItem, eventTime, weight);
    }

    @Override
    public String toString() {
        return "ItemTransition{" + fromItem + " → " + toItem + " t=" + eventTime + " w=" + weight
                + (toCategory == null ? "" : " category=" + toCategory) + '}';
    }
}
