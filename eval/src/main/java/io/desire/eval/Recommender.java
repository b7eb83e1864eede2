package io.desire.eval;

import java.util.function.IntPredicate;

/** A top-K recommender over item indices, as the offline protocol calls it. */
interface Recommender {

    /**
     * The best {@code k} items for {@code user}, best first, never an item for which {@code exclude}
     * is true; fewer than k only when fewer candidates remain.
     */
    int[] recommend(int user, int k, IntPredicate exclude);
}
