package io.desire.operators.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.operators.als.AlsConfig;
import io.desire.operators.als.UserFactors;
import io.desire.operators.serving.UserRecommender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Savepoints written before the compact formats restore into today's job. The "before" side is
 * exactly what the previous job registered: each per-user state under its name, with its TTL, typed
 * by {@code TypeInformation.of(type)} (Flink's POJO serializer). Its snapshot is restored into an
 * operator registering today's descriptors (from the operators' own {@code create…Descriptor}
 * methods); every value reads back equal, field by field, and survives a second snapshot in the
 * compact format — on RocksDB (which migrates every value when the state is registered) and on the
 * heap backend (which reads the whole state with the old serializer on restore).
 */
class PojoSavepointMigrationTest {
    private static final Duration TTL = Duration.ofDays(30);

    /** Today's descriptors of every per-user state with a compact format, by state name. */
    private static List<ValueStateDescriptor<?>> todays() {
        AlsConfig als = AlsConfig.builder().build();
        return List.of(
                UserRecommender.createProfileDescriptor(TTL),
                UserRecommender.createContextsDescriptor(TTL),
                UserRecommender.createAlsDescriptor(TTL),
                UserRecommender.createConsumedDescriptor(TTL),
                UserRecommender.createSessionListsDescriptor(TTL),
                UserFactors.createStateDescriptor(als),
                UserFactors.createConsumedDescriptor(als));
    }

    /** The same states as the POJO-serialised job declared them: same name, same TTL, POJO type information. */
    private static List<ValueStateDescriptor<?>> pojo(Map<String, Class<?>> types) {
        List<ValueStateDescriptor<?>> old = new ArrayList<>();
        for (ValueStateDescriptor<?> d : todays()) {
            ValueStateDescriptor<Object> o = new ValueStateDescriptor<>(
                    d.getName(), (TypeInformation<Object>) TypeInformation.of(types.get(d.getName())));
            o.enableTimeToLive(d.getTtlConfig());
            old.add(o);
        }
        return old;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void statesWrittenByThePojoSerializersRestoreEqual(boolean rocksDb) throws Exception {
        Object[][] samples = {
            StateSamples.profiles(),
            StateSamples.contexts(),
            StateSamples.alsCandidates(),
            StateSamples.consumed(),
            StateSamples.sessionLists(),
            StateSamples.factorStates(),
            StateSamples.consumed()
        };
        Map<String, Class<?>> types = new HashMap<>();
        for (int i = 0; i < samples.length; i++) {
            types.put(todays().get(i).getName(), samples[i][0].getClass());
        }
        // user i holds sample i (mod each type's sample count) of every state
        Map<String, Object[]> written = new LinkedHashMap<>();
        for (int u = 0; u < 12; u++) {
            Object[] values = new Object[samples.length];
            for (int s = 0; s < samples.length; s++) {
                values[s] = samples[s][u % samples[s].length];
            }
            written.put("user-" + u, values);
        }

        OperatorSubtaskState pojoSnapshot;
        try (var h = harness(new StateAccess(pojo(types), written), rocksDb, null)) {
            for (String user : written.keySet()) {
                h.processElement(user, 1L);
            }
            pojoSnapshot = h.snapshot(1L, 1L);
        }

        StateAccess restored = new StateAccess(todays(), Map.of());
        OperatorSubtaskState compactSnapshot;
        try (var h = harness(restored, rocksDb, pojoSnapshot)) {
            for (String user : written.keySet()) {
                h.processElement(user, 2L);
            }
            compactSnapshot = h.snapshot(2L, 2L);
        }
        assertRead(restored, written);

        StateAccess again = new StateAccess(todays(), Map.of());
        try (var h = harness(again, rocksDb, compactSnapshot)) {
            for (String user : written.keySet()) {
                h.processElement(user, 3L);
            }
        }
        assertRead(again, written);
    }

    private static void assertRead(StateAccess access, Map<String, Object[]> written) {
        assertThat(access.read).containsOnlyKeys(written.keySet());
        written.forEach((user, values) -> {
            for (int s = 0; s < values.length; s++) {
                CompactSerializerContract.assertEqualState(
                        access.read.get(user)[s],
                        values[s],
                        user + " " + todays().get(s).getName());
            }
        });
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
            StateAccess fn, boolean rocksDb, OperatorSubtaskState restoreFrom) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), k -> k, Types.STRING);
        h.setStateBackend(rocksDb ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }

    /** Writes the given values of a key when one is given for it, else reads every state of the key. */
    private static final class StateAccess extends KeyedProcessFunction<String, String, String> {
        private final List<ValueStateDescriptor<?>> descriptors;
        private final Map<String, Object[]> toWrite;
        final Map<String, Object[]> read = new HashMap<>();
        private transient List<ValueState<Object>> states;

        StateAccess(List<ValueStateDescriptor<?>> descriptors, Map<String, Object[]> toWrite) {
            this.descriptors = descriptors;
            this.toWrite = toWrite;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void open(OpenContext context) {
            states = new ArrayList<>();
            for (ValueStateDescriptor<?> d : descriptors) {
                states.add((ValueState<Object>) getRuntimeContext().getState(d));
            }
        }

        @Override
        public void processElement(String user, Context ctx, Collector<String> out) throws Exception {
            Object[] values = toWrite.get(user);
            if (values != null) {
                for (int i = 0; i < values.length; i++) {
                    states.get(i).update(values[i]);
                }
                return;
            }
            Object[] r = new Object[states.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = states.get(i).value();
            }
            read.put(user, r);
        }
    }
}
