package io.desire.eval;

import io.desire.features.ftrl.FeatureHasher;
import io.desire.features.ftrl.HashedFeatures;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A generated click data set with a planted context × item interaction that no model linear in the
 * features can express, laid out as context-aware recommendation benchmarks are (Frappe, the
 * FM/NFM/AFM papers): every positive comes with {@value #NEGATIVES} sampled negatives in the same
 * context, and the sessions are split 7:2:1 into train, validation and test in the order generated.
 *
 * <p><b>The world.</b> {@code users} users, {@code items} items in two groups of equal size (item i
 * is in group {@code i mod 2}) with a popularity that falls off with the item's rank in its group
 * (weight 1/(1 + rank/10), identical in both groups), a context attribute {@code daytime} with
 * {@value #DAYTIMES} values, of which the even ones have sign +1 and the odd ones −1, and a context
 * attribute {@code weather} with {@value #WEATHERS} values that has no effect. A session draws user,
 * daytime and weather uniformly; the positive item comes, with probability {@code strength}, from the
 * group whose sign matches the daytime's (group 0 ↔ +1), otherwise from either group; within a group,
 * by popularity. Negatives are items drawn uniformly, never the positive.
 *
 * <p><b>Why a linear model cannot express it:</b> every daytime and weather value has exactly one
 * positive per {@value #NEGATIVES} negatives, and each group is chosen as often as the other over the
 * daytimes, so the main effects of context and group cancel; what separates positives is the sign
 * product daytime × group, a pairwise interaction. A linear model learns only item popularity.
 *
 * <p>Features, one-hot over the hashed space: bias, user, item, item group, daytime, weather.
 * Deterministic for a seed.
 */
final class PlantedInteractions {
    static final int NEGATIVES = 2;
    static final int DAYTIMES = 4;
    static final int WEATHERS = 3;
    /** Default probability that the positive follows the planted interaction. */
    static final double DEFAULT_STRENGTH = 0.8;

    static final byte TRAIN = RankerExamples.TRAIN;
    static final byte VALIDATION = RankerExamples.VALIDATION;
    static final byte TEST = RankerExamples.TEST;

    final int users;
    final int items;
    final HashedFeatures[] features;
    final boolean[] label;
    final byte[] part;

    private PlantedInteractions(int users, int items, HashedFeatures[] features, boolean[] label, byte[] part) {
        this.users = users;
        this.items = items;
        this.features = features;
        this.label = label;
        this.part = part;
    }

    /**
     * About {@code examples} examples (a whole number of sessions of 1 + {@value #NEGATIVES}), with
     * users = max(50, examples / 300) and items = max(40, examples / 1000) rounded up to even.
     */
    static PlantedInteractions generate(int examples, double strength, FeatureHasher hasher, long seed) {
        if (examples < 3 * (1 + NEGATIVES)) {
            throw new IllegalArgumentException("need at least " + 3 * (1 + NEGATIVES) + " examples, got " + examples);
        }
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in [0, 1], got " + strength);
        }
        int users = Math.max(50, examples / 300);
        int items = Math.max(40, examples / 1000);
        items += items % 2;
        int sessions = examples / (1 + NEGATIVES);
        double[] cumulative = popularity(items / 2);
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = sessions * (1 + NEGATIVES);
        HashedFeatures[] features = new HashedFeatures[n];
        boolean[] label = new boolean[n];
        byte[] part = new byte[n];
        int x = 0;
        for (int s = 0; s < sessions; s++) {
            byte p = s < 0.7 * sessions ? TRAIN : s < 0.9 * sessions ? VALIDATION : TEST;
            int user = rnd.nextInt(users);
            int daytime = rnd.nextInt(DAYTIMES);
            int weather = rnd.nextInt(WEATHERS);
            int group = rnd.nextDouble() < strength ? daytime % 2 : rnd.nextInt(2);
            int positive = 2 * rank(cumulative, rnd.nextDouble()) + group;
            int slot = rnd.nextInt(1 + NEGATIVES); // where in the session the positive comes
            for (int j = 0; j <= NEGATIVES; j++) {
                int item;
                if (j == slot) {
                    item = positive;
                } else {
                    do {
                        item = rnd.nextInt(items);
                    } while (item == positive);
                }
                features[x] = features(hasher, user, item, daytime, weather);
                label[x] = j == slot;
                part[x] = p;
                x++;
            }
        }
        return new PlantedInteractions(users, items, features, label, part);
    }

    private static double[] popularity(int perGroup) {
        double[] c = new double[perGroup];
        double sum = 0;
        for (int r = 0; r < perGroup; r++) {
            sum += 1.0 / (1.0 + r / 10.0);
            c[r] = sum;
        }
        for (int r = 0; r < perGroup; r++) {
            c[r] /= sum;
        }
        return c;
    }

    private static int rank(double[] cumulative, double u) {
        int r = Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, r >= 0 ? r : -r - 1);
    }

    private static HashedFeatures features(FeatureHasher h, int user, int item, int daytime, int weather) {
        int[] buckets = {
            h.bucket("bias"), h.bucket("user", "u" + user), h.bucket("item", "i" + item),
            h.bucket("group", "g" + (item % 2)), h.bucket("daytime", "d" + daytime), h.bucket("weather", "w" + weather)
        };
        Arrays.sort(buckets);
        int[] idx = new int[buckets.length];
        double[] val = new double[buckets.length];
        int k = -1;
        for (int b : buckets) {
            if (k >= 0 && idx[k] == b) {
                val[k] += 1.0; // a hash collision: values add up, as in RankingFeatures
            } else {
                idx[++k] = b;
                val[k] = 1.0;
            }
        }
        return new HashedFeatures(Arrays.copyOf(idx, k + 1), Arrays.copyOf(val, k + 1));
    }

    int size() {
        return label.length;
    }

    /** Indices of the examples in part {@code p}, in generated order. */
    int[] indices(byte p) {
        int[] out = new int[part.length];
        int n = 0;
        for (int x = 0; x < part.length; x++) {
            if (part[x] == p) {
                out[n++] = x;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
