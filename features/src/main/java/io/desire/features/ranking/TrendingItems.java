package io.desire.features.ranking;

import java.util.Arrays;

/**
 * The top items of one context (or of all contexts, {@link #GLOBAL}) in one sliding window: the
 * weighted interaction totals of the window ending at {@link #windowEnd}. A Flink POJO.
 *
 * <p>Arrays are parallel, sorted by score descending then item id ascending, and scores are > 0.
 * A newer {@link #windowEnd} for the same {@link #contextKey} supersedes an older one.
 */
public class TrendingItems {
    /** Context key of global popularity; contains no separator, so it never equals a real context key. */
    public static final String GLOBAL = "global";
    /** Context key of the long-horizon popularity list (decayed over days to weeks, not one window). */
    public static final String POPULAR = "popular";

    public String contextKey;
    /** Exclusive end of the window, epoch ms (the window covers {@code [windowEnd − size, windowEnd)}). */
    public long windowEnd;

    public String[] items;
    public double[] scores;
    /** Category per item, {@code null} entries when unknown. */
    public String[] categories;

    public TrendingItems() {}

    public TrendingItems(String contextKey, long windowEnd, String[] items, double[] scores, String[] categories) {
        this.contextKey = contextKey;
        this.windowEnd = windowEnd;
        this.items = items;
        this.scores = scores;
        this.categories = categories;
    }

    public int size() {
        return items == null ? 0 : items.length;
    }

    /** The largest score, 0 when empty (the first entry, as arrays are sorted). */
    public double maxScore() {
        return size() == 0 ? 0.0 : scores[0];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TrendingItems{")
                .append(contextKey)
                .append(" end=")
                .append(windowEnd);
        for (int i = 0; i < size(); i++) {
            sb.append(' ').append(items[i]).append('=').append(scores[i]);
        }
        return sb.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TrendingItems)) {
            return false;
        }
        TrendingItems t = (TrendingItems) o;
        return windowEnd == t.windowEnd
                && java.util.Objects.equals(contextKey, t.contextKey)
                && Arrays.equals(items, t.items)
                && Arrays.equals(scores, t.scores)
                && Arrays.equals(categories, t.categories);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(contextKey, windowEnd);
    }
}
