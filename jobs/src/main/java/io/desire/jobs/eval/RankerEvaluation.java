package io.desire.jobs.eval;

import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.HashedFeatures;
import io.desire.features.ftrl.RankingFeatures;
import io.desire.features.ftrl.UserSummary;
import io.desire.features.metrics.ClassificationMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the FTRL ranker ({@link FtrlModel}, features from {@link RankingFeatures}) on labelled
 * examples built from history and measures AUC and log-loss on test examples built the same way.
 *
 * <p>Examples: every interaction with positive evidence is a positive in its own context; for each,
 * {@code negatives} items the user never interacted with (in the whole input) are drawn in
 * proportion to their training popularity and labelled 0 in the same context — "shown, popular, not
 * chosen", the fallback the issue prescribes when a data set has no impressions. Features are
 * computed from what was known just before the event (the user's category taste so far, the item's
 * interactions and last interaction so far), in one time-ordered pass over training and test rows
 * together. The models learn from the training examples only (one online pass, as in production) and
 * score every test example once trained.
 *
 * <p>Two models see identical examples: one with the context features and crosses (geo cell, time
 * bucket, device × item and category, segment × context × category) and one without, so the AUC
 * difference is what context adds. Both use the item's global popularity so far as the popularity
 * signal, keeping the context-free model free of context.
 */
final class RankerEvaluation {

    /** AUC and log-loss of one ranker variant. */
    record Result(String name, boolean context, double auc, double logLoss, long trainExamples, long testExamples) {}

    private final FtrlParams params;
    private final int negatives;
    private final long seed;

    RankerEvaluation(FtrlParams params, int negatives, long seed) {
        if (negatives < 1) {
            throw new IllegalArgumentException("negatives must be ≥ 1, got " + negatives);
        }
        this.params = params;
        this.negatives = negatives;
        this.seed = seed;
    }

    /** Returns {@code [with context, without context]}. */
    Result[] run(History h, int[] trainRows, int[] testRows) {
        FeatureHasher hasher = FeatureHasher.forParams(params);
        RankingFeatures withContext = new RankingFeatures(hasher, true, RankingFeatures.DEFAULT_TOP_CATEGORIES);
        RankingFeatures withoutContext = new RankingFeatures(hasher, false, RankingFeatures.DEFAULT_TOP_CATEGORIES);
        FtrlModel contextModel = new FtrlModel(params);
        FtrlModel plainModel = new FtrlModel(params);
        UserItems consumed = UserItems.of(h, History.concat(trainRows, testRows), null);
        Sampler sampler = new Sampler(PopularityRecommender.counts(h, trainRows));
        SplittableRandom random = new SplittableRandom(seed);
        State state = new State(h);

        // One pass in time order over training and test rows together, so every example's features
        // are what was known just before its event, whichever part it is in. Training examples teach
        // at once; test examples are kept and scored by the final models after the pass.
        boolean[] isTest = new boolean[h.size()];
        for (int r : testRows) {
            isTest[r] = true;
        }
        long trainExamples = 0;
        List<HashedFeatures> testContext = new ArrayList<>();
        List<HashedFeatures> testPlain = new ArrayList<>();
        List<Boolean> testLabels = new ArrayList<>();
        for (int r : h.byTime(History.concat(trainRows, testRows))) {
            if (!(h.value(r) > 0)) {
                continue;
            }
            for (Example e : examples(h, r, consumed, sampler, random)) {
                HashedFeatures fc = state.features(withContext, r, e.item);
                HashedFeatures fp = state.features(withoutContext, r, e.item);
                if (isTest[r]) {
                    testContext.add(fc);
                    testPlain.add(fp);
                    testLabels.add(e.label == 1);
                } else {
                    contextModel.update(fc, e.label);
                    plainModel.update(fp, e.label);
                    trainExamples++;
                }
            }
            state.observe(r);
        }
        int n = testLabels.size();
        double[] pContext = new double[n];
        double[] pPlain = new double[n];
        boolean[] labels = new boolean[n];
        for (int x = 0; x < n; x++) {
            pContext[x] = contextModel.predict(testContext.get(x));
            pPlain[x] = plainModel.predict(testPlain.get(x));
            labels[x] = testLabels.get(x);
        }
        return new Result[] {
            new Result("ftrl-context", true, ClassificationMetrics.auc(pContext, labels),
                    ClassificationMetrics.logLoss(pContext, labels), trainExamples, n),
            new Result("ftrl-no-context", false, ClassificationMetrics.auc(pPlain, labels),
                    ClassificationMetrics.logLoss(pPlain, labels), trainExamples, n)
        };
    }

    private record Example(int item, int label) {}

    private Example[] examples(History h, int row, UserItems consumed, Sampler sampler, SplittableRandom random) {
        int u = h.user(row);
        Example[] out = new Example[1 + negatives];
        out[0] = new Example(h.item(row), 1);
        int n = 1;
        for (int k = 0; k < negatives; k++) {
            // A few draws per negative: a heavy user may have consumed most popular items.
            for (int attempt = 0; attempt < 20; attempt++) {
                int item = sampler.draw(random);
                if (item >= 0 && !consumed.contains(u, item)) {
                    out[n++] = new Example(item, 0);
                    break;
                }
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
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
                userCategories.computeIfAbsent(u, x -> new HashMap<>()).merge(category, (double) h.value(row), Double::sum);
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
