package io.desire.operators;

/**
 * Per-key state of an operator that publishes a versioned value at most once per interval (ALS
 * item vectors, co-visitation lists): the version of the last publication, which only grows, the
 * largest event time reflected, and the changes waiting for the next publication, on top of the
 * timers of {@link CoalescedState}. Subclasses stay Flink POJOs.
 */
public abstract class PublishedState extends CoalescedState {
    public long version;
    public long eventTime = Long.MIN_VALUE;
    /** Changes applied since the last publication. */
    public int pendingUpdates;

    /** When changes wait: starts the next version (returned true); otherwise false, nothing to publish. */
    public boolean nextVersion() {
        if (pendingUpdates == 0) {
            return false;
        }
        version++;
        pendingUpdates = 0;
        return true;
    }
}
