package io.desire.operators;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mutable form of {@link PaneUsers}: each user's distinct items in one pane, in arrival order, at most
 * {@code maxPerUser} of them (later ones are not kept).
 */
final class PaneUserItems {
    private final int maxPerUser;
    private final Map<String, List<String>> byUser = new LinkedHashMap<>();

    PaneUserItems(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    /** Records that {@code user} touched {@code item}, unless already recorded or the user is full. */
    void add(String user, String item) {
        List<String> items = byUser.computeIfAbsent(user, u -> new ArrayList<>(2));
        if (items.size() < maxPerUser && !items.contains(item)) {
            items.add(item);
        }
    }

    /** Adds every (user, item) of {@code stored}, in its order. */
    void addAll(PaneUsers stored) {
        int from = 0;
        for (int u = 0; u < stored.users.length; u++) {
            for (int i = from; i < stored.itemEnds[u]; i++) {
                add(stored.users[u], stored.items[i]);
            }
            from = stored.itemEnds[u];
        }
    }

    /** Adds every (user, item) of {@code other}, in its order. */
    void addAll(PaneUserItems other) {
        other.byUser.forEach((user, items) -> items.forEach(item -> add(user, item)));
    }

    PaneUsers toPaneUsers() {
        PaneUsers p = new PaneUsers();
        p.users = byUser.keySet().toArray(new String[0]);
        p.itemEnds = new int[p.users.length];
        List<String> all = new ArrayList<>();
        int u = 0;
        for (List<String> items : byUser.values()) {
            all.addAll(items);
            p.itemEnds[u++] = all.size();
        }
        p.items = all.toArray(new String[0]);
        return p;
    }
}
