package io.desire.jobs.ops;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.desire.features.ftrl.FtrlState;
import io.desire.jobs.LearningPipeline;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.CoalescedState;
import io.desire.operators.PublishedState;
import io.desire.operators.Uids;
import io.desire.operators.als.ItemFactors;
import io.desire.operators.als.UserFactors;
import io.desire.operators.covisit.CoVisitation;
import io.desire.operators.ranker.FtrlLearner;
import io.desire.operators.serving.UserRecommender;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The engine's state in a savepoint (or retained checkpoint) of the streaming job, read with Flink's
 * State Processor API under the job's uids and state names: per state, key → canonical JSON of the
 * value (fields sorted, doubles exact; values over 64 KiB as their SHA-256 next to their scalar fields). Equal maps mean equal
 * state. States of operators the savepoint does not hold (learning off) are absent from the map.
 * Everything read is held in memory: meant for inspection and tests, not for bulk export.
 */
public final class EngineState {
    public static final String PROFILES = "profiles";
    public static final String CONTEXTS = "user contexts";
    public static final String TRENDING = "context windows";
    public static final String ALS_USERS = "ALS user factors";
    public static final String ALS_ITEMS = "ALS item factors";
    public static final String FTRL = "FTRL weights";
    public static final String COVISIT = "co-visitation";

    /**
     * Fields that {@link PublishedState} and {@link CoalescedState} add to a state type (publication
     * versions, pending counts, timers): bookkeeping of emission, not model.
     */
    private static final List<String> PUBLICATION_FIELDS = fieldsOf(PublishedState.class, CoalescedState.class);

    private static final List<String> COALESCING_FIELDS = fieldsOf(CoalescedState.class);

    private static List<String> fieldsOf(Class<?>... classes) {
        List<String> names = new ArrayList<>();
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    names.add(f.getName());
                }
            }
        }
        return names;
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    private EngineState() {}

    /** Reads the engine's state of the savepoint at {@code path} (RocksDB, as the job writes it). */
    public static Map<String, Map<String, String>> read(String path, JobConfig cfg) throws Exception {
        OfflineSavepoint opened = OfflineSavepoint.open(path);
        Set<String> uids = opened.uids();
        StreamExecutionEnvironment env = opened.env();
        SavepointReader savepoint = opened.reader();
        Duration ttl = OfflineSavepoint.NO_EXPIRY;
        List<DataStream<String[]>> reads = new ArrayList<>();
        if (uids.contains(Uids.USER_RECOMMENDER)) {
            reads.add(savepoint.readKeyedState(
                    OperatorIdentifier.forUid(Uids.USER_RECOMMENDER),
                    new Dump(Map.of(
                            PROFILES, UserRecommender.createProfileDescriptor(ttl),
                            CONTEXTS, UserRecommender.createContextsDescriptor(ttl)))));
        }
        if (uids.contains(Uids.CONTEXT_TRENDING)) {
            reads.add(ContextWindowsReader.read(savepoint));
        }
        if (uids.contains(Uids.ALS_USER_FACTORS)) {
            reads.add(savepoint.readKeyedState(
                    OperatorIdentifier.forUid(Uids.ALS_USER_FACTORS),
                    new Dump(Map.of(ALS_USERS, UserFactors.createStateDescriptor(LearningPipeline.alsConfig(cfg))))));
        }
        if (uids.contains(Uids.ALS_ITEM_FACTORS)) {
            reads.add(savepoint.readKeyedState(
                    OperatorIdentifier.forUid(Uids.ALS_ITEM_FACTORS),
                    new Dump(Map.of(ALS_ITEMS, ItemFactors.createStateDescriptor()))));
        }
        if (uids.contains(Uids.CO_VISITATION)) {
            reads.add(savepoint.readKeyedState(
                    OperatorIdentifier.forUid(Uids.CO_VISITATION),
                    new Dump(Map.of(COVISIT, CoVisitation.createStateDescriptor()))));
        }
        if (uids.contains(Uids.FTRL_LEARNER)) {
            reads.add(savepoint
                    .readListState(
                            OperatorIdentifier.forUid(Uids.FTRL_LEARNER),
                            FtrlLearner.STATE_NAME,
                            TypeInformation.of(FtrlState.class))
                    .map(ftrl -> new String[] {FTRL, "model", canonical(ftrl)})
                    .returns(String[].class));
        }
        // One batch job for all of them: each read is an operator of it, not a cluster start of its own.
        Queue<String[]> received = CollectedRows.collect(env, reads, "read savepoint " + path);
        Map<String, Map<String, String>> states = new TreeMap<>();
        List<String[]> windowParts = new ArrayList<>();
        for (String[] row : received) {
            if (ContextWindowsReader.PART.equals(row[0])) {
                windowParts.add(row);
                continue;
            }
            String previous =
                    states.computeIfAbsent(row[0], k -> new TreeMap<>()).put(row[1], row[2]);
            if (previous != null) {
                throw new IllegalStateException(row[0] + " holds key " + row[1] + " twice");
            }
        }
        ContextWindowsReader.merge(windowParts)
                .forEach((context, windows) ->
                        states.computeIfAbsent(TRENDING, k -> new TreeMap<>()).put(context, canonical(windows)));
        return states;
    }

    /** The value as sorted JSON without publication bookkeeping; its SHA-256 when longer than 64 KiB. */
    public static String canonical(Object value) {
        JsonNode tree = tree(value);
        String json = tree.toString();
        if (json.length() <= 64 * 1024) {
            return json;
        }
        // Too long to print or diff: its digest, next to the scalar fields (versions, counts).
        ObjectNode summary = JSON.createObjectNode();
        if (tree instanceof ObjectNode o) {
            o.properties().forEach(e -> {
                if (e.getValue().isValueNode()) {
                    summary.set(e.getKey(), e.getValue());
                }
            });
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            summary.put("sha256", HexFormat.of().formatHex(digest));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        summary.put("chars", json.length());
        return summary.toString();
    }

    /** The value as a JSON tree without the emission bookkeeping its state type inherits. */
    private static JsonNode tree(Object value) {
        JsonNode tree = JSON.valueToTree(value);
        if (tree instanceof ObjectNode o) {
            if (value instanceof PublishedState) {
                o.remove(PUBLICATION_FIELDS);
            } else if (value instanceof CoalescedState) {
                o.remove(COALESCING_FIELDS);
            }
        }
        return tree;
    }

    /** Rows of the reading jobs running in this JVM, by run. */

    /** Emits (state label, key, canonical value) for every key of the operator and every named state. */
    private static final class Dump extends KeyedStateReaderFunction<String, String[]> {
        private final Map<String, StateDescriptor<?, ?>> descriptors;
        private transient Map<String, Object> states;

        Dump(Map<String, StateDescriptor<?, ?>> descriptors) {
            this.descriptors = new TreeMap<>(descriptors);
        }

        @Override
        public void open(OpenContext context) {
            states = new TreeMap<>();
            descriptors.forEach((label, d) -> {
                if (d instanceof ValueStateDescriptor<?> v) {
                    states.put(label, getRuntimeContext().getState(v));
                } else if (d instanceof MapStateDescriptor<?, ?> m) {
                    states.put(label, getRuntimeContext().getMapState(m));
                } else {
                    throw new IllegalArgumentException("unsupported state " + d);
                }
            });
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String[]> out) throws Exception {
            for (Map.Entry<String, Object> s : states.entrySet()) {
                Object value;
                if (s.getValue() instanceof ValueState<?> v) {
                    value = v.value();
                } else {
                    Map<Object, Object> entries = new TreeMap<>();
                    for (Map.Entry<?, ?> e : ((MapState<?, ?>) s.getValue()).entries()) {
                        entries.put(e.getKey(), tree(e.getValue()));
                    }
                    value = entries.isEmpty() ? null : entries;
                }
                if (value != null) {
                    out.collect(new String[] {s.getKey(), key, canonical(value)});
                }
            }
        }
    }
}
