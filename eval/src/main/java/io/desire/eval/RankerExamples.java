package io.desire.eval;

import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.ftrl.UserSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Labelled ranker examples built from history, the one protocol shared by the evaluation and the
 * side-by-side benchmarks.
 *
 * <p>Every interaction with positive evidence is a positive in its own context; for each,
 * {@code negatives} items the user never interacted with (among the rows used) are drawn in
 * proportion to their popularity in the training and validation rows and labelled 0 in the same
 * context — "shown, popular, not chosen", the fallback for data without impressions. Features are
 * computed from what was known just before the event (the user's category taste so far, the item's
 * interactions and last interaction so far), in one time-ordered pass over all used rows, so an
 * example never sees its own future. Each example is built twice: with the context features and
 * crosses, and without them.
 */
public final class RankerExamples {

    public static final byte TRAIN = 0;
    public static final byte VALIDATION = 1;
    public static final byte TEST = 2;
    /** A row that takes no part: neither an example nor known history. */
    public static final byte UNUSED = -1;

    /** Which part each row of a history belongs to, and how the split was made. */
    public record Parts(byte[] rowPart, int[] rowsPerPart, String description) {}

    /** Part of each example: {@link #TRAIN}, {@link #VALIDATION} or {@link #TEST}. */
    public final byte[] part;

    public final boolean[] label;
    public final HashedFeatures[] withContext;
    public final HashedFeatures[] withoutContext;

    private RankerExamples(
            byte[] part, boolean[] label, HashedFeatures[] withContext, HashedFeatures[] withoutContext) {
        this.part = part;
        this.label = label;
        this.withContext = withContext;
        this.withoutContext = withoutContext;
    }

    public int size() {
        return label.length;
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

    /** The evaluation's chronological global time cut ({@link RowSplit#chronological}) as parts. */
    public static Parts chronological(History h, double validationFraction, double testFraction) {
        RowSplit split = RowSplit.chronological(h, validationFraction, testFraction);
        return of(h, split.train(), split.validation(), split.test(), split.description());
    }

    /** Train and test rows as given (e.g. by the evaluation's split); every other row is unused. */
    public static Parts of(History h, int[] trainRows, int[] testRows) {
        return of(h, trainRows, new int[0], testRows, "given rows");
    }

    private static Parts of(History h, int[] trainRows, int[] validationRows, int[] testRows, String description) {
        byte[] rowPart = new byte[h.size()];
        Arrays.fill(rowPart, UNUSED);
        for (int r : trainRows) {
            rowPart[r] = TRAIN;
        }
        for (int r : validationRows) {
            rowPart[r] = VALIDATION;
        }
        for (int r : testRows) {
            rowPart[r] = TEST;
        }
        return new Parts(rowPart, new int[] {trainRows.length, validationRows.length, testRows.length}, description);
    }

    /**
     * Builds the examples of every used row.
     *
     * @param context feature builder with context features
     * @param plain feature builder without context features (same hasher)
     */
    public static RankerExamples build(
            History h, Parts parts, int negatives, RankingFeatures context, RankingFeatures plain, long seed) {
        if (negatives < 1) {
            throw new IllegalArgumentException("negatives must be ≥ 1, got " + negatives);
        }
        byte[] rowPart = parts.rowPart();
        int[] used = java.util.stream.IntStream.range(0, h.size())
                .filter(r -> rowPart[r] != UNUSED)
                .toArray();
        UserItems consumed = UserItems.of(h, used, null);
        int[] known = java.util.stream.IntStream.of(used)
                .filter(r -> rowPart[r] != TEST)
                .toArray();
        Sampler sampler = new Sampler(PopularityRecommender.counts(h, known));
        SplittableRandom random = new SplittableRandom(seed);
        State state = new State(h);

        List<Byte> exampleParts = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        List<HashedFeatures> ctx = new ArrayList<>();
        List<HashedFeatures> noCtx = new ArrayList<>();
        int[] candidates = new int[1 + negatives];
        for (int r : h.byTime(used)) {
            if (!(h.value(r) > 0)) {
                continue; // no positive evidence (a poor rating): neither an example nor taste
            }
            int u = h.user(r);
            candidates[0] = h.item(r);
            int m = 1;
            for (int k = 0; k < negatives; k++) {
                // A few draws per negative: a heavy user may have consumed most popular items.
                for (int attempt = 0; attempt < 20; attempt++) {
                    int item = sampler.draw(random);
                    if (item >= 0 && !consumed.contains(u, item)) {
                        candidates[m++] = item;
                        break;
                    }
                }
            }
            for (int c = 0; c < m; c++) {
                exampleParts.add(rowPart[r]);
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
            part[x] = exampleParts.get(x);
            label[x] = labels.get(x);
        }
        return new RankerExamples(
                part, label, ctx.toArray(new HashedFeatures[0]), noCtx.toArray(new HashedFeatures[0]));
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
        private final History h;
        private final long[] itemCount;
        private final long[] itemLast;
        private final Map<Integer, Map<String, Double>> userCategories = new HashMap<>();
        private final Map<Integer, UserSummary> summaries = new HashMap<>();

        State(History h) {
            this.h = h;
            this.itemCount = new long[h.numItems()];
            this.itemLast = new long[h.numItems()];
            Arrays.fill(itemLast, Long.MIN_VALUE);
        }

        HashedFeatures features(RankingFeatures rf, int row, int item) {
            int u = h.user(row);
            RankingFeatures.Builder b = rf.builder()
                    .user(summary(u))
                    .item(h.items.idOf(item), h.categoryOf(item))
                    .contextPopularity(itemCount[item]);
            int c = h.context(row);
            if (c != History.NO_CONTEXT) {
                String[] parts = h.contextParts(c);
                b.context(parts[0], parts[1], parts[2]);
            }
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
                userCategories
                        .computeIfAbsent(u, x -> new HashMap<>())
                        .merge(category, (double) h.value(row), Double::sum);
                summaries.remove(u);
            }
        }

        private UserSummary summary(int u) {
            UserSummary s = summaries.get(u);
            if (s == null) {
                s = summarise(h.userSegment.get(u), userCategories.get(u));
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
            for (double v : categories.values()) {
                total += v;
            }
            double[] shares = new double[names.length];
            for (int k = 0; k < names.length; k++) {
                shares[k] = total > 0 ? categories.get(names[k]) / total : 0;
            }
            return new UserSummary(segment, names, shares);
        }
    }
}
