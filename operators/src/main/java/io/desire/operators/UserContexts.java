package io.desire.operators;

import io.desire.features.event.ContextAttributes;
import io.desire.features.serving.ConsumedItems;
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
 *
 * <p>Per context it also keeps a {@link #fingerprint} of the last document written (its model version
 * and items in order) and the processing time it was written at, so that a flush which ranks the
 * same list again can leave the document as it is ({@code recs.unchanged-refresh}). State written
 * before they were kept restores with none ({@link #NO_FINGERPRINT}, {@link #NONE}): the next
 * document is written.
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
    /** Fingerprint of the last document written per context ({@link #fingerprintOf}), or {@link #NO_FINGERPRINT}. */
    public long[] fingerprint = new long[0];
    /** Processing time the last document was written at per context, or {@link #NONE}. */
    public long[] writtenAt = new long[0];

    /** The fingerprint of "no document written": never equal to a document's. */
    public static final long NO_FINGERPRINT = 0L;

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

    /** The index of the last context awaiting emission, or -1 when none is. */
    public int lastPending() {
        for (int i = size() - 1; i >= 0; i--) {
            if (isPending(i)) {
                return i;
            }
        }
        return -1;
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
        alignWritten();
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
            fingerprint = Arrays.copyOf(fingerprint, n + 1);
            writtenAt = Arrays.copyOf(writtenAt, n + 1);
            fingerprint[n] = NO_FINGERPRINT;
            writtenAt[n] = NONE;
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

    /** State restored from before written documents were kept has none: the next document is written. */
    private void alignWritten() {
        int n = keys.length;
        if (fingerprint == null || fingerprint.length != n) {
            int had = fingerprint == null ? 0 : Math.min(fingerprint.length, n);
            fingerprint = fingerprint == null ? new long[n] : Arrays.copyOf(fingerprint, n);
            Arrays.fill(fingerprint, had, n, NO_FINGERPRINT);
        }
        if (writtenAt == null || writtenAt.length != n) {
            int had = writtenAt == null ? 0 : Math.min(writtenAt.length, n);
            writtenAt = writtenAt == null ? new long[n] : Arrays.copyOf(writtenAt, n);
            Arrays.fill(writtenAt, had, n, NONE);
        }
    }

    /**
     * Whether context {@code i}'s last document, written less than {@code refreshMillis} before
     * {@code now}, has fingerprint {@code documentFingerprint}: the document would not change but for
     * its event time, profile event count and update time.
     */
    public boolean writtenRecently(int i, long documentFingerprint, long now, long refreshMillis) {
        alignWritten();
        return documentFingerprint != NO_FINGERPRINT
                && fingerprint[i] == documentFingerprint
                && writtenAt[i] != NONE
                && now - writtenAt[i] < refreshMillis;
    }

    /** Records that context {@code i}'s document with {@code documentFingerprint} was written at {@code now}. */
    public void markWritten(int i, long documentFingerprint, long now) {
        alignWritten();
        fingerprint[i] = documentFingerprint;
        writtenAt[i] = now;
    }

    /**
     * After {@link #markEmitted} of a document left unwritten: context {@code i} awaits emission again
     * with the event time it reflects, and returns when it is due at the latest — {@code refreshMillis}
     * after its last written document.
     */
    public long owe(int i, long refreshMillis) {
        alignWritten();
        pendingEventTime[i] = emittedEventTime[i];
        return writtenAt[i] + refreshMillis;
    }

    /**
     * The fingerprint of a document: 64 bits over its model version and item ids in order, never
     * {@link #NO_FINGERPRINT}. Scores and reasons are left out: they move with every event while the
     * list an app shows stays the same.
     */
    public static long fingerprintOf(String modelVersion, String[] items) {
        long h = mix(0x9E3779B97F4A7C15L + (modelVersion == null ? -1 : ConsumedItems.hash(modelVersion)));
        for (String item : items) {
            // order matters: each step mixes the running value before adding the next item
            h = mix(h * 0x9E3779B97F4A7C15L + (item == null ? -1 : ConsumedItems.hash(item)));
        }
        return h == NO_FINGERPRINT ? 1L : h;
    }

    /** The finaliser of SplitMix64: spreads every input bit over the word. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
        alignWritten();
        int last = keys.length - 1;
        keys[i] = keys[last];
        emittedEventTime[i] = emittedEventTime[last];
        pendingEventTime[i] = pendingEventTime[last];
        attributes[i] = attributes[last];
        fingerprint[i] = fingerprint[last];
        writtenAt[i] = writtenAt[last];
        fingerprint = Arrays.copyOf(fingerprint, last);
        writtenAt = Arrays.copyOf(writtenAt, last);
        keys = Arrays.copyOf(keys, last);
        emittedEventTime = Arrays.copyOf(emittedEventTime, last);
        pendingEventTime = Arrays.copyOf(pendingEventTime, last);
        attributes = Arrays.copyOf(attributes, last);
    }
}
