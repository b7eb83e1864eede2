package io.desire.features.profile;

import java.util.Arrays;

/**
 * Exponentially time-decayed scores for at most N keys, stored as parallel arrays so Flink serialises
 * them as a POJO (no Kryo, no maps).
 *
 * <p>All values are expressed as of one instant {@link #asOf}. Adding weight {@code w} for a key at
 * time {@code t ≥ asOf} first decays every value to {@code t} and then adds {@code w}:
 * {@code value(t) = value(asOf)·2^(−(t−asOf)/halfLife) + w}. An out-of-order addition ({@code t <
 * asOf}) adds {@code w·2^(−(asOf−t)/halfLife)}, which is what it would be worth by now, so the result
 * does not depend on arrival order (up to floating-point rounding).
 *
 * <p>Bounded: when a new key would make the size exceed {@link DecayPolicy#maxEntries()}, the entry
 * with the smallest value is evicted (it may be the new one); among equal values the key that sorts
 * last ({@link String#compareTo}) goes, so eviction is deterministic. Entries that decay below
 * {@link #NEGLIGIBLE} are dropped when values are decayed. Arrays are in no particular order.
 *
 * <p>An optional parallel array {@link #labels} carries one string per key (e.g. an item's category);
 * it is {@code null} until a label is first given.
 */
public class DecayedScores {
    /** Values below this are dropped when the set is decayed: they no longer influence any ranking. */
    public static final double NEGLIGIBLE = 1e-9;

    private static final String[] NO_KEYS = new String[0];
    private static final double[] NO_VALUES = new double[0];

    public String[] keys = NO_KEYS;
    public double[] values = NO_VALUES;
    /** One label per key, or {@code null} when no key ever had a label. */
    public String[] labels;
    /** Instant (epoch ms) all values are expressed at; {@link Long#MIN_VALUE} while empty and never used. */
    public long asOf = Long.MIN_VALUE;

    public DecayedScores() {}

    public int size() {
        return keys.length;
    }

    public boolean isEmpty() {
        return keys.length == 0;
    }

    /** Index of {@code key}, or −1. */
    public int indexOf(String key) {
        String[] k = keys;
        for (int i = 0; i < k.length; i++) {
            if (k[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of {@code key} as of {@link #asOf}, 0 when absent. */
    public double valueAsOf(String key) {
        int i = indexOf(key);
        return i < 0 ? 0.0 : values[i];
    }

    /** The value of {@code key} decayed to time {@code t}; for {@code t ≤ asOf} the value as of {@link #asOf}. */
    public double valueAt(String key, long t, DecayPolicy policy) {
        int i = indexOf(key);
        if (i < 0) {
            return 0.0;
        }
        return values[i] * policy.factor(t - asOf);
    }

    /** The label of entry {@code i}, or {@code null}. */
    public String labelAt(int i) {
        return labels == null ? null : labels[i];
    }

    /** Largest value as of {@link #asOf}, 0 when empty. */
    public double max() {
        double m = 0.0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Sum of values as of {@link #asOf}, 0 when empty. */
    public double sum() {
        double s = 0.0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    /**
     * Adds {@code weight} (≥ 0) to {@code key} at time {@code t}.
     *
     * @param label replaces the key's label when non-null
     */
    public void add(String key, double weight, String label, long t, DecayPolicy policy) {
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and ≥ 0, got " + weight);
        }
        double contribution = weight;
        if (asOf == Long.MIN_VALUE) {
            asOf = t;
        } else if (t > asOf) {
            decayTo(t, policy);
        } else if (t < asOf) {
            contribution = weight * policy.factor(asOf - t);
        }
        int i = indexOf(key);
        if (i >= 0) {
            values[i] += contribution;
            if (label != null) {
                setLabel(i, label);
            }
            return;
        }
        if (contribution < NEGLIGIBLE) {
            return;
        }
        int n = keys.length;
        keys = Arrays.copyOf(keys, n + 1);
        values = Arrays.copyOf(values, n + 1);
        keys[n] = key;
        values[n] = contribution;
        if (labels != null) {
            labels = Arrays.copyOf(labels, n + 1);
        }
        if (label != null) {
            setLabel(n, label);
        }
        if (keys.length > policy.maxEntries()) {
            removeAt(weakest());
        }
    }

    /** Decays every value to time {@code t} (no-op for {@code t ≤ asOf}) and drops negligible entries. */
    public void decayTo(long t, DecayPolicy policy) {
        if (asOf == Long.MIN_VALUE || t <= asOf) {
            return;
        }
        double f = policy.factor(t - asOf);
        asOf = t;
        int dropped = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] *= f;
            if (values[i] < NEGLIGIBLE) {
                dropped++;
            }
        }
        if (dropped > 0) {
            compactNegligible(dropped);
        }
    }

    /** Removes {@code key}; returns whether it was present. */
    public boolean remove(String key) {
        int i = indexOf(key);
        if (i < 0) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Index of the entry eviction removes first: smallest value, then the key that sorts last. */
    int weakest() {
        int w = 0;
        for (int i = 1; i < values.length; i++) {
            int c = Double.compare(values[i], values[w]);
            if (c < 0 || (c == 0 && keys[i].compareTo(keys[w]) > 0)) {
                w = i;
            }
        }
        return w;
    }

    private void setLabel(int i, String label) {
        if (labels == null) {
            labels = new String[keys.length];
        }
        labels[i] = label;
    }

    private void removeAt(int i) {
        int last = keys.length - 1;
        keys[i] = keys[last];
        values[i] = values[last];
        keys = Arrays.copyOf(keys, last);
        values = Arrays.copyOf(values, last);
        if (labels != null) {
            labels[i] = labels[last];
            labels = Arrays.copyOf(labels, last);
        }
    }

    private void compactNegligible(int dropped) {
        int n = keys.length - dropped;
        String[] k = new String[n];
        double[] v = new double[n];
        String[] l = labels == null ? null : new String[n];
        int j = 0;
        for (int i = 0; i < keys.length; i++) {
            if (values[i] >= NEGLIGIBLE) {
                k[j] = keys[i];
                v[j] = values[i];
                if (l != null) {
                    l[j] = labels[i];
                }
                j++;
            }
        }
        keys = k;
        values = v;
        labels = l;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DecayedScores{asOf=").append(asOf);
        for (int i = 0; i < keys.length; i++) {
            sb.append(", ").append(keys[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }
}
