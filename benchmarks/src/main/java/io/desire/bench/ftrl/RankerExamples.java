package io.desire.bench.ftrl;

import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.ftrl.UserSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Labelled ranker examples built from a {@link GeneratedHistory} with the protocol of the offline
 * evaluation's ranker stage, on a chronological train / validation / test split.
 *
 * <p><b>Split.</b> A global time cut at the timestamp quantiles {@code 1 − validation − test} and
 * {@code 1 − test} (the evaluation's {@code --split chronological}): the earliest rows are
 * training, then validation, the latest test.
 *
 * <p><b>Examples.</b> Every row with positive evidence is a positive in its own context; for each,
 * {@code negatives} items the user never interacted with (over all rows) are drawn in proportion to
 * their popularity in training + validation rows and labelled 0 in the same context ("shown, popular,
 * not chosen"). Features are what was known just before the event — the user's category taste so
 * far, the item's interaction count so far (popularity signal, global so the context-free variant
 * stays context-free) and the age of its last interaction — computed in one time-ordered pass over
 * all rows. Each example is hashed twice by {@link RankingFeatures}: with the context features and
 * crosses, and without them, so both variants see identical examples.
 *
 * <p>Examples are listed in time order (a positive before its negatives); the list is a pure
 * function of the history, the split fractions, {@code negatives}, the feature settings and the seed.
 */
public final class RankerExamples {

    public static final byte TRAIN = 0;
    public static final byte VALIDATION = 1;
    public static final byte TEST = 2;

    /** Part of each example: {@link #TRAIN}, {@link #VALIDATION} or {@link #TEST}. */
    public final byte[] part;
    public final boolean[] label;
    public final HashedFeatures[] withContext;
    public final HashedFeatures[] withoutContext;
    /** Rows of each part, for the report. */
    public final int[] rowsPerPart;
    public final String splitDescription;

    private RankerExamples(byte[] part, boolean[] label, HashedFeatures[] withContext, HashedFeatures[] withoutContext,
                           int[] rowsPerPart, String splitDescription) {
        this.part = part;
        this.label = label;
        this.withContext = withContext;
        this.withoutContext = withoutContext;
        this.rowsPerPart = rowsPerPart;
        this.splitDescription = splitDescription;
    }

    public int size() {
        return label.length;
    }

    /** Number of examples in a part. */
    public int count(byte p) {
        int n = 0;
        for (byte b : part) {
            if (b == p) {
                n++;
            }
        }
        return n;
    }

    /** Indices of the examples whose part is one of {@code parts}, in time order. */
    public int[] indices(byte... parts) {
        int[] out = new int[part.length];
        int n = 0;
        for (int x = 0; x < part.length; x++) {
            for (byte p : parts) {
                if (part[x] == p) {
                    out[n++] = x;
                    break;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Builds the examples.
     *
     * @param context feature builder with context features (its hasher is shared by the context-free one)
     * @param plain feature builder without context features
     */
    public static RankerExamples build(GeneratedHistory h, double validationFraction, double testFraction,
                                       int negatives, RankingFeatures context, RankingFeatures plain, long seed) {
        if (negatives < 1) {
            throw new IllegalArgumentException("negatives must be ≥ 1, got " + negatives);
        }
        if (!(validationFraction >= 0) || !(testFraction > 0) || validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("need validation ≥ 0, test > 0, validation + test < 1");
        }
        int n = h.size();
        long[] sorted = new long[n];
        for (int r = 0; r < n; r++) {
            sorted[r] = h.ts(r);
        }
        Arrays.sort(sorted);
        long validationFrom = quantile(sorted, 1 - validationFraction - testFraction);
        long testFrom = quantile(sorted, 1 - testFraction);
        byte[] rowPart = new byte[n];
        int[] rowsPerPart = new int[3];
        for (int r = 0; r < n; r++) {
            long t = h.ts(r);
            rowPart[r] = t >= testFrom ? TEST : t >= validationFrom ? VALIDATION : TRAIN;
            rowsPerPart[rowPart[r]]++;
        }
        String description = "chronological global time cut: validation from " + Instant.ofEpochMilli(validationFrom)
                + ", test from " + Instant.ofEpochMilli(testFrom);

        int[][] consumed = consumedItems(h);
        long[] popularity = new long[h.numItems()];
        for (int r = 0; r < n; r++) {
            if (rowPart[r] != TEST) {
                popularity[h.item(r)]++;
            }
        }
        Sampler sampler = new Sampler(popularity);
        SplittableRandom random = new SplittableRandom(seed);
        State state = new State(h);

        List<Byte> parts = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        List<HashedFeatures> ctx = new ArrayList<>();
        List<HashedFeatures> noCtx = new ArrayList<>();
        int[] byTime = byTime(h);
        int[] candidates = new int[1 + negatives];
        for (int r : byTime) {
            if (!(h.value(r) > 0)) {
                continue; // no positive evidence (a poor rating): neither an example nor taste, as in the evaluation
            }
            int u = h.user(r);
            candidates[0] = h.item(r);
            int m = 1;
            for (int k = 0; k < negatives; k++) {
                // a few draws per negative: a heavy user may have consumed most popular items
                for (int attempt = 0; attempt < 20; attempt++) {
                    int item = sampler.draw(random);
                    if (item >= 0 && Arrays.binarySearch(consumed[u], item) < 0) {
                        candidates[m++] = item;
                        break;
                    }
                }
            }
            for (int c = 0; c < m; c++) {
                parts.add(rowPart[r]);
                labels.add(c == 0);
                ctx.add(state.features(context, r, candidates[c]));
                noCtx.add(state.features(plain, r, candidates[c]));
            }
            state.observe(r);
        }
        int size = labels.size();
        byte[] part = new byte[size];
        boolean[] label = new boolean[size];
        for (int x = 0; x < size; x++) {
            part[x] = parts.get(x);
            label[x] = labels.get(x);
        }
        return new RankerExamples(part, label, ctx.toArray(new HashedFeatures[0]), noCtx.toArray(new HashedFeatures[0]),
                rowsPerPart, description);
    }

    private static long quantile(long[] sorted, double q) {
        if (sorted.length == 0 || q >= 1) {
            return Long.MAX_VALUE;
        }
        return sorted[Math.min((int) Math.floor(q * sorted.length), sorted.length - 1)];
    }

    /** Row numbers sorted by time, ties in row order. */
    private static int[] byTime(GeneratedHistory h) {
        return java.util.stream.IntStream.range(0, h.size())
                .boxed()
                .sorted((a, b) -> Long.compare(h.ts(a), h.ts(b)))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** Distinct items of each user over all rows, ascending. */
    private static int[][] consumedItems(GeneratedHistory h) {
        int[] counts = new int[h.numUsers()];
        for (int r = 0; r < h.size(); r++) {
            counts[h.user(r)]++;
        }
        int[][] items = new int[h.numUsers()][];
        for (int u = 0; u < items.length; u++) {
            items[u] = new int[counts[u]];
        }
        int[] fill = new int[h.numUsers()];
        for (int r = 0; r < h.size(); r++) {
            int u = h.user(r);
            items[u][fill[u]++] = h.item(r);
        }
        for (int u = 0; u < items.length; u++) {
            items[u] = Arrays.stream(items[u]).sorted().distinct().toArray();
        }
        return items;
    }

    /** Draws items in proportion to their counts. */
    private static final class Sampler {
        private final int[] items;
        private final double[] cumulative;

        Sampler(long[] counts) {
            int m = 0;
            for (long c : counts) {
                if (c > 0) {
                    m++;
                }
            }
            items = new int[m];
            cumulative = new double[m];
            double acc = 0;
            int j = 0;
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    acc += counts[i];
                    items[j] = i;
                    cumulative[j++] = acc;
                }
            }
        }

        int draw(SplittableRandom random) {
            if (items.length == 0) {
                return -1;
            }
            double x = random.nextDouble() * cumulative[cumulative.length - 1];
            int at = Arrays.binarySearch(cumulative, x);
            return items[Math.min(items.length - 1, at >= 0 ? at + 1 : -at - 1)];
        }
    }

    /** What is known at a point of the time-ordered pass. */
    private static final class State {
        private final GeneratedHistory h;
        private final long[] itemCount;
        private final long[] itemLast;
        private final Map<Integer, Map<String, Double>> userCategories = new HashMap<>();
        private final Map<Integer, UserSummary> summaries = new HashMap<>();

        State(GeneratedHistory h) {
            this.h = h;
            this.itemCount = new long[h.numItems()];
            this.itemLast = new long[h.numItems()];
            Arrays.fill(itemLast, Long.MIN_VALUE);
        }

        HashedFeatures features(RankingFeatures rf, int row, int item) {
            int u = h.user(row);
            String[] parts = h.contextParts(row);
            RankingFeatures.Builder b = rf.builder()
                    .user(summary(u))
                    .item(h.itemId(item), h.categoryOf(item))
                    .contextPopularity(itemCount[item])
                    .context(parts[0], parts[1], parts[2]);
            if (itemLast[item] != Long.MIN_VALUE) {
                b.recencyHours(Math.max(0, h.ts(row) - itemLast[item]) / 3_600_000.0);
            }
            return b.build();
        }

        void observe(int row) {
            int item = h.item(row);
            itemCount[item]++;
            itemLast[item] = Math.max(itemLast[item], h.ts(row));
            String category = h.categoryOf(item);
            if (category != null) {
                int u = h.user(row);
                userCategories.computeIfAbsent(u, x -> new HashMap<>())
                        .merge(category, (double) h.value(row), Double::sum);
                summaries.remove(u);
            }
        }

        private UserSummary summary(int u) {
            UserSummary s = summaries.get(u);
            if (s == null) {
                s = summarise(h.segmentOf(u), userCategories.get(u));
                summaries.put(u, s);
            }
            return s;
        }

        private static UserSummary summarise(String segment, Map<String, Double> categories) {
            if (categories == null || categories.isEmpty()) {
                return new UserSummary(segment, new String[0], new double[0]);
            }
            String[] names = categories.keySet().toArray(new String[0]);
            Arrays.sort(names, (a, b) -> {
                int byWeight = Double.compare(categories.get(b), categories.get(a));
                return byWeight != 0 ? byWeight : a.compareTo(b);
            });
            double total = 0;
            for (String name : names) {
                total += categories.get(name);
            }
            double[] shares = new double[names.length];
            for (int k = 0; k < names.length; k++) {
                shares[k] = total > 0 ? categories.get(names[k]) / total : 0;
            }
            return new UserSummary(segment, names, shares);
        }
    }
}
