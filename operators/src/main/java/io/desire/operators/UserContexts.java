package io.desire.operators;

import io.desire.features.event.ContextAttributes;
import java.util.Arrays;

/**
 * The contexts a user has documents in, which of them await a refresh, and the user's pending timers.
 * Kept by {@link io.desire.operators.serving.UserRecommender}; a Flink POJO of parallel arrays.
 *
 * <p>Per context it keeps the event time of the last emitted document, so a document's
 * {@code eventTime} (its version) never goes backwards even when older events arrive late, and the
 * largest event time awaiting emission ({@link #NONE} when the context is clean), and the custom
 * context attributes of the newest event seen in it ({@link ContextAttributes#encode encoded}; null
 * for none), which the document's ranking uses. State written before attributes were kept restores
 * with none: {@link #attributesAt} treats a missing entry as "no attributes".
 */
public class UserContexts extends CoalescedState {
    /** Marks "no value": no pending event time, no emitted document, no timer. */
    public static final long NONE = Long.MIN_VALUE;

    public String[] keys = new String[0];
    /** Event time of the last document emitted per context, or {@link #NONE}. */
    public long[] emittedEventTime = new long[0];
    /** Largest event time awaiting emission per context, or {@link #NONE} when clean. */
    public long[] pendingEventTime = new long[0];
    /** The newest event's custom context attributes per context, {@link ContextAttributes#encode encoded}; null for none. */
    public String[] attributes = new String[0];

    public UserContexts() {}

    public int size() {
        return keys.length;
    }

    public int indexOf(String key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    public boolean contains(String key) {
        return indexOf(key) >= 0;
    }

    public boolean isPending(int i) {
        return pendingEventTime[i] != NONE;
    }

    /**
     * Marks {@code key} as awaiting emission, remembering the largest event time. A new context beyond
     * {@code maxContexts} evicts the least recently emitted clean context (or, if all are pending, the
     * one with the oldest event time); its document is simply no longer refreshed.
     */
    public void markPending(String key, long eventTime, int maxContexts) {
        markPending(key, eventTime, maxContexts, null, false);
    }

    /**
     * As {@link #markPending(String, long, int)}, for an event carrying {@code encodedAttributes}
     * ({@link ContextAttributes#encode}): they become the context's attributes unless an event newer
     * than this one was seen in it.
     */
    public void markPending(String key, long eventTime, int maxContexts, String encodedAttributes) {
        markPending(key, eventTime, maxContexts, encodedAttributes, true);
    }

    private void markPending(String key, long eventTime, int maxContexts, String encodedAttributes, boolean event) {
        alignAttributes();
        int i = indexOf(key);
        if (i < 0) {
            if (keys.length >= maxContexts) {
                removeAt(evictionCandidate());
            }
            int n = keys.length;
            keys = Arrays.copyOf(keys, n + 1);
            emittedEventTime = Arrays.copyOf(emittedEventTime, n + 1);
            pendingEventTime = Arrays.copyOf(pendingEventTime, n + 1);
            attributes = Arrays.copyOf(attributes, n + 1);
            keys[n] = key;
            emittedEventTime[n] = NONE;
            pendingEventTime[n] = eventTime;
            attributes[n] = encodedAttributes;
            return;
        }
        if (event && eventTime >= Math.max(pendingEventTime[i], emittedEventTime[i])) {
            attributes[i] = encodedAttributes;
        }
        pendingEventTime[i] = Math.max(pendingEventTime[i], eventTime);
    }

    /** {@code {keys, values}} of context {@code i}'s attributes; {@code {null, null}} for none. */
    public String[][] attributesAt(int i) {
        return ContextAttributes.decode(attributes != null && i < attributes.length ? attributes[i] : null);
    }

    /** State restored from before attributes were kept has fewer (or no) entries: none for those contexts. */
    private void alignAttributes() {
        if (attributes == null || attributes.length != keys.length) {
            attributes = attributes == null ? new String[keys.length] : Arrays.copyOf(attributes, keys.length);
        }
    }

    /**
     * Marks context {@code i} emitted and returns the event time its document reflects: the largest
     * of the pending and the previously emitted event time.
     */
    public long markEmitted(int i) {
        long v = Math.max(pendingEventTime[i], emittedEventTime[i]);
        emittedEventTime[i] = v;
        pendingEventTime[i] = NONE;
        return v;
    }

    private int evictionCandidate() {
        int best = -1;
        for (int i = 0; i < keys.length; i++) {
            if (!isPending(i) && (best < 0 || emittedEventTime[i] < emittedEventTime[best])) {
                best = i;
            }
        }
        if (best >= 0) {
            return best;
        }
        best = 0;
        for (int i = 1; i < keys.length; i++) {
            if (pendingEventTime[i] < pendingEventTime[best]) {
                best = i;
            }
        }
        return best;
    }

    private void removeAt(int i) {
        alignAttributes();
        int last = keys.length - 1;
        keys[i] = keys[last];
        emittedEventTime[i] = emittedEventTime[last];
        pendingEventTime[i] = pendingEventTime[last];
        attributes[i] = attributes[last];
        keys = Arrays.copyOf(keys, last);
        emittedEventTime = Arrays.copyOf(emittedEventTime, last);
        pendingEventTime = Arrays.copyOf(pendingEventTime, last);
        attributes = Arrays.copyOf(attributes, last);
    }
}
