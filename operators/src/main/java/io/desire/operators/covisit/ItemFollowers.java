package io.desire.operators.covisit;

import java.util.Arrays;
import java.util.Objects;

/**
 * The items that most often followed {@code itemId} in users' sequences: a publication of {@link
 * CoVisitation}, the record of the item-followers stream the recommender keeps per item.
 *
 * <p>{@code items} are best first and never contain {@code itemId}; {@code scores} (parallel, same
 * length) are the decayed transition weights, descending, ties ordered by item id ascending. Scores
 * are expressed as of {@code eventTime}, the largest event time the list reflects; to compare lists
 * of different items, decay each by {@code 2^(−(t − eventTime)/halfLife)} to a common {@code t}
 * (within one list the order does not change with time). {@code categories} is parallel to {@code
 * items}: each follower's category as last seen on a transition to it, null entries when unknown,
 * the whole array null when none is known. {@code version} counts the item's
 * publications and only grows, also across restores, so a reader keeps the list with the largest
 * version (equal versions: the later one; see {@link CoVisitation#newer}). A Flink POJO (public
 * fields, no-arg constructor); on Kafka, key the record by {@code itemId} so the topic can be
 * compacted.
 */
public class ItemFollowers {
    public String itemId;
    public String[] items;
    public double[] scores;
    public long version;
    public long eventTime;
    /** Parallel to {@link #items}: categories, null entries when unknown; null when none is known. */
    public String[] categories;

    public ItemFollowers() {}

    public ItemFollowers(String itemId, String[] items, double[] scores, long version, long eventTime) {
        this.itemId = itemId;
        this.items = items;
        this.scores = scores;
        this.version = version;
        this.eventTime = eventTime;
    }

    public ItemFollowers(
            String itemId, String[] items, double[] scores, long version, long eventTime, String[] categories) {
        this(itemId, items, scores, version, eventTime);
        this.categories = categories;
    }

    /** A deep copy. */
    public ItemFollowers copy() {
        return new ItemFollowers(
                itemId,
                items == null ? null : items.clone(),
                scores == null ? null : scores.clone(),
                version,
                eventTime,
                categories == null ? null : categories.clone());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ItemFollowers)) {
            return false;
        }
        ItemFollowers f = (ItemFollowers) o;
        return version == f.version
                && eventTime == f.eventTime
                && Objects.equals(itemId, f.itemId)
                && Arrays.equals(items, f.items)
                && Arrays.equals(scores, f.scores)
                && Arrays.equals(categories, f.categories);
    }

    @Override
    public int hashCode() {
        return Objects.hash(itemId, version);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ItemFollowers{")
                .append(itemId)
                .append(" v")
                .append(version)
                .append(" t=")
                .append(eventTime)
                .append(" [");
        int n = items == null ? 0 : items.length;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(items[i]);
            if (scores != null && i < scores.length) {
                sb.append('=').append(scores[i]);
            }
            if (categories != null && i < categories.length && categories[i] != null) {
                sb.append('/').append(categories[i]);
            }
        }
        return sb.append("]}").toString();
    }
}
