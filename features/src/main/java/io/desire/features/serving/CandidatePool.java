package io.desire.features.serving;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The merged candidates of one ranking: every item some enabled source proposed, minus the items the
 * user must not be served, each with every source's normalised score and rank. This is what the
 * rankings (a single source with back-fill, or the learned ranker) order, so they all see the same
 * candidates and every source's evidence about each.
 *
 * <p>A source's score is divided by the best score of its list (scores ≤ 0 count as 0), so it lies in
 * [0, 1] whatever the source's scale; its rank is the 0-based position among the source's items that
 * survived exclusion, or −1 when the source did not propose the item. Iteration order is that of
 * first proposal, sources in {@link CandidateSource} priority order; deterministic for equal inputs.
 */
public final class CandidatePool {
    private static final int SOURCES = CandidateSource.values().length;

    /** One merged candidate. */
    public static final class Candidate {
        private final String item;
        private String category;
        private final double[] scores = new double[SOURCES];
        private final int[] ranks = new int[SOURCES];
        private final List<String> reasons = new ArrayList<>(2);

        Candidate(String item) {
            this.item = item;
            java.util.Arrays.fill(ranks, -1);
        }

        public String item() {
            return item;
        }

        /** The first known category any source gave, or null. */
        public String category() {
            return category;
        }

        /** The source's normalised score in [0, 1]; 0 when it did not propose the item. */
        public double score(CandidateSource s) {
            return scores[s.ordinal()];
        }

        /** The item's 0-based rank in the source's list, or −1 when the source did not propose it. */
        public int rank(CandidateSource s) {
            return ranks[s.ordinal()];
        }

        public boolean from(CandidateSource s) {
            return ranks[s.ordinal()] >= 0;
        }

        /** The reason codes of the sources that proposed it, in the order they did. */
        public List<String> reasons() {
            return Collections.unmodifiableList(reasons);
        }

        /** The smallest rank over the sources that proposed it. */
        int bestRank() {
            int best = Integer.MAX_VALUE;
            for (int r : ranks) {
                if (r >= 0 && r < best) {
                    best = r;
                }
            }
            return best;
        }
    }

    private final Map<String, Candidate> byItem = new LinkedHashMap<>();
    private final int[] sizes = new int[SOURCES];

    private CandidatePool() {}

    /**
     * Merges the lists of the enabled sources, each taken at most {@code perSource} deep after
     * exclusion.
     *
     * @param lists the sources' lists; missing or null entries are empty
     * @param enabled the sources to use
     * @param excluded items never to serve (e.g. consumed); tested once per proposed item
     */
    public static CandidatePool of(
            Map<CandidateSource, SourceList> lists,
            Set<CandidateSource> enabled,
            Predicate<String> excluded,
            int perSource) {
        if (perSource < 1) {
            throw new IllegalArgumentException("perSource must be ≥ 1, got " + perSource);
        }
        CandidatePool pool = new CandidatePool();
        // An item already in the pool passed the test; only items seen excluded are remembered, so
        // a proposal costs one lookup in the pool and the test runs once per distinct item.
        Set<String> refused = null;
        for (CandidateSource s : CandidateSource.values()) {
            SourceList list = lists.get(s);
            if (list == null || !enabled.contains(s) || list.size() == 0) {
                continue;
            }
            double best = 0;
            for (double v : list.scores()) {
                best = Math.max(best, v);
            }
            int rank = 0;
            for (int i = 0; i < list.size() && rank < perSource; i++) {
                String item = list.items()[i];
                if (item == null) {
                    continue;
                }
                Candidate c = pool.byItem.get(item);
                if (c == null) {
                    if (refused != null && refused.contains(item)) {
                        continue;
                    }
                    if (excluded.test(item)) {
                        if (refused == null) {
                            refused = new java.util.HashSet<>();
                        }
                        refused.add(item);
                        continue;
                    }
                    c = new Candidate(item);
                    pool.byItem.put(item, c);
                }
                if (c.ranks[s.ordinal()] >= 0) {
                    continue; // a list that names an item twice: its first place counts
                }
                c.ranks[s.ordinal()] = rank++;
                c.scores[s.ordinal()] = best > 0 ? Math.max(0, list.scores()[i]) / best : 0;
                if (c.category == null) {
                    c.category = list.categoryAt(i);
                }
                String reason = list.reasonAt(i) != null ? list.reasonAt(i) : s.reason();
                if (!c.reasons.contains(reason)) {
                    c.reasons.add(reason);
                }
            }
            pool.sizes[s.ordinal()] = rank;
        }
        return pool;
    }

    /** The candidates in first-proposal order. */
    public Iterable<Candidate> candidates() {
        return byItem.values();
    }

    public int size() {
        return byItem.size();
    }

    /** How many of the source's items survived exclusion. */
    public int sizeOf(CandidateSource s) {
        return sizes[s.ordinal()];
    }

    /** The candidate of {@code item}, or null. */
    public Candidate get(String item) {
        return byItem.get(item);
    }
}
