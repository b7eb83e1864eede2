package io.desire.bench.jmh;

import io.desire.features.context.ContextDefaults;
import io.desire.features.event.Event;
import io.desire.features.profile.ProfilePolicy;
import io.desire.features.profile.UserProfile;
import io.desire.features.serving.ArmScores;
import io.desire.features.serving.ConsumedItems;
import io.desire.features.serving.SessionLists;
import io.desire.operators.UserContexts;
import io.desire.operators.als.AlsCandidates;
import io.desire.operators.als.AlsConfig;
import io.desire.operators.als.UserFactorState;
import io.desire.operators.als.UserFactors;
import io.desire.operators.serving.UserRecommender;
import io.desire.tools.generator.World;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A round trip (serialise, then deserialise) of one value of each main per-user state type: what the
 * RocksDB state backend pays on every {@code value()} and {@code update()}. {@code format} picks the
 * serializer: {@code pojo} is Flink's POJO serializer ({@code TypeInformation.of(type)
 * .createSerializer(new SerializerConfigImpl())}, what the job used before the compact formats),
 * {@code compact} the job's own serializer of that state (what its state descriptors register now),
 * so one run compares both side by side. Values have the size of an active user's state: a profile
 * after 1,000 events, 8 contexts, 50 ALS candidates, 50 interactions with rank-10 factors, 500
 * consumed items, the session lists of one document. Setup prints each value's serialised size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SerializerBenchmark {
    /** The state type (simple class name). */
    @Param({"UserProfile", "UserContexts", "AlsCandidates", "UserFactorState", "ConsumedItems", "SessionLists"})
    public String type;

    /** {@code pojo} (Flink's POJO serializer) or {@code compact} (the job's state serializer). */
    @Param({"pojo", "compact"})
    public String format;

    private TypeSerializer<Object> serializer;
    private Object value;
    private final DataOutputSerializer out = new DataOutputSerializer(16 * 1024);
    private final DataInputDeserializer in = new DataInputDeserializer();

    /** Builds the value and its Flink serializer. */
    @Setup
    @SuppressWarnings("unchecked")
    public void setup() throws IOException {
        value = StateSamples.of(type);
        serializer = "compact".equals(format)
                ? (TypeSerializer<Object>) compactSerializer(type)
                : (TypeSerializer<Object>)
                        TypeInformation.of(value.getClass()).createSerializer(new SerializerConfigImpl());
        out.clear();
        serializer.serialize(value, out);
        // JMH shows a fork's output: the size is the other half of what the state backend pays.
        System.out.println(type + ": " + out.length() + " bytes serialised by "
                + serializer.getClass().getSimpleName() + " (" + format + ")");
    }

    /** The serializer the job's state descriptor registers for {@code type}. */
    static TypeSerializer<?> compactSerializer(String type) {
        switch (type) {
            case "UserProfile":
                return UserRecommender.createProfileDescriptor(Duration.ofDays(1))
                        .getSerializer();
            case "UserContexts":
                return UserRecommender.createContextsDescriptor(Duration.ofDays(1))
                        .getSerializer();
            case "AlsCandidates":
                return UserRecommender.createAlsDescriptor(Duration.ofDays(1)).getSerializer();
            case "UserFactorState":
                return UserFactors.createStateDescriptor(AlsConfig.builder().build())
                        .getSerializer();
            case "ConsumedItems":
                return UserRecommender.createConsumedDescriptor(Duration.ofDays(1))
                        .getSerializer();
            case "SessionLists":
                return UserRecommender.createSessionListsDescriptor(Duration.ofDays(1))
                        .getSerializer();
            default:
                throw new IllegalArgumentException("unknown state type " + type);
        }
    }

    /** Serialises the value and reads it back. */
    @Benchmark
    public Object roundTrip() throws IOException {
        out.clear();
        serializer.serialize(value, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return serializer.deserialize(in);
    }

    /** Realistic values of the state types. */
    static final class StateSamples {
        private StateSamples() {}

        static Object of(String type) {
            Random random = new Random(42);
            switch (type) {
                case "UserProfile":
                    return profile();
                case "UserContexts":
                    return contexts();
                case "AlsCandidates":
                    return alsCandidates(random);
                case "UserFactorState":
                    return factorState(random);
                case "ConsumedItems":
                    return consumed(random);
                case "SessionLists":
                    return sessionLists(random);
                default:
                    throw new IllegalArgumentException("unknown state type " + type);
            }
        }

        private static UserProfile profile() {
            UserProfile p = new UserProfile();
            ProfilePolicy policy = new ProfilePolicy();
            for (Event e : Corpus.eventsOfOneUser(1000)) {
                p.apply(e, policy);
            }
            return p;
        }

        private static UserContexts contexts() {
            UserContexts c = new UserContexts();
            String[] buckets = {"weekday-morning", "weekday-evening", "weekend-day", "weekday-night"};
            String[] devices = {"mobile", "desktop"};
            for (String bucket : buckets) {
                for (String device : devices) {
                    c.markPending(
                            ContextDefaults.contextKey("u4pru", bucket, device),
                            Corpus.START_MILLIS,
                            UserRecommender.DEFAULT_MAX_CONTEXTS);
                }
            }
            return c;
        }

        private static AlsCandidates alsCandidates(Random random) {
            World world = new World(Corpus.USERS, Corpus.ITEMS, Corpus.SEED);
            int n = 50;
            String[] items = new String[n];
            double[] scores = new double[n];
            String[] categories = new String[n];
            for (int i = 0; i < n; i++) {
                int item = random.nextInt(Corpus.ITEMS);
                items[i] = World.itemId(item);
                scores[i] = random.nextDouble() * 5;
                categories[i] = world.categoryOf(item);
            }
            AlsCandidates c = new AlsCandidates(World.userId(7), items, scores, Corpus.START_MILLIS);
            c.categories = categories;
            return c;
        }

        private static UserFactorState factorState(Random random) {
            UserFactorState s = new UserFactorState();
            s.factors = new double[10];
            for (int f = 0; f < s.factors.length; f++) {
                s.factors[f] = random.nextGaussian() * 0.3;
            }
            for (int i = 0; i < AlsConfig.DEFAULT_MAX_RECENT; i++) {
                s.touch(World.itemId(random.nextInt(Corpus.ITEMS)), 1.0, true, AlsConfig.DEFAULT_MAX_RECENT);
            }
            s.eventTime = Corpus.START_MILLIS;
            return s;
        }

        /** A session's lists and the latest document's, k = 10, every arm but the untrained ranker filled. */
        private static SessionLists sessionLists(Random random) {
            SessionLists s = new SessionLists();
            for (int round = 0; round < 2; round++) {
                s.resetNext(10);
                for (int arm = 0; arm < ArmScores.ARMS - 1; arm++) {
                    List<String> items = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        items.add(World.itemId(random.nextInt(Corpus.ITEMS / 10)));
                    }
                    s.setNext(arm, items);
                }
                if (round == 0) {
                    s.promote();
                }
            }
            s.lastEventTime = Corpus.START_MILLIS;
            return s;
        }

        private static ConsumedItems consumed(Random random) {
            ConsumedItems c = new ConsumedItems();
            for (int i = 0; i < 500; i++) {
                c.add(World.itemId(random.nextInt(Corpus.ITEMS)), ConsumedItems.DEFAULT_MAX);
            }
            return c;
        }
    }
}
