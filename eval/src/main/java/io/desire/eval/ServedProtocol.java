package io.desire.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scoring units of the served-quality protocol, defined once for the served documents and for
 * every offline model, so their rows are comparable.
 *
 * <p>A unit is a user and the context of some of their test events ({@link DocumentMatcher.Match#CONTEXT}:
 * one unit per distinct context key among the user's test events; {@link DocumentMatcher.Match#USER}:
 * one unit per user, context ignored). Its relevant items are the distinct items of those test events
 * with evidence ≥ {@code minRelevant} (for rating files: the rating) that the user did not consume in
 * training. Only users with training rows count, and only units with at least one relevant item.
 * Served lists are scored as read; offline models rank every training item minus the user's training
 * items, one list per user, scored against each of the user's units.
 */
final class ServedProtocol {

    /** A user in a context (null with {@link DocumentMatcher.Match#USER}), and the items relevant there. */
    record Unit(String user, String contextKey, Set<String> relevant) {}

    private ServedProtocol() {}

    /** Each user's distinct training items, by user id. */
    static Map<String, Set<String>> trainingItems(History h, int[] train) {
        Map<String, Set<String>> out = new HashMap<>();
        for (int r : train) {
            out.computeIfAbsent(h.userId(h.user(r)), u -> new HashSet<>()).add(h.itemId(h.item(r)));
        }
        return out;
    }

    /**
     * The units of the test rows; {@code contextKeys[j]} is the context key of {@code test[j]} as the
     * job computes it (null when the event has none).
     */
    static List<Unit> units(
            History h,
            Map<String, Set<String>> trainingItems,
            int[] test,
            String[] contextKeys,
            double minRelevant,
            DocumentMatcher.Match match) {
        if (contextKeys.length != test.length) {
            throw new IllegalArgumentException("one context key per test row expected");
        }
        Map<String, Map<String, Set<String>>> byUser = new TreeMap<>();
        for (int j = 0; j < test.length; j++) {
            int r = test[j];
            String user = h.userId(h.user(r));
            Set<String> trained = trainingItems.get(user);
            String item = h.itemId(h.item(r));
            if (trained == null || h.value(r) < minRelevant || trained.contains(item)) {
                continue;
            }
            String context = match == DocumentMatcher.Match.CONTEXT && contextKeys[j] != null ? contextKeys[j] : "";
            byUser.computeIfAbsent(user, u -> new TreeMap<>())
                    .computeIfAbsent(context, c -> new LinkedHashSet<>())
                    .add(item);
        }
        List<Unit> units = new ArrayList<>();
        byUser.forEach((user, contexts) -> contexts.forEach(
                (context, items) -> units.add(new Unit(user, context.isEmpty() ? null : context, Set.copyOf(items)))));
        units.sort(Comparator.comparing(Unit::user).thenComparing(u -> u.contextKey() == null ? "" : u.contextKey()));
        return units;
    }
}
