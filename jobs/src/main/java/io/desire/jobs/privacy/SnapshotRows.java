package io.desire.jobs.privacy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The state of one user-keyed operator of a snapshot as a stream of {@link StateRow}s: its keyed state
 * without the forgotten keys (plus the timers the state records) and, unchanged, its broadcast and
 * union list state. Refuses an operator whose snapshot holds operator state the spec does not name,
 * since a rewrite would drop it.
 */
final class SnapshotRows {
    private SnapshotRows() {}

    static DataStream<StateRow> of(SavepointReader savepoint, UserStateSpec spec, Set<String> forgotten)
            throws IOException {
        OperatorIdentifier id = OperatorIdentifier.forUid(spec.uid);
        TypeInformation<StateRow> rowType = TypeInformation.of(StateRow.class);
        // Flink 2.2's keyed-state source emits null for a key the reader function emits nothing for
        // (a forgotten one): dropped here, in the operator chained to the source.
        DataStream<StateRow> rows = savepoint
                .readKeyedState(id, new UserStateRows(spec, Set.copyOf(forgotten)), Types.STRING, rowType)
                .filter(java.util.Objects::nonNull)
                .name("keys with state " + spec.uid);
        for (int i = 0; i < spec.broadcast.size(); i++) {
            int index = i;
            @SuppressWarnings("unchecked")
            TypeInformation<Object> values = (TypeInformation<Object>) TypeInformation.of(spec.broadcastValues.get(i));
            @SuppressWarnings("unchecked")
            TypeSerializer<Object> valueSerializer =
                    (TypeSerializer<Object>) spec.broadcast.get(i).getValueSerializer();
            @SuppressWarnings("unchecked")
            TypeSerializer<String> keySerializer =
                    (TypeSerializer<String>) spec.broadcast.get(i).getKeySerializer();
            rows = rows.union(savepoint
                    .readBroadcastState(
                            id, spec.broadcast.get(i).getName(), Types.STRING, values, keySerializer, valueSerializer)
                    .map(e -> new StateRow(
                            "",
                            StateRow.BROADCAST_ENTRY,
                            index,
                            bytes(keySerializer, e.f0),
                            bytes(valueSerializer, e.f1),
                            0))
                    .returns(rowType));
        }
        for (int i = 0; i < spec.union.size(); i++) {
            int index = i;
            @SuppressWarnings("unchecked")
            TypeInformation<Object> elements = (TypeInformation<Object>) TypeInformation.of(spec.unionElements.get(i));
            @SuppressWarnings("unchecked")
            TypeSerializer<Object> serializer =
                    (TypeSerializer<Object>) spec.union.get(i).getElementSerializer();
            rows = rows.union(savepoint
                    .readUnionState(id, spec.union.get(i).getName(), elements, serializer)
                    .map(e -> new StateRow("", StateRow.UNION_ELEMENT, index, new byte[0], bytes(serializer, e), 0))
                    .returns(rowType));
        }
        return rows;
    }

    static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    /** Uids of the operators the snapshot holds state for. */
    static Set<String> uids(CheckpointMetadata metadata) {
        Set<String> uids = new HashSet<>();
        for (OperatorState op : metadata.getOperatorStates()) {
            op.getOperatorUid().ifPresent(uids::add);
        }
        return uids;
    }

    /**
     * Checks that every operator state (broadcast, union, list) stored under the spec's uid is one the
     * spec names; throws with the names it does not know otherwise.
     */
    static void checkCovered(CheckpointMetadata metadata, UserStateSpec spec) {
        Set<String> unknown = new HashSet<>();
        for (OperatorState op : metadata.getOperatorStates()) {
            if (!op.getOperatorUid().map(spec.uid::equals).orElse(false)) {
                continue;
            }
            for (OperatorSubtaskState subtask : op.getStates()) {
                for (OperatorStateHandle h : subtask.getManagedOperatorState()) {
                    unknown.addAll(h.getStateNameToPartitionOffsets().keySet());
                }
                if (subtask.getRawKeyedState().hasState()
                        || subtask.getRawOperatorState().hasState()) {
                    unknown.add("(raw state)");
                }
            }
        }
        unknown.removeAll(spec.stateNames());
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("operator " + spec.uid + " holds state the sweep does not know: " + unknown
                    + "; nothing was written");
        }
    }

    /** Rows grouped for comparison: per uid, the multiset of rows as text (key, kind, state, bytes). */
    static Map<String, List<String>> group(Iterable<String[]> tagged) {
        Map<String, List<String>> out = new HashMap<>();
        for (String[] t : tagged) {
            out.computeIfAbsent(t[0], k -> new ArrayList<>()).add(t[1]);
        }
        out.values().forEach(java.util.Collections::sort);
        return out;
    }
}
