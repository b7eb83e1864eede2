package io.desire.features.serving;

import java.util.Arrays;

/**
 * The items a user has consumed (by the event types of an {@link ExclusionRule}), as a sorted set of
 * 64-bit hashes of their ids: what the serving path never recommends again. A Flink POJO of one
 * primitive array, so it serialises without Kryo in one bulk copy, 8 bytes per item.
 *
 * <p>Membership is exact up to 64-bit hash collisions (about 10⁻¹¹ for a user with 10⁴ items in a
 * catalogue of 10⁶). Bounded by the {@code max} given to {@link #add}: beyond it the set stops
 * growing (a user with more consumed items than that is rare, and the items they consumed first are
 * the ones the models have least reason to propose again).
 */
public class ConsumedItems {
    /** Default bound on the items remembered per user. */
    public static final int DEFAULT_MAX = 10_000;

    /** Sorted ascending, without duplicates. */
    public long[] hashes = new long[0];

    public ConsumedItems() {}

    /** How many items are remembered. */
    public int size() {
        return hashes.length;
    }

    /** Whether {@code itemId} was consumed; false for null. */
    public boolean contains(String itemId) {
        return itemId != null && containsHash(hash(itemId));
    }

    /** Whether an item of this {@link #hash} was consumed. */
    public boolean containsHash(long h) {
        return Arrays.binarySearch(hashes, h) >= 0;
    }

    /**
     * Remembers {@code itemId} unless it is known already or the set holds {@code max} items.
     *
     * @return whether the set changed
     */
    public boolean add(String itemId, int max) {
        if (itemId == null || hashes.length >= max) {
            return false;
        }
        long h = hash(itemId);
        int at = Arrays.binarySearch(hashes, h);
        if (at >= 0) {
            return false;
        }
        int insert = -at - 1;
        long[] grown = new long[hashes.length + 1];
        System.arraycopy(hashes, 0, grown, 0, insert);
        grown[insert] = h;
        System.arraycopy(hashes, insert, grown, insert + 1, hashes.length - insert);
        hashes = grown;
        return true;
    }

    /** 64-bit FNV-1a over the id's UTF-16 code units, then a final avalanche (MurmurHash3 fmix64). */
    public static long hash(String itemId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < itemId.length(); i++) {
            h ^= itemId.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsumedItems c && Arrays.equals(hashes, c.hashes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hashes);
    }

    @Override
    public String toString() {
        return "ConsumedItems{" + hashes.length + " items}";
    }
}
