package io.desire.jobs.io;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the engine's Kafka topics when they are missing; existing topics are left as they are.
 *
 * <p>The two feedback-loop topics ({@link #ensureLoops}) need topic-level settings, and an existing
 * loop topic whose settings would break its loop (not compacted, records too small, a compacted
 * weights topic, which refuses the learner's key-less records) is reported with a warning naming
 * the setting, its value and the expected one; it is not altered.
 */
public final class Topics {
    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    /** Partitions of an events topic: room for a parallelism of 4 without repartitioning ({@link TopicSpecs}). */
    public static final int EVENT_PARTITIONS = TopicSpecs.of("events").partitions();
    /** Partitions of the item-factors topic; every reader broadcasts all of them, so few suffice. */
    public static final int ITEM_FACTOR_PARTITIONS =
            TopicSpecs.of("item-factors").partitions();
    /** Largest item-vector record: far above a rank-256 vector (about 2 KiB). */
    public static final int ITEM_FACTOR_MAX_MESSAGE_BYTES =
            (int) TopicSpecs.of("item-factors").longSetting("max.message.bytes");
    /** Largest weight-delta record: a full delta of 2^20 buckets encodes to about 12 MiB. */
    public static final int RANKER_WEIGHT_MAX_MESSAGE_BYTES =
            (int) TopicSpecs.of("ranker-weights").longSetting("max.message.bytes");
    /** How long weight deltas are kept: enough to resume a job from a week-old savepoint. */
    public static final Duration RANKER_WEIGHT_RETENTION =
            Duration.ofMillis(TopicSpecs.of("ranker-weights").longSetting("retention.ms"));

    private Topics() {}

    /** Creates the events topic and the dead-letter topic ({@link TopicSpecs} roles {@code events}, {@code deadletter}). */
    public static void ensure(String bootstrap, String eventsTopic, String deadLetterTopic)
            throws InterruptedException {
        ensure(bootstrap, new Properties(), eventsTopic, deadLetterTopic);
    }

    /** As {@link #ensure(String, String, String)}, connecting with the {@code client} settings ({@link KafkaClientSettings}). */
    public static void ensure(String bootstrap, Properties client, String eventsTopic, String deadLetterTopic)
            throws InterruptedException {
        try (Admin admin = admin(bootstrap, client)) {
            create(admin, topic("events", eventsTopic));
            create(admin, topic("deadletter", deadLetterTopic));
        }
    }

    /** The topic of {@code role} under {@code name}, with the partitions and settings of {@link TopicSpecs}. */
    public static NewTopic topic(String role, String name) {
        TopicSpecs.Spec spec = TopicSpecs.of(role);
        NewTopic topic = new NewTopic(name, spec.partitions(), (short) 1);
        return spec.settings().isEmpty() ? topic : topic.configs(spec.settings());
    }

    /**
     * Creates the protected topic of complete dead letters (1 partition). Give it its own ACLs: its
     * records hold raw payloads, with raw user ids (docs/privacy.md).
     */
    public static void ensureRawDeadLetters(String bootstrap, Properties client, String topic)
            throws InterruptedException {
        try (Admin admin = admin(bootstrap, client)) {
            create(admin, topic("deadletter-raw", topic));
        }
    }

    /**
     * Creates the erasure log (1 partition, kept for ever: {@code retention.ms=-1}); it is an audit
     * trail and the list a snapshot sweep works from, so it must outlive every retained snapshot.
     */
    public static void ensureErasureLog(String bootstrap, Properties client, String topic) throws InterruptedException {
        try (Admin admin = admin(bootstrap, client)) {
            create(admin, topic("erasures", topic));
        }
    }

    /**
     * Creates the feedback-loop topics with the settings of {@link #itemFactorsTopic} and {@link
     * #rankerWeightsTopic}. Call it before the job starts: a broker with {@code
     * auto.create.topics.enable} would otherwise create them on the first write with its defaults.
     */
    public static void ensureLoops(
            String bootstrap, Properties client, String itemFactorsTopic, String rankerWeightsTopic)
            throws InterruptedException {
        try (Admin admin = admin(bootstrap, client)) {
            for (NewTopic topic : List.of(itemFactorsTopic(itemFactorsTopic), rankerWeightsTopic(rankerWeightsTopic))) {
                if (!create(admin, topic)) {
                    checkExisting(admin, topic);
                }
            }
        }
    }

    /**
     * The compacted topic of ALS item vectors, keyed by item id ({@link TopicSpecs} role {@code
     * item-factors}): {@code cleanup.policy=compact}, records up to {@link
     * #ITEM_FACTOR_MAX_MESSAGE_BYTES} bytes, broker append time as record time (what {@link
     * FeedbackLoops#loopStart} seeks by).
     */
    public static NewTopic itemFactorsTopic(String name) {
        return topic("item-factors", name);
    }

    /**
     * The topic of FTRL weight deltas ({@link TopicSpecs} role {@code ranker-weights}): 1 partition
     * (one learner, deltas in order), {@code cleanup.policy=delete} (records have no key), kept 7
     * days, records up to {@link #RANKER_WEIGHT_MAX_MESSAGE_BYTES} bytes, broker append time as
     * record time.
     */
    public static NewTopic rankerWeightsTopic(String name) {
        return topic("ranker-weights", name);
    }

    /**
     * The settings of an existing topic that differ from what {@code wanted} asks for, as {@code
     * key=actual (expected: wanted)}. Only what the loop relies on counts: whether the topic compacts
     * and a {@code max.message.bytes} at least as large; any {@code retention.ms} is fine, and so is
     * {@code CreateTime}, since the loop sinks stamp records with the wall clock at sending. Empty
     * when the topic can serve.
     */
    static List<String> mismatches(Map<String, String> wanted, Map<String, String> actual) {
        List<String> out = new ArrayList<>();
        wanted.forEach((key, expected) -> {
            String have = actual.get(key);
            if (key.equals("retention.ms") || key.equals("message.timestamp.type") || expected.equals(have)) {
                return;
            }
            if (key.equals("cleanup.policy")
                    && have != null
                    && List.of(have.split("\\s*,\\s*")).contains("compact") == expected.equals("compact")) {
                return; // compact,delete still compacts; delete alone or with others does not
            }
            if (key.equals("max.message.bytes") && have != null) {
                try {
                    if (Long.parseLong(have.trim()) >= Long.parseLong(expected)) {
                        return;
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
            out.add(key + '=' + have + " (expected: " + expected + ')');
        });
        return out;
    }

    private static void checkExisting(Admin admin, NewTopic topic) throws InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        Config config;
        try {
            config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        } catch (ExecutionException e) {
            LOG.warn(
                    "Cannot read the settings of existing topic {} to check them: {}",
                    topic.name(),
                    e.getCause().toString());
            return;
        }
        Map<String, String> actual = new HashMap<>();
        for (ConfigEntry entry : config.entries()) {
            actual.put(entry.name(), entry.value());
        }
        List<String> bad = mismatches(topic.configs(), actual);
        if (!bad.isEmpty()) {
            LOG.warn(
                    "Topic {} exists with settings its feedback loop cannot rely on: {}. It is left as it is; "
                            + "fix it with kafka-configs.sh --alter or delete it so it is created again.",
                    topic.name(),
                    bad);
        }
    }

    private static Admin admin(String bootstrap, Properties client) {
        Properties p = KafkaClientSettings.merged(new Properties(), client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }

    /** Creates the topic; false if it already existed. */
    private static boolean create(Admin admin, NewTopic topic) throws InterruptedException {
        try {
            admin.createTopics(List.of(topic)).all().get();
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic " + topic.name() + ": " + e.getCause(), e);
            }
            return false;
        }
    }
}
