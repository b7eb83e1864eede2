import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Tiny Kafka admin for bin/desire, run as a single-file program on the broker classpath:
 *
 * <pre>
 * java -cp "$(cat $DESIRE_HOME/kafka/classpath)" bin/lib/KafkaAdmin.java BOOTSTRAP ready
 * java -cp ... bin/lib/KafkaAdmin.java BOOTSTRAP create name:partitions[:key=value,key=value...] ...
 * </pre>
 *
 * {@code ready} exits 0 when the broker answers a real metadata request (cluster id, one broker, topic
 * listing). {@code create} creates missing topics (replication factor 1) with the given topic-level
 * settings (e.g. {@code cleanup.policy=compact}) and prints each topic's partition count; existing
 * topics are left as they are, with a note for each given setting they have a different value of.
 */
public class KafkaAdmin {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KafkaAdmin BOOTSTRAP ready | create name:partitions[:key=value,...]...");
            System.exit(2);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "5000");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "desire-admin");
        // a listener that demands credentials (SASL_SSL): client settings from this file
        String secured = System.getenv("DESIRE_KAFKA_ADMIN_PROPERTIES");
        if (secured != null && !secured.isBlank()) {
            try (java.io.Reader in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(secured))) {
                props.load(in);
            }
        }
        int rc = 0;
        try (Admin admin = Admin.create(props)) {
            switch (args[1]) {
                case "ready": {
                    String clusterId = admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS);
                    int brokers = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    admin.listTopics().names().get(5, TimeUnit.SECONDS);
                    if (brokers < 1) {
                        System.err.println("no broker registered yet");
                        rc = 1;
                    } else {
                        System.out.println("cluster " + clusterId + ", " + brokers + " broker(s)");
                    }
                    break;
                }
                case "create": {
                    Map<String, Integer> wanted = new LinkedHashMap<>();
                    Map<String, Map<String, String>> settings = new LinkedHashMap<>();
                    for (int i = 2; i < args.length; i++) {
                        String[] parts = args[i].split(":", 3);
                        wanted.put(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
                        Map<String, String> configs = new LinkedHashMap<>();
                        if (parts.length > 2 && !parts[2].isEmpty()) {
                            for (String kv : parts[2].split(",")) {
                                String[] pair = kv.split("=", 2);
                                if (pair.length != 2 || pair[0].isEmpty()) {
                                    throw new IllegalArgumentException("bad topic setting '" + kv + "' in " + args[i]
                                            + " (expected key=value)");
                                }
                                configs.put(pair[0], pair[1]);
                            }
                        }
                        settings.put(parts[0], configs);
                    }
                    List<NewTopic> topics = new ArrayList<>();
                    wanted.forEach((name, partitions) ->
                            topics.add(new NewTopic(name, partitions, (short) 1).configs(settings.get(name))));
                    var results = admin.createTopics(topics).values();
                    for (var e : results.entrySet()) {
                        try {
                            e.getValue().get(30, TimeUnit.SECONDS);
                        } catch (ExecutionException ex) {
                            if (!(ex.getCause() instanceof TopicExistsException)) {
                                System.err.println("creating " + e.getKey() + " failed: " + ex.getCause());
                                rc = 1;
                            }
                        }
                    }
                    Map<String, TopicDescription> described =
                            admin.describeTopics(wanted.keySet()).allTopicNames().get(30, TimeUnit.SECONDS);
                    for (String name : wanted.keySet()) {
                        int have = described.get(name).partitions().size();
                        String note = have < wanted.get(name) ? " (already existed with fewer partitions than " + wanted.get(name) + ")" : "";
                        Map<String, String> configs = settings.get(name);
                        if (!configs.isEmpty()) {
                            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                            Config actual = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
                            List<String> differing = new ArrayList<>();
                            configs.forEach((key, value) -> {
                                String current = actual.get(key) == null ? null : actual.get(key).value();
                                if (!value.equals(current)) {
                                    differing.add(key + "=" + current + " (wanted " + value + ")");
                                }
                            });
                            List<String> set = new ArrayList<>();
                            configs.forEach((key, value) -> set.add(key + "=" + value));
                            note += differing.isEmpty() ? " [" + String.join(", ", set) + "]"
                                    : " (already existed with " + String.join(", ", differing) + ")";
                        }
                        System.out.println("topic " + name + ": " + have + " partition(s)" + note);
                    }
                    break;
                }
                default:
                    System.err.println("unknown command " + args[1]);
                    rc = 2;
            }
        } catch (Exception e) {
            System.err.println("kafka admin: " + e);
            rc = rc == 0 ? 1 : rc;
        }
        System.exit(rc);
    }
}
