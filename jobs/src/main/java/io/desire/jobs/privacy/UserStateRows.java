package io.desire.jobs.privacy;

import io.desire.operators.CoalescedEmission;
import io.desire.operators.CoalescedState;
import io.desire.operators.EnrichFromCatalog;
import io.desire.operators.feedback.LabeledExample;
import io.desire.operators.feedback.PendingItem;
import io.desire.operators.ranker.ServedHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

/**
 * Reads every keyed state of one operator ({@link UserStateSpec#keyed}) and emits it as
 * {@link StateRow}s — except for the keys in {@code forgotten}, of which nothing is emitted. Where the
 * operator's timers are recorded in its state ({@link UserStateSpec#coalescedTimers}), the timers of
 * each kept key are emitted too, so the rewrite re-registers them.
 */
final class UserStateRows extends KeyedStateReaderFunction<String, StateRow> {
    private final UserStateSpec spec;
    private final Set<String> forgotten;
    private transient List<Object> states;
    private transient DataOutputSerializer out;

    UserStateRows(UserStateSpec spec, Set<String> forgotten) {
        this.spec = spec;
        this.forgotten = forgotten;
    }

    @Override
    public void open(OpenContext context) {
        states = new ArrayList<>();
        out = new DataOutputSerializer(1024);
        for (StateDescriptor<?, ?> d : spec.keyed) {
            if (d instanceof ValueStateDescriptor<?> v) {
                states.add(getRuntimeContext().getState(v));
            } else if (d instanceof MapStateDescriptor<?, ?> m) {
                states.add(getRuntimeContext().getMapState(m));
            } else if (d instanceof ListStateDescriptor<?> l) {
                states.add(getRuntimeContext().getListState(l));
            } else {
                throw new IllegalArgumentException("unsupported state " + d);
            }
        }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void readKey(String key, Context ctx, Collector<StateRow> rows) throws Exception {
        String user = spec.users == UserStateSpec.Users.PENDING_ITEM ? null : userOf(key);
        if (user != null && forgotten.contains(user)) {
            return;
        }
        for (int i = 0; i < states.size(); i++) {
            StateDescriptor<?, ?> d = spec.keyed.get(i);
            Object s = states.get(i);
            if (s instanceof ValueState<?> v) {
                Object value = v.value();
                if (value != null) {
                    rows.collect(new StateRow(
                            key, StateRow.VALUE, i, new byte[0], bytes((TypeSerializer) d.getSerializer(), value), 0));
                    timers(key, value, rows);
                }
            } else if (s instanceof MapState<?, ?> m) {
                MapStateDescriptor<?, ?> md = (MapStateDescriptor<?, ?>) d;
                for (Map.Entry<?, ?> e : m.entries()) {
                    if (e.getValue() instanceof PendingItem p && forgotten.contains(p.userId)) {
                        continue;
                    }
                    timers(key, e.getValue(), rows);
                    rows.collect(new StateRow(
                            key,
                            StateRow.MAP_ENTRY,
                            i,
                            bytes((TypeSerializer) md.getKeySerializer(), e.getKey()),
                            bytes((TypeSerializer) md.getValueSerializer(), e.getValue()),
                            0));
                }
            } else {
                ListStateDescriptor<?> ld = (ListStateDescriptor<?>) d;
                for (Object element : ((ListState<?>) s).get()) {
                    timers(key, element, rows);
                    rows.collect(new StateRow(
                            key,
                            StateRow.LIST_ELEMENT,
                            i,
                            new byte[0],
                            bytes((TypeSerializer) ld.getElementSerializer(), element),
                            0));
                }
            }
        }
    }

    /** The timers a coalescing operator has registered for this key, as its state records them. */
    private void timers(String key, Object value, Collector<StateRow> rows) {
        switch (spec.timers) {
            case COALESCED -> coalesced(key, value, rows);
            case EXAMPLE_ASSEMBLER -> {
                if (value instanceof ServedHistory h && h.cleanupAt != ServedHistory.NONE) {
                    rows.collect(timer(key, h.cleanupAt));
                } else if (value instanceof LabeledExample x) {
                    rows.collect(timer(key, x.impressionTs));
                }
            }
            case FEEDBACK_JOIN -> {
                if (value instanceof PendingItem p && p.expiresAt != Long.MIN_VALUE) {
                    rows.collect(timer(key, p.expiresAt));
                }
            }
            case NONE -> {}
        }
    }

    private static StateRow timer(String key, long time) {
        return new StateRow(key, StateRow.EVENT_TIMER, 0, new byte[0], new byte[0], time);
    }

    /** The user of a key (for {@link UserStateSpec.Users#KEY} and {@link UserStateSpec.Users#KEY_PREFIX}). */
    private String userOf(String key) {
        if (spec.users == UserStateSpec.Users.ITEM_OR_USER_KEY) {
            return key.startsWith(EnrichFromCatalog.NO_ITEM_KEY_PREFIX)
                    ? key.substring(EnrichFromCatalog.NO_ITEM_KEY_PREFIX.length())
                    : null;
        }
        if (spec.users == UserStateSpec.Users.KEY_PREFIX) {
            int end = key.indexOf('\u001f');
            return end < 0 ? key : key.substring(0, end);
        }
        return key;
    }

    private static void coalesced(String key, Object value, Collector<StateRow> rows) {
        if (value instanceof CoalescedState c) {
            if (c.timerAt != CoalescedEmission.NONE) {
                rows.collect(new StateRow(key, StateRow.PROCESSING_TIMER, 0, new byte[0], new byte[0], c.timerAt));
            }
            if (c.flushArmed) {
                rows.collect(new StateRow(
                        key, StateRow.EVENT_TIMER, 0, new byte[0], new byte[0], CoalescedEmission.END_OF_INPUT));
            }
        }
    }

    private byte[] bytes(TypeSerializer<Object> serializer, Object value) throws java.io.IOException {
        out.clear();
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }
}
