package io.desire.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether two profiles (as {@code EngineState} prints them) hold the same content. Two runs over the same
 * events may process one user's events in another order (they cross the item-keyed de-duplication
 * exchange), so parallel {@code keys}/{@code values} arrays may come in another order and decayed sums may
 * differ in their last bits. Compared: every field; {@code keys}/{@code values} pairs as maps; other arrays
 * as multisets; numbers to a relative {@value #TOLERANCE}. Fields named in {@code ignoring} (at any depth)
 * are left out: {@code recentItems} keeps the last events in the order they arrived, so another order
 * of arrival legitimately gives another window.
 */
final class ProfileComparison {
    static final double TOLERANCE = 1e-9;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProfileComparison() {}

    static boolean same(String a, String b, Set<String> ignoring) throws IOException {
        if (a == null || b == null) {
            return a == b;
        }
        return new ProfileComparison.Run(ignoring).same(JSON.readTree(a), JSON.readTree(b));
    }

    private record Run(Set<String> ignoring) {

        private boolean same(JsonNode a, JsonNode b) {
            if (a.isNumber() && b.isNumber()) {
                double x = a.asDouble();
                double y = b.asDouble();
                return x == y || Math.abs(x - y) <= TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
            }
            if (a.isObject() && b.isObject()) {
                if (a.has("keys") && a.has("values") && b.has("keys") && b.has("values")) {
                    return samePairs(a, b) && sameFields(a, b, true);
                }
                return sameFields(a, b, false);
            }
            if (a.isArray() && b.isArray()) {
                if (a.size() != b.size()) {
                    return false;
                }
                List<JsonNode> left = new ArrayList<>();
                b.forEach(left::add);
                outer:
                for (JsonNode x : a) {
                    for (Iterator<JsonNode> it = left.iterator(); it.hasNext(); ) {
                        if (same(x, it.next())) {
                            it.remove();
                            continue outer;
                        }
                    }
                    return false;
                }
                return true;
            }
            return a.equals(b);
        }

        private boolean sameFields(JsonNode a, JsonNode b, boolean skipPairs) {
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                if (!a.has(it.next())) {
                    return false;
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (skipPairs && (f.getKey().equals("keys") || f.getKey().equals("values"))
                        || ignoring.contains(f.getKey())) {
                    continue;
                }
                JsonNode other = b.get(f.getKey());
                if (other == null || !same(f.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }

        /** {@code keys[i] -> values[i]} of both, as maps. */
        private boolean samePairs(JsonNode a, JsonNode b) {
            Map<String, JsonNode> x = pairs(a);
            Map<String, JsonNode> y = pairs(b);
            if (x == null || y == null || !x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : x.entrySet()) {
                if (!same(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Map<String, JsonNode> pairs(JsonNode o) {
        JsonNode keys = o.get("keys");
        JsonNode values = o.get("values");
        if (!keys.isArray() || !values.isArray() || keys.size() != values.size()) {
            return null;
        }
        Map<String, JsonNode> m = new TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            m.put(keys.get(i).asText(), values.get(i));
        }
        return m;
    }
}
