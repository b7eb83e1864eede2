package io.desire.operators.ranker;

import io.desire.features.ftrl.HashedFeatures;
import java.util.function.Supplier;
import org.apache.flink.api.common.state.BroadcastState;

/**
 * What {@link LearnedRanker} needs of a ranker replica, whichever model it holds: linear FTRL weights
 * ({@link RankerWeights}) or a factorisation machine ({@link FmWeights}).
 */
public interface RankerModel {
    /** Name of the linear FTRL model ({@code ranker.model=ftrl}); prefix of its model versions. */
    String FTRL = "ftrl";
    /** Name of the factorisation machine ({@code ranker.model=fm}); prefix of its model versions. */
    String FM = "fm";

    /** {@link #FTRL} or {@link #FM}: which model this replica holds. */
    String name();

    /** Model version (examples learned from) of the replica; 0 before the first delta. */
    long version();

    /** Whether a trained model is present (a delta with version &gt; 0 was applied). */
    boolean isTrained();

    /** Number of hashed buckets; 0 before the first delta. */
    int dimension();

    /** The predicted probability of a click or purchase; ½ before the first delta. */
    double score(HashedFeatures x);

    /** Applies a delta of this model per the version rule; a delta of another model is not applied. */
    boolean apply(WeightDelta delta);

    /**
     * Applies {@code delta} to the replica under {@code key} in {@code state}, creating it with
     * {@code fresh} at the first delta; the replica is put back only when the delta was applied.
     *
     * @return whether it was applied
     */
    static <T extends RankerModel> boolean update(
            BroadcastState<String, T> state, String key, Supplier<T> fresh, WeightDelta delta) throws Exception {
        T model = state.get(key);
        if (model == null) {
            model = fresh.get();
        }
        boolean applied = model.apply(delta);
        if (applied) {
            // broadcast state is on the heap, so the arrays are updated in place; put keeps that explicit
            state.put(key, model);
        }
        return applied;
    }
}
