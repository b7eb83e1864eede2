package io.desire.features.ranking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds up scores per item (remembering the first category given for each) and returns the best
 * items in a stable order: score descending, then item id ascending. Plain and not thread-safe; one
 * per computation.
 */
public final class ScoreTally {
    private final Map<String, double[]> scores = new HashMap<>();
    private final Map<String, String> categories = new HashMap<>();

    /** Adds {@code score} to {@code item}; a non-null {@code category} is kept if none is known yet. */
    public void add(String item, double score, String category) {
        scores.computeIfAbsent(item, k -> new double[1])[0] += score;
        if (category != null) {
            categories.putIfAbsent(item, category);
        }
    }

    /** The best ones. */
    public record Top(String[] items, double[] scores, String[] categories) {}

    /** The best {@code n} items, best first. */
    public Top top(int n) {
        List<Map.Entry<String, double[]>> ranked = new ArrayList<>(scores.entrySet());
        ranked.sort((a, b) -> {
            int c = Double.compare(b.getValue()[0], a.getValue()[0]);
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        int m = Math.min(n, ranked.size());
        String[] items = new String[m];
        double[] s = new double[m];
        String[] cats = new String[m];
        for (int i = 0; i < m; i++) {
            items[i] = ranked.get(i).getKey();
            s[i] = ranked.get(i).getValue()[0];
            cats[i] = categories.get(items[i]);
        }
        return new Top(items, s, cats);
    }
}
