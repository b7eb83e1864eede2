package io.desire.operators.als;

import java.util.Arrays;

/**
 * What {@link UserFactors} keeps per user, in one value so an event costs one state read and one
 * write: the user's factor vector and their most recent interactions, least recently touched first.
 * {@code values[j]} is the interaction's evidence: the summed event weight on {@code items[j]}
 * (implicit mode) or its latest rating (explicit mode). Arrays are always exactly {@code
 * items.length} long, never hold nulls and never exceed the configured bound. A Flink POJO of
 * primitive and string arrays.
 */
public class UserFactorState {
    public double[] factors;
    public String[] items = new String[0];
    public double[] values = new double[0];
    /** Largest event time learned from. */
    public long eventTime = Long.MIN_VALUE;

    public UserFactorState() {}

    /** Number of remembered interactions. */
    public int size() {
        return items.length;
    }

    /** Position of {@code itemId}, or -1. */
    public int indexOf(String itemId) {
        for (int j = 0; j < items.length; j++) {
            if (items[j].equals(itemId)) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Records an interaction and moves it to the most recent position: adds {@code value} to the
     * item's evidence ({@code accumulate}) or replaces it, and drops the least recently touched
     * interaction when more than {@code max} would be kept. Returns the item's new evidence.
     */
    public double touch(String itemId, double value, boolean accumulate, int max) {
        int at = indexOf(itemId);
        double updated = at >= 0 && accumulate ? values[at] + value : value;
        int n = items.length;
        String[] newItems;
        double[] newValues;
        if (at >= 0) {
            newItems = new String[n];
            newValues = new double[n];
            System.arraycopy(items, 0, newItems, 0, at);
            System.arraycopy(values, 0, newValues, 0, at);
            System.arraycopy(items, at + 1, newItems, at, n - at - 1);
            System.arraycopy(values, at + 1, newValues, at, n - at - 1);
        } else {
            int keep = Math.min(n, max - 1);
            newItems = new String[keep + 1];
            newValues = new double[keep + 1];
            System.arraycopy(items, n - keep, newItems, 0, keep);
            System.arraycopy(values, n - keep, newValues, 0, keep);
        }
        newItems[newItems.length - 1] = itemId;
        newValues[newValues.length - 1] = updated;
        items = newItems;
        values = newValues;
        return updated;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof UserFactorState)) {
            return false;
        }
        UserFactorState s = (UserFactorState) o;
        return eventTime == s.eventTime
                && Arrays.equals(factors, s.factors)
                && Arrays.equals(items, s.items)
                && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items);
    }

    @Override
    public String toString() {
        return "UserFactorState{" + Arrays.toString(items) + ' ' + Arrays.toString(values) + " x="
                + Arrays.toString(factors) + '}';
    }
}
