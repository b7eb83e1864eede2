package io.desire.features.recs;

import java.util.Arrays;
import java.util.Objects;

/** One recommended item with its score and the reasons it was recommended. A Flink POJO. */
public class RankedItem {
    public String item;
    public double score;
    /** Item category when known, else {@code null}. */
    public String category;
    /** Stable reason codes, e.g. {@code context_trending}, {@code popular}, {@code affinity_category}. */
    public String[] reasons;

    public RankedItem() {}

    public RankedItem(String item, double score, String category, String[] reasons) {
        this.item = item;
        this.score = score;
        this.category = category;
        this.reasons = reasons;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RankedItem)) {
            return false;
        }
        RankedItem r = (RankedItem) o;
        return Double.compare(score, r.score) == 0
                && Objects.equals(item, r.item)
                && Objects.equals(category, r.category)
                && Arrays.equals(reasons, r.reasons);
    }

    @Override
    public int hashCode() {
        return Objects.hash(item, score);
    }

    @Override
    public String toString() {
        return item + '(' + score + ' ' + Arrays.toString(reasons) + ')';
    }
}
