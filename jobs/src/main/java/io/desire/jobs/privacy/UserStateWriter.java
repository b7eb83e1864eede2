package io.desire.jobs.privacy;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.api.SavepointWriterOperatorFactory;
import org.apache.flink.state.api.output.SnapshotUtils;
import org.apache.flink.state.api.output.TaggedOperatorSubtaskState;
import org.apache.flink.state.api.runtime.VoidTriggerable;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Writes one operator's state into a new savepoint from {@link StateRow}s: keyed values, map entries
 * and list elements under the operator's state names (with its TTL settings), the timers its state
 * records — into the timer service {@code user-timers}, which the job's keyed process and broadcast
 * operators use — and its broadcast and union list states. Run at parallelism 1 so that operator
 * state is written exactly once (a restored job redistributes it like any savepoint's).
 */
final class UserStateWriter extends AbstractStreamOperator<TaggedOperatorSubtaskState>
        implements OneInputStreamOperator<StateRow, TaggedOperatorSubtaskState>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final UserStateSpec spec;
    private final long checkpointId;
    private final long timestamp;
    private final Path savepointPath;
    private transient List<Object> keyed;
    private transient List<BroadcastState<Object, Object>> broadcast;
    private transient List<ListState<Object>> union;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient DataInputDeserializer in;

    private UserStateWriter(UserStateSpec spec, long checkpointId, long timestamp, Path savepointPath) {
        this.spec = spec;
        this.checkpointId = checkpointId;
        this.timestamp = timestamp;
        this.savepointPath = savepointPath;
    }

    /** The factory the State Processor API calls with the new savepoint's timestamp and path. */
    static SavepointWriterOperatorFactory factory(UserStateSpec spec, long checkpointId) {
        return (timestamp, path) -> SimpleOperatorFactory.of(new UserStateWriter(spec, checkpointId, timestamp, path));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open() throws Exception {
        super.open();
        in = new DataInputDeserializer();
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, VoidTriggerable.instance());
        keyed = new ArrayList<>();
        for (StateDescriptor<?, ?> d : spec.keyed) {
            if (d instanceof ValueStateDescriptor<?> v) {
                keyed.add(getRuntimeContext().getState(v));
            } else if (d instanceof MapStateDescriptor<?, ?> m) {
                keyed.add(getRuntimeContext().getMapState(m));
            } else {
                keyed.add(getRuntimeContext().getListState((ListStateDescriptor<?>) d));
            }
        }
        broadcast = new ArrayList<>();
        for (MapStateDescriptor<?, ?> d : spec.broadcast) {
            broadcast.add(
                    (BroadcastState<Object, Object>) getOperatorStateBackend().getBroadcastState(d));
        }
        union = new ArrayList<>();
        for (ListStateDescriptor<?> d : spec.union) {
            union.add((ListState<Object>) getOperatorStateBackend().getUnionListState(d));
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void processElement(StreamRecord<StateRow> record) throws Exception {
        StateRow row = record.getValue();
        switch (row.kind) {
            case StateRow.VALUE ->
                ((ValueState<Object>) keyed.get(row.state))
                        .update(read(spec.keyed.get(row.state).getSerializer(), row.value));
            case StateRow.MAP_ENTRY -> {
                MapStateDescriptor<?, ?> d = (MapStateDescriptor<?, ?>) spec.keyed.get(row.state);
                ((MapState<Object, Object>) keyed.get(row.state))
                        .put(read(d.getKeySerializer(), row.entryKey), read(d.getValueSerializer(), row.value));
            }
            case StateRow.LIST_ELEMENT ->
                ((ListState<Object>) keyed.get(row.state))
                        .add(read(
                                ((ListStateDescriptor<?>) spec.keyed.get(row.state)).getElementSerializer(),
                                row.value));
            case StateRow.EVENT_TIMER -> timers.registerEventTimeTimer(VoidNamespace.INSTANCE, row.time);
            case StateRow.PROCESSING_TIMER -> timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, row.time);
            case StateRow.BROADCAST_ENTRY -> {
                MapStateDescriptor<?, ?> d = spec.broadcast.get(row.state);
                broadcast
                        .get(row.state)
                        .put(read(d.getKeySerializer(), row.entryKey), read(d.getValueSerializer(), row.value));
            }
            case StateRow.UNION_ELEMENT ->
                union.get(row.state).add(read(spec.union.get(row.state).getElementSerializer(), row.value));
            default -> throw new IllegalArgumentException("unknown state row kind " + row.kind);
        }
    }

    private Object read(TypeSerializer<?> serializer, byte[] bytes) throws java.io.IOException {
        in.setBuffer(bytes);
        return serializer.deserialize(in);
    }

    @Override
    public void endInput() throws Exception {
        Configuration job = getContainingTask().getJobConfiguration();
        TaggedOperatorSubtaskState state = SnapshotUtils.snapshot(
                checkpointId,
                this,
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                timestamp,
                CheckpointingOptions.getCheckpointingMode(job),
                CheckpointingOptions.isUnalignedCheckpointEnabled(job),
                getContainingTask().getConfiguration().getConfiguration(),
                savepointPath);
        output.collect(new StreamRecord<>(state));
    }
}
