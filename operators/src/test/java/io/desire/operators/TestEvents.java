package io.desire.operators;

import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/** Event builders and state inspection shared by the operator tests. */
public final class TestEvents {
    public static final String CTX_X = "u4pruy:weekday-evening:mobile";
    public static final String CTX_Y = "u4pruy:weekend-morning:desktop";

    private static int sequence;

    private TestEvents() {}

    public static Event behaviour(
            EventType type, String user, String item, String category, long ts, String contextKey) {
        Event e = new Event();
        e.eventId = "e" + (++sequence);
        e.type = type;
        e.userId = user;
        e.itemId = item;
        e.category = category;
        e.ts = ts;
        String[] parts = contextKey.split(":");
        e.geoCell = parts[0];
        e.timeBucket = parts[1];
        e.deviceClass = parts[2];
        return e;
    }

    public static Event view(String user, String item, String category, long ts) {
        return behaviour(EventType.VIEW, user, item, category, ts, CTX_X);
    }

    public static Event item(String item, String category, long ts) {
        Event e = new Event();
        e.eventId = "item" + (++sequence);
        e.type = EventType.ITEM;
        e.itemId = item;
        e.category = category;
        e.ts = ts;
        return e;
    }

    public static Event forget(String user, long ts) {
        Event e = new Event();
        e.eventId = "f" + (++sequence);
        e.type = EventType.FORGET_USER;
        e.userId = user;
        e.ts = ts;
        return e;
    }

    /**
     * Keyed state entries of the harness's operator: exact entry count on the heap backend, number of
     * keys holding any of {@code stateNames} on RocksDB.
     */
    public static long keyedStateEntries(AbstractStreamOperatorTestHarness<?> harness, String... stateNames) {
        KeyedStateBackend<Object> backend = harness.getOperator().getKeyedStateBackend();
        if (backend instanceof HeapKeyedStateBackend) {
            return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
        }
        long n = 0;
        for (String name : stateNames) {
            try (var keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
                n += keys.count();
            }
        }
        return n;
    }
}
