package io.desire.features.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A two-way mapping between external string ids and dense indices {@code 0..size()-1}, assigned in
 * the order ids are first added. Indices never change once assigned, so arrays indexed by them stay
 * valid as the dictionary grows. Not thread-safe for writers; safe to read concurrently once no one
 * adds.
 */
public final class IdDictionary {

    private final Map<String, Integer> indexById;
    private final List<String> ids;

    public IdDictionary() {
        this(16);
    }

    public IdDictionary(int expectedSize) {
        this.indexById = new HashMap<>(Math.max(16, expectedSize * 4 / 3 + 1));
        this.ids = new ArrayList<>(Math.max(16, expectedSize));
    }

    /** Returns the index of {@code id}, assigning the next free one if it is new. */
    public int indexOrAdd(String id) {
        if (id == null) {
            throw new IllegalArgumentException("id must not be null");
        }
        Integer existing = indexById.get(id);
        if (existing != null) {
            return existing;
        }
        int index = ids.size();
        ids.add(id);
        indexById.put(id, index);
        return index;
    }

    /** Returns the index of {@code id}, or -1 if it was never added. */
    public int indexOf(String id) {
        Integer index = indexById.get(id);
        return index == null ? -1 : index;
    }

    /** Returns the id at {@code index}; throws if the index was never assigned. */
    public String idOf(int index) {
        return ids.get(index);
    }

    public int size() {
        return ids.size();
    }

    /** All ids in index order, as an unmodifiable view. */
    public List<String> ids() {
        return Collections.unmodifiableList(ids);
    }
}
