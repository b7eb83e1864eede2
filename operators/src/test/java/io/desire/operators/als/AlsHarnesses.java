package io.desire.operators.als;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.operators.Harnesses;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Harness construction, event builders and state inspection shared by the ALS operator tests. */
final class AlsHarnesses {
    static final int MAX_PARALLELISM = 128;
    private static int sequence;

    private AlsHarnesses() {}

    static KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> users(
            UserFactors fn, boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(fn, java.util.List.of(UserFactors.createTableDescriptor())),
                UserFactors.keySelector(),
                Types.STRING,
                MAX_PARALLELISM,
                1,
                0);
        return Harnesses.opened(h, rocksDb, restoreFrom);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, UserFactorUpdate, ItemFactorUpdate> items(
            ItemFactors fn, boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), ItemFactors.keySelector(), Types.STRING, MAX_PARALLELISM, 1, 0);
        return Harnesses.opened(h, rocksDb, restoreFrom);
    }

    static Event event(EventType type, String user, String item, long ts) {
        Event e = new Event();
        e.eventId = "als" + (++sequence);
        e.type = type;
        e.userId = user;
        e.itemId = item;
        e.ts = ts;
        return e;
    }

    static Event rate(String user, String item, double rating, long ts) {
        Event e = event(EventType.RATE, user, item, ts);
        e.value = rating;
        return e;
    }

    static Event forget(String user, long ts) {
        return event(EventType.FORGET_USER, user, null, ts);
    }

    static ItemFactorUpdate item(String id, long version, double... factors) {
        return new ItemFactorUpdate(id, factors, version, 0L);
    }

    /**
     * A copy of the value of a keyed ValueState for {@code key}, read straight from the harness's
     * backend (a copy: the heap backend hands out the live object, which later events mutate).
     */
    static <T> T keyed(AbstractStreamOperatorTestHarness<?> h, ValueStateDescriptor<T> d, String key) throws Exception {
        KeyedStateBackend<Object> backend = h.getOperator().getKeyedStateBackend();
        Object before = backend.getCurrentKey();
        backend.setCurrentKey(key);
        try {
            ValueState<T> s = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d);
            T value = s.value();
            d.initializeSerializerUnlessSet(new ExecutionConfig());
            return value == null ? null : d.getSerializer().copy(value);
        } finally {
            if (before != null) {
                backend.setCurrentKey(before);
            }
        }
    }

    /** The replicated item table of a {@link UserFactors} harness, as a map. */
    static Map<String, ItemFactorUpdate> table(
            KeyedBroadcastOperatorTestHarness<String, Event, ItemFactorUpdate, UserFactorUpdate> h) throws Exception {
        BroadcastState<String, ItemFactorUpdate> s =
                h.getOperator().getOperatorStateBackend().getBroadcastState(UserFactors.createTableDescriptor());
        Map<String, ItemFactorUpdate> m = new HashMap<>();
        for (Map.Entry<String, ItemFactorUpdate> e : s.entries()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }
}
