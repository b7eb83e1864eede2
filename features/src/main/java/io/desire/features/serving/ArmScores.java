package io.desire.features.serving;

import java.util.Arrays;
import java.util.Set;

/**
 * Champion/challenger by prequential evaluation ("test, then train"): for each held-back positive
 * event, before the models learn from it, every arm — each {@link CandidateSource} leading alone
 * ({@link SourceOrder}) and the learned ranker — is asked for its list for that user and context, and
 * scores the NDCG@k gain {@code 1/log2(rank+2)} of the event's item (0 when it is not in the top k).
 * Gains are averaged with a fading factor (Gama et al. 2013), so the figures follow the recent
 * window of about {@code 1/(1−fading)} outcomes. The {@link #champion} serves the documents: the arm
 * with the best faded mean, the learned ranker only while it is strictly better than every source.
 *
 * <p>A Flink POJO of primitive arrays (operator state of the serving operator). Indices are {@link
 * CandidateSource#ordinal()} for the sources and {@link #LEARNED} for the learned ranker.
 */
public class ArmScores {
    /** Arm index of the learned ranker. */
    public static final int LEARNED = CandidateSource.values().length;
    /** Number of arms. */
    public static final int ARMS = LEARNED + 1;

    /** Faded sums of gains per arm. */
    public double[] gain = new double[ARMS];
    /** Faded counts of outcomes per arm. */
    public double[] weight = new double[ARMS];
    /** Outcomes recorded, unfaded. */
    public long outcomes;

    public ArmScores() {}

    /** The NDCG@k gain of an item at 0-based {@code rank} (−1 or ≥ k: a miss). */
    public static double gain(int rank, int k) {
        return rank >= 0 && rank < k ? 1.0 / (Math.log(rank + 2) / Math.log(2)) : 0.0;
    }

    /**
     * Records one outcome.
     *
     * @param ranks per arm, the rank of the event's item in that arm's list, −1 when absent;
     *     {@link Integer#MIN_VALUE} for an arm that was not scored (not enabled, or untrained)
     * @param fading in (0, 1]: the weight the past keeps per outcome
     */
    public void record(int[] ranks, int k, double fading) {
        for (int a = 0; a < ARMS; a++) {
            if (ranks[a] == Integer.MIN_VALUE) {
                continue;
            }
            gain[a] = gain[a] * fading + gain(ranks[a], k);
            weight[a] = weight[a] * fading + 1.0;
        }
        outcomes++;
    }

    /** The faded mean NDCG@k of an arm; NaN before its first outcome. */
    public double mean(int arm) {
        return weight[arm] > 0 ? gain[arm] / weight[arm] : Double.NaN;
    }

    /**
     * The arm that serves: before {@code minOutcomes} outcomes, {@code fallback}; then the enabled
     * source with the best mean (ties: source priority), replaced by {@link #LEARNED} when the learned
     * ranker is available and its mean is strictly higher.
     */
    public int champion(
            Set<CandidateSource> enabled, boolean learnedAvailable, long minOutcomes, CandidateSource fallback) {
        if (outcomes < minOutcomes) {
            return fallback.ordinal();
        }
        int best = -1;
        for (CandidateSource s : CandidateSource.values()) {
            int a = s.ordinal();
            if (enabled.contains(s) && weight[a] > 0 && (best < 0 || mean(a) > mean(best))) {
                best = a;
            }
        }
        if (best < 0) {
            return fallback.ordinal();
        }
        if (learnedAvailable && weight[LEARNED] > 0 && mean(LEARNED) > mean(best)) {
            return LEARNED;
        }
        return best;
    }

    /** The larger evidence of two subtasks' scores (after a rescale, the union of their states). */
    public static ArmScores mostInformed(Iterable<ArmScores> all) {
        ArmScores best = null;
        for (ArmScores s : all) {
            if (s != null && (best == null || s.outcomes > best.outcomes)) {
                best = s;
            }
        }
        return best == null ? new ArmScores() : best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArmScores a
                && outcomes == a.outcomes
                && Arrays.equals(gain, a.gain)
                && Arrays.equals(weight, a.weight);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(outcomes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ArmScores{").append(outcomes).append(" outcomes");
        for (int a = 0; a < ARMS; a++) {
            sb.append(", ")
                    .append(a == LEARNED ? "learned" : CandidateSource.values()[a].configName())
                    .append('=')
                    .append(String.format(java.util.Locale.ROOT, "%.4f", mean(a)));
        }
        return sb.append('}').toString();
    }
}
