package io.desire.operators.ranker;

import io.desire.features.ftrl.HashedFeatures;

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
}
