package io.desire.operators;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Which subtask of a keyed operator owns a key, as Flink assigns key groups. For union list operator
 * state that buffers keyed data: after a restore, at any parallelism, every subtask receives every
 * element and keeps those of its own keys.
 */
public final class KeyOwnership {
    private KeyOwnership() {}

    /** Whether the subtask described by {@code task} owns {@code key}. */
    public static boolean ownedHere(Object key, TaskInfo task) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(
                        key, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks())
                == task.getIndexOfThisSubtask();
    }
}
