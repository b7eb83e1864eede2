package io.desire.jobs.io;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the engine's Kafka topics when they are missing; existing topics are left as they are. */
public final class Topics {
    /** Partitions of an events topic: room for a parallelism of 4 without repartitioning. */
    public static final int EVENT_PARTITIONS = 4;

    private Topics() {}

    /** Creates the events topic ({@value #EVENT_PARTITIONS} partitions) and the dead-letter topic (1). */
    public static void ensure(String bootstrap, String eventsTopic, String deadLetterTopic) throws InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            create(admin, new NewTopic(eventsTopic, EVENT_PARTITIONS, (short) 1));
            create(admin, new NewTopic(deadLetterTopic, 1, (short) 1));
        }
    }

    private static void create(Admin admin, NewTopic topic) throws InterruptedException {
        try {
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic " + topic.name() + ": " + e.getCause(), e);
            }
        }
    }
}
