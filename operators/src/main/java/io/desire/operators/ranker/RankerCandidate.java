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
    /** Per {@link io.desire.features.serving.CandidateSource} ordinal: normalised score; null when unknown. */
    public double[] sourceScores;
    /** Per source ordinal: 0-based rank, −1 where the source did not propose the item; null when unknown. */
    public int[] sourceRanks;

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

    /** The candidate pool's view of the item: every source's score and rank. */
    public static RankerCandidate of(io.desire.features.serving.CandidatePool.Candidate c) {
        io.desire.features.serving.CandidateSource[] sources = io.desire.features.serving.CandidateSource.values();
        RankerCandidate r = of(c.item(), c.category(), c.reasons().toArray(new String[0]));
        r.sourceScores = new double[sources.length];
        r.sourceRanks = new int[sources.length];
        double prior = 0;
        for (io.desire.features.serving.CandidateSource s : sources) {
            r.sourceScores[s.ordinal()] = c.score(s);
            r.sourceRanks[s.ordinal()] = c.rank(s);
            if (c.rank(s) >= 0) {
                prior = Math.max(prior, 1.0 / (1 + c.rank(s)));
            }
        }
        return r.withPrior(prior);
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
