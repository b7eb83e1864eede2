package io.desire.operators.ranker;

import java.util.Arrays;

/**
 * The buckets a learner changed since its last delta: each bucket once, in O(1) per mark, with the
 * list growing as needed and cleared in O(marked). Shared by {@link FtrlLearner} and {@link FmLearner}.
 * Not thread-safe.
 */
final class TouchedBuckets {
    private final boolean[] marked;
    private int[] list = new int[1024];
    private int count;

    TouchedBuckets(int dimension) {
        this.marked = new boolean[dimension];
    }

    /** Notes that bucket {@code i} changed. */
    void mark(int i) {
        if (!marked[i]) {
            marked[i] = true;
            if (count == list.length) {
                list = Arrays.copyOf(list, count * 2);
            }
            list[count++] = i;
        }
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The buckets marked since the last {@link #clear}, ascending. */
    int[] sorted() {
        int[] out = Arrays.copyOf(list, count);
        Arrays.sort(out);
        return out;
    }

    void clear() {
        for (int j = 0; j < count; j++) {
            marked[list[j]] = false;
        }
        count = 0;
    }
}
