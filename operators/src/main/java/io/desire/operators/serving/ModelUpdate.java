package io.desire.operators.serving;

import io.desire.features.ranking.TrendingItems;
import io.desire.operators.covisit.ItemFollowers;
import io.desire.operators.ranker.WeightDelta;
import java.util.Objects;

/**
 * One input of {@link UserRecommender}'s broadcast side: a trending list (context or global), a
 * co-visitation list of one item, a ranker weight delta (FTRL or FM), or a backfill's "history read"
 * signal. Exactly one field is set. The three
 * streams are broadcast as one because a keyed broadcast function has a single broadcast input;
 * each kind lands in its own broadcast state. A Flink POJO.
 */
public class ModelUpdate {
    public TrendingItems trending;
    public ItemFollowers followers;
    public WeightDelta weights;
    /**
     * The "history read" signal of a backfill in history mode ({@link UserRecommenderBuilder#historyMode}):
     * rank every pending document now; set alone, without a model.
     */
    public boolean historyRead;

    public ModelUpdate() {}

    public static ModelUpdate of(TrendingItems t) {
        ModelUpdate u = new ModelUpdate();
        u.trending = Objects.requireNonNull(t, "trending");
        return u;
    }

    public static ModelUpdate of(ItemFollowers f) {
        ModelUpdate u = new ModelUpdate();
        u.followers = Objects.requireNonNull(f, "followers");
        return u;
    }

    public static ModelUpdate of(WeightDelta d) {
        ModelUpdate u = new ModelUpdate();
        u.weights = Objects.requireNonNull(d, "weights");
        return u;
    }

    /** The "history read" signal. */
    public static ModelUpdate historyRead() {
        ModelUpdate u = new ModelUpdate();
        u.historyRead = true;
        return u;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelUpdate u
                && Objects.equals(trending, u.trending)
                && Objects.equals(followers, u.followers)
                && Objects.equals(weights, u.weights)
                && historyRead == u.historyRead;
    }

    @Override
    public int hashCode() {
        return Objects.hash(trending, followers, weights, historyRead);
    }

    @Override
    public String toString() {
        if (historyRead) {
            return "ModelUpdate{history read}";
        }
        return "ModelUpdate{" + (trending != null ? trending : followers != null ? followers : weights) + '}';
    }
}
