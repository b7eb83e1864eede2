package io.desire.operators;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mutable per-item totals of one pane (or one window): adds weights, keeps the latest non-null
 * category, and converts to and from {@link PaneTotals}. Iteration follows first arrival, so the
 * result does not depend on hash order.
 */
final class PaneSums {
    /** Total and latest category of one item. */
    static final class ItemSum {
        double weight;
        String category;
    }

    private final Map<String, ItemSum> items = new LinkedHashMap<>();

    /**
     * Adds {@code weight} to {@code item}; a non-null {@code category} replaces the one known.
     * Returns whether the item was new here.
     */
    boolean add(String item, double weight, String category) {
        ItemSum s = items.get(item);
        boolean added = s == null;
        if (added) {
            s = new ItemSum();
            items.put(item, s);
        }
        s.weight += weight;
        if (category != null) {
            s.category = category;
        }
        return added;
    }

    /** Adds every item of {@code totals}, in its order. */
    void addAll(PaneTotals totals) {
        for (int i = 0; i < totals.items.length; i++) {
            add(totals.items[i], totals.weights[i], totals.categories[i]);
        }
    }

    /** Adds every item of {@code other}, in its order. */
    void addAll(PaneSums other) {
        for (Map.Entry<String, ItemSum> e : other.items.entrySet()) {
            add(e.getKey(), e.getValue().weight, e.getValue().category);
        }
    }

    Map<String, ItemSum> items() {
        return items;
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    PaneTotals toTotals() {
        PaneTotals t = new PaneTotals();
        int n = items.size();
        t.items = new String[n];
        t.weights = new double[n];
        t.categories = new String[n];
        int i = 0;
        for (Map.Entry<String, ItemSum> e : items.entrySet()) {
            t.items[i] = e.getKey();
            t.weights[i] = e.getValue().weight;
            t.categories[i] = e.getValue().category;
            i++;
        }
        return t;
    }
}
