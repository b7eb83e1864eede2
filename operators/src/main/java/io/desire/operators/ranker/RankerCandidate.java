package io.desire.operators.ranker;

import java.util.Arrays;

/**
 * One item proposed to {@link LearnedRanker} by a candidate source (ALS top-N, co-visitation, context
 * trending, popularity), with the signals the ranker's features use and the source's reason codes.
 *
 * <p>Unknown numeric signals are {@code NaN} and contribute no feature. {@link #prior} is the source's
 * own score (e.g. the blended score); it only breaks ties between equal model scores, which makes an
 * untrained model rank like the sources do. A Flink POJO, so candidate lists may be kept in state.
 */
public class RankerCandidate {
    public String itemId;
    /** {@code null} when unknown. */
    public String category;
    /** ALS score of (user, item), {@code NaN} when unknown. */
    public double alsScore = Double.NaN;
    /** The item's popularity in the context (trending score), ≥ 0, {@code NaN} when unknown. */
    public double contextPopularity = Double.NaN;
    /** Age in hours of the item's latest signal, ≥ 0, {@code NaN} when unknown. */
    public double recencyHours = Double.NaN;
    /** Tie-break score from the source; higher first. */
    public double prior;
    /** Reason codes of the sources that proposed the item, e.g. {@code context_trending}. */
    public String[] reasons = new String[0];

    public RankerCandidate() {}

    /** A candidate with the given reasons and no numeric signals. */
    public static RankerCandidate of(String itemId, String category, String... reasons) {
        RankerCandidate c = new RankerCandidate();
        c.itemId = itemId;
        c.category = category;
        c.reasons = reasons == null ? new String[0] : reasons.clone();
        return c;
    }

    public RankerCandidate withAlsScore(double score) {
        this.alsScore = score;
        return this;
    }

    public RankerCandidate withContextPopularity(double popularity) {
        this.contextPopularity = popularity;
        return this;
    }

    public RankerCandidate withRecencyHours(double hours) {
        this.recencyHours = hours;
        return this;
    }

    public RankerCandidate withPrior(double score) {
        this.prior = score;
        return this;
    }

    @Override
    public String toString() {
        return "RankerCandidate{" + itemId + " cat=" + category + " als=" + alsScore + " pop=" + contextPopularity
                + " age=" + recencyHours + " prior=" + prior + ' ' + Arrays.toString(reasons) + '}';
    }
}
