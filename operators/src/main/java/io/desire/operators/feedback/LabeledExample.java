package io.desire.operators.feedback;

import io.desire.features.context.ContextDefaults;
import io.desire.features.event.Event;
import java.util.Objects;

/**
 * One training example for the ranker: a (user, context, item) that was shown, labelled 1 when a click
 * or purchase of that item followed within the feedback window and 0 otherwise.
 *
 * <p>Produced by {@link FeedbackJoin} (from impressions) and {@link NegativeSampler} (for data without
 * impressions). A Flink POJO (public no-arg constructor, public fields), serialised without Kryo. The
 * context is the one of the impression, which is what the ranker saw when it scored the item.
 */
public class LabeledExample {
    public String requestId;
    public String userId;
    public String itemId;
    /** {@code null} when unknown. */
    public String category;

    public String geoCell;
    public String timeBucket;
    public String deviceClass;
    /** 1 = clicked or purchased within the window, 0 = not. */
    public int label;
    /** Event time of the impression (or of the positive event for sampled examples), epoch ms. */
    public long impressionTs;
    /**
     * Event time at which the label was decided, epoch ms: the matching click or purchase for a
     * positive, the end of the window ({@code impressionTs + window}) for a negative.
     */
    public long decisionTs;

    public LabeledExample() {}

    /** An example of {@code e}'s user, item and context with {@code label}, shown and decided at {@code e.ts}. */
    public static LabeledExample of(Event e, int label) {
        LabeledExample x = new LabeledExample();
        x.requestId = e.requestId;
        x.userId = e.userId;
        x.itemId = e.itemId;
        x.category = e.category;
        x.geoCell = e.geoCell;
        x.timeBucket = e.timeBucket;
        x.deviceClass = e.deviceClass;
        x.label = label;
        x.impressionTs = e.ts;
        x.decisionTs = e.ts;
        return x;
    }

    /** The context key {@code geoCell:timeBucket:deviceClass} of the impression. */
    public String contextKey() {
        return ContextDefaults.contextKey(geoCell, timeBucket, deviceClass);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LabeledExample)) {
            return false;
        }
        LabeledExample x = (LabeledExample) o;
        return label == x.label
                && impressionTs == x.impressionTs
                && decisionTs == x.decisionTs
                && Objects.equals(requestId, x.requestId)
                && Objects.equals(userId, x.userId)
                && Objects.equals(itemId, x.itemId)
                && Objects.equals(category, x.category)
                && Objects.equals(geoCell, x.geoCell)
                && Objects.equals(timeBucket, x.timeBucket)
                && Objects.equals(deviceClass, x.deviceClass);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, userId, itemId, label, impressionTs);
    }

    @Override
    public String toString() {
        return "LabeledExample{" + (label == 1 ? "+ " : "- ") + "req=" + requestId + " user=" + userId
                + " item=" + itemId + " cat=" + category + " ctx=" + contextKey() + " shown=" + impressionTs
                + " decided=" + decisionTs + '}';
    }
}
