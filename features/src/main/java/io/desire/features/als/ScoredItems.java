package io.desire.features.als;

/**
 * A ranked list of item indices with their scores, best first; ties are ordered by ascending item
 * index so results are reproducible. Arrays are owned by the record and not copied.
 */
public record ScoredItems(int[] items, double[] scores) {

    public ScoredItems {
        if (items.length != scores.length) {
            throw new IllegalArgumentException(items.length + " items but " + scores.length + " scores");
        }
    }

    public int size() {
        return items.length;
    }
}
