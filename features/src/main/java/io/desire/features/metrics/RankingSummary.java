package io.desire.features.metrics;

import java.util.BitSet;

/**
 * Averages {@link RankingMetrics} over users at one cut-off K, plus catalogue coverage: the share
 * of the catalogue that appears in at least one user's top K. Users with no relevant items are
 * counted ({@link #skippedUsers()}) but left out of the averages, as their metrics are undefined;
 * their lists still count towards coverage. Means are NaN until a user with relevant items is
 * added. Not thread-safe; {@link #merge} combines per-thread summaries.
 */
public final class RankingSummary {

    private final int k;
    private final int catalogueSize;
    private final BitSet recommended = new BitSet();
    private long users;
    private long skipped;
    private double precision;
    private double recall;
    private double f1;
    private double ndcg;
    private double hitRate;
    private double averagePrecision;

    /**
     * @param k cut-off
     * @param catalogueSize number of items that could be recommended (coverage denominator); items
     *     are indices in {@code [0, catalogueSize)}
     */
    public RankingSummary(int k, int catalogueSize) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be ≥ 1, got " + k);
        }
        if (catalogueSize < 1) {
            throw new IllegalArgumentException("catalogueSize must be ≥ 1, got " + catalogueSize);
        }
        this.k = k;
        this.catalogueSize = catalogueSize;
    }

    /** Adds one user's ranked list (best first) and relevant items (sorted ascending, distinct). */
    public RankingSummary add(int[] ranked, int[] relevant) {
        for (int i = 0, n = Math.min(k, ranked.length); i < n; i++) {
            if (ranked[i] < 0 || ranked[i] >= catalogueSize) {
                throw new IllegalArgumentException(
                        "item " + ranked[i] + " outside the catalogue [0, " + catalogueSize + ")");
            }
            recommended.set(ranked[i]);
        }
        if (relevant.length == 0) {
            skipped++;
            return this;
        }
        users++;
        precision += RankingMetrics.precisionAtK(ranked, relevant, k);
        recall += RankingMetrics.recallAtK(ranked, relevant, k);
        f1 += RankingMetrics.f1AtK(ranked, relevant, k);
        ndcg += RankingMetrics.ndcgAtK(ranked, relevant, k);
        hitRate += RankingMetrics.hitRateAtK(ranked, relevant, k);
        averagePrecision += RankingMetrics.averagePrecisionAtK(ranked, relevant, k);
        return this;
    }

    public RankingSummary merge(RankingSummary other) {
        if (other.k != k || other.catalogueSize != catalogueSize) {
            throw new IllegalArgumentException("cannot merge summaries of different k or catalogue");
        }
        recommended.or(other.recommended);
        users += other.users;
        skipped += other.skipped;
        precision += other.precision;
        recall += other.recall;
        f1 += other.f1;
        ndcg += other.ndcg;
        hitRate += other.hitRate;
        averagePrecision += other.averagePrecision;
        return this;
    }

    public int k() {
        return k;
    }

    /** Users averaged over (those with at least one relevant item). */
    public long users() {
        return users;
    }

    public long skippedUsers() {
        return skipped;
    }

    public double precision() {
        return mean(precision);
    }

    public double recall() {
        return mean(recall);
    }

    /** Mean of per-user F1@K (not the F1 of the mean precision and recall). */
    public double f1() {
        return mean(f1);
    }

    public double ndcg() {
        return mean(ndcg);
    }

    public double hitRate() {
        return mean(hitRate);
    }

    /** MAP@K: mean of per-user AP@K as defined in {@link RankingMetrics}. */
    public double map() {
        return mean(averagePrecision);
    }

    /** Distinct recommended items / catalogue size, in [0, 1]. */
    public double coverage() {
        return recommended.cardinality() / (double) catalogueSize;
    }

    private double mean(double sum) {
        return users == 0 ? Double.NaN : sum / users;
    }

    @Override
    public String toString() {
        return String.format(
                "@%d over %d users: P=%.4f R=%.4f F1=%.4f NDCG=%.4f HR=%.4f MAP=%.4f coverage=%.4f",
                k, users, precision(), recall(), f1(), ndcg(), hitRate(), map(), coverage());
    }
}
