package io.desire.features.serving;

import java.util.Arrays;

/**
 * One candidate source's proposal for one user in one context: items best first, with the source's
 * own scores (comparable only within the list) and categories (null entries where unknown).
 * Immutable by convention; the arrays are not copied.
 */
public record SourceList(String[] items, double[] scores, String[] categories, String[] reasons) {

    public static final SourceList EMPTY = new SourceList(new String[0], new double[0], new String[0], new String[0]);

    public SourceList {
        if (items.length != scores.length
                || (categories != null && categories.length != items.length)
                || (reasons != null && reasons.length != items.length)) {
            throw new IllegalArgumentException("items, scores, categories and reasons must be parallel");
        }
    }

    /** A list whose items all carry the source's own reason. */
    public static SourceList of(String[] items, double[] scores, String[] categories) {
        return new SourceList(items, scores, categories, null);
    }

    public int size() {
        return items.length;
    }

    /** The category of entry {@code i}, or null. */
    public String categoryAt(int i) {
        return categories == null ? null : categories[i];
    }

    /** The reason of entry {@code i}, or null for the source's own. */
    public String reasonAt(int i) {
        return reasons == null ? null : reasons[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceList l && Arrays.equals(items, l.items) && Arrays.equals(scores, l.scores);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items);
    }

    @Override
    public String toString() {
        return "SourceList" + Arrays.toString(items);
    }
}
