package io.desire.jobs;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.desire.features.ftrl.FtrlState;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.CoalescedState;
import io.desire.operators.ContextTrending;
import io.desire.operators.PublishedState;
import io.desire.operators.Uids;
import io.desire.operators.UserRecommender;
import io.desire.operators.als.ItemFactors;
import io.desire.operators.als.UserFactors;
import io.desire.operators.ranker.FtrlLearner;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.common.RuntimeExecutionMode;
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
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The engine's state in a savepoint of the streaming job, read with Flink's State Processor API
 * under the job's uids and state names: per state, key → canonical JSON of the value (fields sorted,
 * doubles exact; values over 64 KiB as their SHA-256). Equal maps mean equal state.
 */
final class SavepointState {
    static final String PROFILES = "profiles";
    static final String CONTEXTS = "user contexts";
    static final String TRENDING = "context windows";
    static final String ALS_USERS = "ALS user factors";
    static final String ALS_ITEMS = "ALS item factors";
    static final String FTRL = "FTRL weights";

    /** Fields of coalesced publication (versions, pending counts, timers): bookkeeping, not model. */
    private static final List<String> PUBLICATION_FIELDS = new ArrayList<>();

    static {
        for (Class<?> c : List.of(PublishedState.class, CoalescedState.class)) {
            for (Field f : c.getDeclaredFields()) {
                PUBLICATION_FIELDS.add(f.getName());
            }
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .build();

    private SavepointState() {}

    /** Reads the engine's state of the savepoint at {@code path} (RocksDB, as the job writes it). */
    static Map<String, Map<String, String>> read(String path, JobConfig cfg) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        SavepointReader savepoint = SavepointReader.read(env, path, new EmbeddedRocksDBStateBackend());
        // TTL durations only decide what reads as expired; state written minutes ago never is.
        Duration ttl = Duration.ofDays(3650);
        DataStream<String[]> rows = savepoint.readKeyedState(OperatorIdentifier.forUid(Uids.USER_RECOMMENDER),
                        new Dump(Map.of(
                                PROFILES, UserRecommender.createProfileDescriptor(ttl),
                                CONTEXTS, UserRecommender.createContextsDescriptor(ttl))))
                .union(savepoint.readKeyedState(OperatorIdentifier.forUid(Uids.CONTEXT_TRENDING),
                                new Dump(Map.of(TRENDING, ContextTrending.createStateDescriptor()))),
                        savepoint.readKeyedState(OperatorIdentifier.forUid(Uids.ALS_USER_FACTORS),
                                new Dump(Map.of(ALS_USERS,
                                        UserFactors.createStateDescriptor(LearningPipeline.alsConfig(cfg))))),
                        savepoint.readKeyedState(OperatorIdentifier.forUid(Uids.ALS_ITEM_FACTORS),
                                new Dump(Map.of(ALS_ITEMS, ItemFactors.createStateDescriptor()))),
                        savepoint.readListState(OperatorIdentifier.forUid(Uids.FTRL_LEARNER),
                                        FtrlLearner.STATE_NAME, TypeInformation.of(FtrlState.class))
                                .map(ftrl -> new String[] {FTRL, "model", canonical(ftrl)})
                                .returns(String[].class));
        // One batch job for all of them: each read is an operator of it, not a cluster start of its
        // own. The job runs in this JVM; its rows land in a queue that env.execute() has filled
        // completely when it returns (executeAndCollect can race the local cluster's shutdown).
        String run = java.util.UUID.randomUUID().toString();
        Queue<String[]> received = new ConcurrentLinkedQueue<>();
        RESULTS.put(run, received);
        try {
            rows.sinkTo(new Rows(run)).name("rows");
            env.execute("read savepoint " + path);
        } finally {
            RESULTS.remove(run);
        }
        Map<String, Map<String, String>> states = new TreeMap<>();
        for (String[] row : received) {
            String previous = states.computeIfAbsent(row[0], k -> new TreeMap<>()).put(row[1], row[2]);
            if (previous != null) {
                throw new IllegalStateException(row[0] + " holds key " + row[1] + " twice");
            }
        }
        return states;
    }

    /** The value as sorted JSON without publication bookkeeping; its SHA-256 when longer than 64 KiB. */
    static String canonical(Object value) {
        String json = tree(value).toString();
        if (json.length() <= 64 * 1024) {
            return json;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest) + " (" + json.length() + " chars)";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value as a JSON tree without the publication bookkeeping fields. */
    private static JsonNode tree(Object value) {
        JsonNode tree = JSON.valueToTree(value);
        if (tree instanceof ObjectNode o) {
            o.remove(PUBLICATION_FIELDS);
        }
        return tree;
    }

    /** Rows of the reading jobs running in this JVM, by run. */
    private static final Map<String, Queue<String[]>> RESULTS = new ConcurrentHashMap<>();

    /** Appends every row to the queue of its run. */
    private static final class Rows implements Sink<String[]> {
        private final String run;

        Rows(String run) {
            this.run = run;
        }

        @Override
        public SinkWriter<String[]> createWriter(WriterInitContext context) {
            Queue<String[]> queue = RESULTS.get(run);
            return new SinkWriter<>() {
                @Override
                public void write(String[] row, Context ctx) {
                    queue.add(row);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

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
