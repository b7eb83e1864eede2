package io.desire.operators.ranker;

import io.desire.features.ftrl.HashedFeatures;
import java.util.Objects;

/**
 * The feature vector the ranker scored for one (user, context, item) at one instant: the serving log
 * the ranker is trained from, so that it learns from exactly what it saw when it ranked the item.
 *
 * <p>Produced by {@link LearnedRanker} for every item it returns, consumed by {@link ExampleAssembler}
 * (keyed by {@link #joinKey()}). A Flink POJO (public no-arg constructor, public fields), serialised
 * without Kryo.
 */
public class ServedFeatures {
    public String userId;
    /** {@code geoCell:timeBucket:deviceClass}, as formatted by {@code ContextDefaults.contextKey}. */
    public String contextKey;

    public String itemId;
    /** The request the item was served for, {@code null} when ranking is not per request. */
    public String requestId;
    /** Event time the ranking reflects, epoch ms: an impression at or after it may have shown these features. */
    public long servedAt;
    /** Version of the weights the item was scored with (0 when no trained model was available). */
    public long modelVersion;

    public HashedFeatures features;

    public ServedFeatures() {}

    public ServedFeatures(
            String userId,
            String contextKey,
            String itemId,
            String requestId,
            long servedAt,
            long modelVersion,
            HashedFeatures features) {
        this.userId = userId;
        this.contextKey = contextKey;
        this.itemId = itemId;
        this.requestId = requestId;
        this.servedAt = servedAt;
        this.modelVersion = modelVersion;
        this.features = features;
    }

    /** The key {@link ExampleAssembler} joins on: user, context key and item. */
    public String joinKey() {
        return ExampleAssembler.joinKey(userId, contextKey, itemId);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ServedFeatures)) {
            return false;
        }
        ServedFeatures s = (ServedFeatures) o;
        return servedAt == s.servedAt
                && modelVersion == s.modelVersion
                && Objects.equals(userId, s.userId)
                && Objects.equals(contextKey, s.contextKey)
                && Objects.equals(itemId, s.itemId)
                && Objects.equals(requestId, s.requestId)
                && Objects.equals(features, s.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, contextKey, itemId, servedAt);
    }

    @Override
    public String toString() {
        return "ServedFeatures{user=" + userId + " ctx=" + contextKey + " item=" + itemId + " req=" + requestId + " at="
                + servedAt + " v=" + modelVersion + ' ' + features + '}';
    }
}
