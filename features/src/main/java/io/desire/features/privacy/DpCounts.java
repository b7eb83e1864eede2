package io.desire.features.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * Releases bounded per-item counts of distinct users under {@link DpParams}: an item is published
 * when its count plus selection noise reaches the threshold, and then with its count plus fresh,
 * independent release noise — so a published count is an unbiased estimate of the true count
 * (given that the item is published, the release noise still has mean 0). Published counts that
 * noise brings to 0 or below are left out (only possible for counts within a few noise scales of
 * 0, which the threshold already makes rare).
 *
 * <p>The caller guarantees the bound: each user contributes to at most {@code k} of the counts, by 1.
 */
public final class DpCounts {
    private final DpParams params;
    private final DiscreteLaplace noise;

    public DpCounts(DpParams params, DiscreteLaplace noise) {
        if (params == null || noise == null) {
            throw new IllegalArgumentException("params and noise must not be null");
        }
        this.params = params;
        this.noise = noise;
    }

    /** One released item: its id and its noisy count (> 0). */
    public record Released(String item, long count) {}

    /**
     * The items of {@code items}/{@code counts} (parallel; counts of distinct users ≥ 0) that pass
     * the noisy threshold, with noisy counts, in input order.
     */
    public List<Released> release(List<String> items, long[] counts) {
        if (items.size() != counts.length) {
            throw new IllegalArgumentException(
                    "items and counts differ in length: " + items.size() + " vs " + counts.length);
        }
        double b = params.noiseScale();
        double tau = params.threshold();
        List<Released> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] <= 0 || counts[i] + noise.sample(b) < tau) {
                continue;
            }
            long released = counts[i] + noise.sample(b);
            if (released > 0) {
                out.add(new Released(items.get(i), released));
            }
        }
        return out;
    }

    public DpParams params() {
        return params;
    }
}
