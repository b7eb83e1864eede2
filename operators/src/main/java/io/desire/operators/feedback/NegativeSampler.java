package io.desire.operators.feedback;

import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ranking.TrendingItems;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Negatives for data sets without impressions: for each positive (user, item, context), draws up to
 * N items uniformly without replacement from the items popular in that context (what the user was
 * likely to have been shown), excluding the positive item and items the user already consumed.
 *
 * <p><b>Deterministic:</b> the draw for a positive depends only on the sampler's seed, the user, the
 * item, the event time and the candidate list, never on the order positives are processed in or the
 * parallelism, so a replay or a backfill produces the same examples. When fewer than N candidates are
 * eligible, all of them are returned. Plain Java, stateless, thread-safe.
 */
public final class NegativeSampler implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_NEGATIVES_PER_POSITIVE = 4;

    private final int negativesPerPositive;
    private final long seed;

    /**
     * @param negativesPerPositive N, ≥ 1
     * @param seed the sampler's seed
     */
    public NegativeSampler(int negativesPerPositive, long seed) {
        if (negativesPerPositive < 1) {
            throw new IllegalArgumentException("negativesPerPositive must be ≥ 1, got " + negativesPerPositive);
        }
        this.negativesPerPositive = negativesPerPositive;
        this.seed = seed;
    }

    public int negativesPerPositive() {
        return negativesPerPositive;
    }

    /**
     * The negative item ids for a positive, in draw order.
     *
     * @param popular candidate items, most popular first; {@code null}s and repeats are skipped
     * @param consumed items the user already consumed; may be {@code null}
     */
    public String[] draw(String userId, String itemId, long ts, String[] popular, Collection<String> consumed) {
        int[] picked = drawPositions(userId, itemId, ts, popular, consumed);
        String[] out = new String[picked.length];
        for (int k = 0; k < picked.length; k++) {
            out[k] = popular[picked[k]];
        }
        return out;
    }

    /**
     * The negatives of {@code positive}: examples of the same request, user, context and times with
     * label 0, for items drawn from {@code popular} (whose categories they carry).
     */
    public List<LabeledExample> negatives(LabeledExample positive, TrendingItems popular, Collection<String> consumed) {
        String[] items = popular == null || popular.items == null ? new String[0] : popular.items;
        int[] picked = drawPositions(positive.userId, positive.itemId, positive.impressionTs, items, consumed);
        List<LabeledExample> out = new ArrayList<>(picked.length);
        for (int k : picked) {
            LabeledExample x = new LabeledExample();
            x.requestId = positive.requestId;
            x.userId = positive.userId;
            x.itemId = items[k];
            x.category = popular.categories != null && k < popular.categories.length ? popular.categories[k] : null;
            x.geoCell = positive.geoCell;
            x.timeBucket = positive.timeBucket;
            x.deviceClass = positive.deviceClass;
            x.label = 0;
            x.impressionTs = positive.impressionTs;
            x.decisionTs = positive.decisionTs;
            out.add(x);
        }
        return out;
    }

    private int[] drawPositions(String userId, String itemId, long ts, String[] popular, Collection<String> consumed) {
        if (popular == null || popular.length == 0) {
            return new int[0];
        }
        Set<String> seen = new HashSet<>();
        int[] eligible = new int[popular.length];
        int m = 0;
        for (int k = 0; k < popular.length; k++) {
            String c = popular[k];
            if (c == null || c.equals(itemId) || (consumed != null && consumed.contains(c)) || !seen.add(c)) {
                continue;
            }
            eligible[m++] = k;
        }
        int n = Math.min(negativesPerPositive, m);
        SplittableRandom rnd = new SplittableRandom(streamSeed(userId, itemId, ts));
        // partial Fisher–Yates: the first n slots become a uniform sample without replacement
        for (int k = 0; k < n; k++) {
            int j = k + rnd.nextInt(m - k);
            int tmp = eligible[k];
            eligible[k] = eligible[j];
            eligible[j] = tmp;
        }
        int[] out = new int[n];
        System.arraycopy(eligible, 0, out, 0, n);
        return out;
    }

    private long streamSeed(String userId, String itemId, long ts) {
        String key = userId + '\u001f' + itemId + '\u001f' + ts;
        int h = FeatureHasher.murmur3_32(key.getBytes(StandardCharsets.UTF_8), (int) (seed ^ (seed >>> 32)));
        return (seed * 0x9E3779B97F4A7C15L) ^ (((long) h) << 32 | (h & 0xffffffffL));
    }
}
