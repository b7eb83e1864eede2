package io.desire.jobs.ops;

import io.desire.jobs.LearningPipeline;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.Uids;
import io.desire.operators.als.AlsConfig;
import io.desire.operators.als.UserFactors;
import io.desire.operators.serving.UserRecommender;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The user-keyed value states of a savepoint of the streaming job (the recommender's and the ALS
 * user side's), each with how many users hold it and the bytes of its values as their serializers
 * write them: where a savepoint's bytes per user go. Keys, TTL timestamps, timers and the state
 * backend's framing are not counted, so the sum is below the operators' sizes in the metadata.
 */
public final class UserStateBytes {

    /** One state's users and the bytes of its serialized values. */
    public record Row(String operator, String state, long users, long bytes) {}

    private UserStateBytes() {}

    /** Reads every user-keyed value state of the savepoint at {@code path}; rows by operator and state name. */
    public static List<Row> read(String path, JobConfig cfg) throws Exception {
        OfflineSavepoint savepoint = OfflineSavepoint.open(path);
        Duration ttl = OfflineSavepoint.NO_EXPIRY;
        AlsConfig als = LearningPipeline.alsConfig(cfg);
        List<DataStream<String[]>> reads = new ArrayList<>();
        addSizes(
                savepoint,
                reads,
                Uids.USER_RECOMMENDER,
                List.of(
                        UserRecommender.createProfileDescriptor(ttl),
                        UserRecommender.createContextsDescriptor(ttl),
                        UserRecommender.createAlsDescriptor(ttl),
                        UserRecommender.createConsumedDescriptor(ttl),
                        UserRecommender.createSessionListsDescriptor(ttl),
                        UserRecommender.createForgottenDescriptor(ttl)));
        addSizes(
                savepoint,
                reads,
                Uids.ALS_USER_FACTORS,
                List.of(
                        UserFactors.createStateDescriptor(als),
                        UserFactors.createConsumedDescriptor(als),
                        UserFactors.createForgottenDescriptor(als)));
        Queue<String[]> received = CollectedRows.collect(savepoint.env(), reads, "state bytes of " + path);
        Map<String, long[]> totals = new TreeMap<>();
        for (String[] row : received) {
            long[] t = totals.computeIfAbsent(row[0] + "\t" + row[1], k -> new long[2]);
            t[0]++;
            t[1] += Long.parseLong(row[2]);
        }
        List<Row> rows = new ArrayList<>();
        totals.forEach((k, t) -> {
            String[] parts = k.split("\t", 2);
            rows.add(new Row(parts[0], parts[1], t[0], t[1]));
        });
        return rows;
    }

    /** Adds the read of {@code states}' sizes in operator {@code uid}, when the savepoint holds it. */
    private static void addSizes(
            OfflineSavepoint savepoint,
            List<DataStream<String[]>> reads,
            String uid,
            List<ValueStateDescriptor<?>> states)
            throws Exception {
        if (savepoint.uids().contains(uid)) {
            reads.add(savepoint.reader().readKeyedState(OperatorIdentifier.forUid(uid), new Sizes(uid, states)));
        }
    }

    /** Prints the rows with bytes per holding user and per user of the savepoint. */
    public static void print(PrintStream out, List<Row> rows, long users) {
        out.printf("user-keyed state, serialized values (%,d users):%n", users);
        out.printf("  %-26s %-22s %10s %12s %10s %10s%n", "operator", "state", "users", "bytes", "B/holder", "B/user");
        long sum = 0;
        for (Row r : rows) {
            sum += r.bytes();
            out.printf(
                    "  %-26s %-22s %,10d %,12d %,10d %,10d%n",
                    r.operator(),
                    r.state(),
                    r.users(),
                    r.bytes(),
                    r.bytes() / Math.max(1, r.users()),
                    r.bytes() / Math.max(1, users));
        }
        out.printf("  %-49s %,12d %10s %,10d%n", "all of them", sum, "", sum / Math.max(1, users));
    }

    /** Emits (operator, state name, serialized bytes) for every key holding each value state. */
    private static final class Sizes extends KeyedStateReaderFunction<String, String[]> {
        private final String operator;
        private final List<ValueStateDescriptor<?>> descriptors;
        private transient Map<String, ValueState<?>> states;
        private transient Map<String, TypeSerializer<Object>> serializers;
        private transient DataOutputSerializer buffer;

        Sizes(String operator, List<ValueStateDescriptor<?>> descriptors) {
            this.operator = operator;
            this.descriptors = descriptors;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void open(OpenContext context) {
            states = new LinkedHashMap<>();
            serializers = new LinkedHashMap<>();
            for (ValueStateDescriptor<?> d : descriptors) {
                states.put(d.getName(), getRuntimeContext().getState(d));
                serializers.put(
                        d.getName(), (TypeSerializer<Object>) d.getSerializer().duplicate());
            }
            buffer = new DataOutputSerializer(4096);
        }

        @Override
        public void readKey(String key, Context ctx, Collector<String[]> out) throws Exception {
            for (Map.Entry<String, ValueState<?>> s : states.entrySet()) {
                Object value = s.getValue().value();
                if (value != null) {
                    buffer.clear();
                    serializers.get(s.getKey()).serialize(value, buffer);
                    out.collect(new String[] {operator, s.getKey(), Integer.toString(buffer.length())});
                }
            }
        }
    }
}
