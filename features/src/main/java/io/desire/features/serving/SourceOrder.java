package io.desire.features.serving;

import io.desire.features.recs.RankedItem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks a {@link CandidatePool} by one lead source, back-filled so that the list is full: first the
 * lead source's items in its order, then the other candidates by their best rank in any source (ties:
 * source priority, then item id). A list is shorter than {@code topK} only when the pool is.
 *
 * <p>Scores are the lead source's normalised scores for its items; back-filled items get scores below
 * the last lead item's, decreasing with position, so a document's scores always decrease down the
 * list. Deterministic for equal inputs.
 */
public final class SourceOrder {
    private SourceOrder() {}

    /** The best {@code topK} candidates of {@code pool} led by {@code lead}. */
    public static List<CandidatePool.Candidate> order(CandidatePool pool, CandidateSource lead, int topK) {
        List<CandidatePool.Candidate> led = new ArrayList<>();
        List<CandidatePool.Candidate> rest = new ArrayList<>();
        for (CandidatePool.Candidate c : pool.candidates()) {
            (c.from(lead) ? led : rest).add(c);
        }
        led.sort(Comparator.comparingInt(c -> c.rank(lead)));
        if (led.size() < topK) {
            rest.sort(Comparator.comparingInt(CandidatePool.Candidate::bestRank)
                    .thenComparingInt(SourceOrder::firstSource)
                    .thenComparing(CandidatePool.Candidate::item));
            for (int i = 0; i < rest.size() && led.size() < topK; i++) {
                led.add(rest.get(i));
            }
        }
        return led.size() > topK ? led.subList(0, topK) : led;
    }

    /** {@link #order} as document items. */
    public static RankedItem[] rank(CandidatePool pool, CandidateSource lead, int topK) {
        List<CandidatePool.Candidate> ordered = order(pool, lead, topK);
        RankedItem[] out = new RankedItem[ordered.size()];
        double floor = 1.0;
        for (int i = 0; i < out.length; i++) {
            CandidatePool.Candidate c = ordered.get(i);
            double score;
            if (c.from(lead)) {
                score = c.score(lead);
                floor = Math.min(floor, score);
            } else {
                score = floor * (out.length - i) / (out.length + 1.0);
            }
            out[i] = new RankedItem(c.item(), score, c.category(), c.reasons().toArray(new String[0]));
        }
        return out;
    }

    private static int firstSource(CandidatePool.Candidate c) {
        for (CandidateSource s : CandidateSource.values()) {
            if (c.from(s)) {
                return s.ordinal();
            }
        }
        return Integer.MAX_VALUE;
    }
}
