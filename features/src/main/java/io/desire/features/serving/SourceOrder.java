package io.desire.features.serving;

import io.desire.features.recs.RankedItem;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * The best {@code topK} candidates of {@code pool} led by {@code lead}. Linear in the pool's size:
     * a source's ranks are its items' distinct positions 0, 1, …, so its items are placed by rank, and
     * the back-fill keeps only the best {@code topK} others seen so far instead of sorting them all.
     */
    public static List<CandidatePool.Candidate> order(CandidatePool pool, CandidateSource lead, int topK) {
        int ledCount = Math.min(pool.sizeOf(lead), topK);
        CandidatePool.Candidate[] led = new CandidatePool.Candidate[ledCount];
        int fill = topK - ledCount;
        BestOthers others = fill > 0 ? new BestOthers(fill) : null;
        for (CandidatePool.Candidate c : pool.candidates()) {
            int rank = c.rank(lead);
            if (rank >= 0) {
                if (rank < ledCount) {
                    led[rank] = c;
                }
            } else if (others != null) {
                others.offer(c);
            }
        }
        List<CandidatePool.Candidate> out = new ArrayList<>(topK);
        out.addAll(Arrays.asList(led));
        if (others != null) {
            others.appendTo(out);
        }
        return out;
    }

    /**
     * The best {@code k} candidates offered, by best rank in any source, then source priority, then
     * item id: a sorted array of at most k, each offer inserted in place (k is a document's length).
     */
    private static final class BestOthers {
        private final CandidatePool.Candidate[] items;
        private final long[] keys;
        private int size;

        BestOthers(int k) {
            items = new CandidatePool.Candidate[k];
            keys = new long[k];
        }

        void offer(CandidatePool.Candidate c) {
            long key = ((long) c.bestRank() << 32) | (firstSource(c) & 0xffffffffL);
            if (size == items.length && !before(key, c, keys[size - 1], items[size - 1])) {
                return;
            }
            int at = size == items.length ? size - 1 : size++;
            while (at > 0 && before(key, c, keys[at - 1], items[at - 1])) {
                keys[at] = keys[at - 1];
                items[at] = items[at - 1];
                at--;
            }
            keys[at] = key;
            items[at] = c;
        }

        private static boolean before(
                long key, CandidatePool.Candidate c, long otherKey, CandidatePool.Candidate other) {
            return key != otherKey ? key < otherKey : c.item().compareTo(other.item()) < 0;
        }

        void appendTo(List<CandidatePool.Candidate> out) {
            out.addAll(Arrays.asList(items).subList(0, size));
        }
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
