package io.desire.operators.als;

import java.util.Map;

/**
 * What travels the ALS loop, counted since the job started as Flink accumulators (summed over
 * subtasks): the updates {@link UserFactors} sent and {@link ItemFactors} received, the item vectors
 * waiting to be published (items with a coalescing period open), the vectors published, and the
 * vectors the user side received — every user subtask receives every one, so that count is the
 * published one times the user side's parallelism once all have arrived.
 *
 * <p>{@link #balanced} means that, as far as these counts tell, nothing is in flight: a backfill
 * driver waits for it (seen twice, a heartbeat apart) instead of a fixed time after each ALS sweep.
 * The counts only balance for a job that started without state and is the only writer of its
 * item-vector topic; for any other job a driver must bound its wait.
 */
public record AlsLoopCounts(
        long updatesSent, long updatesReceived, long vectorsPending, long vectorsPublished, long vectorsReceived) {
    public static final String UPDATES_SENT_ACCUMULATOR = "als-loop-updates-sent";
    public static final String UPDATES_RECEIVED_ACCUMULATOR = "als-loop-updates-received";
    public static final String VECTORS_PENDING_ACCUMULATOR = "als-loop-vectors-pending";
    public static final String VECTORS_PUBLISHED_ACCUMULATOR = "als-loop-vectors-published";
    public static final String VECTORS_RECEIVED_ACCUMULATOR = "als-loop-vectors-received";

    /** The counts in a job's accumulators; an accumulator not reported yet counts 0. */
    public static AlsLoopCounts of(Map<String, Object> accumulators) {
        return new AlsLoopCounts(
                count(accumulators, UPDATES_SENT_ACCUMULATOR),
                count(accumulators, UPDATES_RECEIVED_ACCUMULATOR),
                count(accumulators, VECTORS_PENDING_ACCUMULATOR),
                count(accumulators, VECTORS_PUBLISHED_ACCUMULATOR),
                count(accumulators, VECTORS_RECEIVED_ACCUMULATOR));
    }

    /**
     * Every update sent was received, no vector waits to be published, and each of the {@code
     * userSubtasks} user subtasks received every vector published.
     */
    public boolean balanced(int userSubtasks) {
        return updatesSent == updatesReceived
                && vectorsPending == 0
                && vectorsReceived == vectorsPublished * userSubtasks;
    }

    private static long count(Map<String, Object> accumulators, String name) {
        return accumulators.get(name) instanceof Number n ? n.longValue() : 0;
    }
}
