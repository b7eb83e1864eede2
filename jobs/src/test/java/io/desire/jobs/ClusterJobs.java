package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.jobs.config.ConfigKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The jobs a cluster test starts through {@code bin/desire}: their arguments, the commands that start
 * them, and their cancellation when the test ends, whatever its outcome.
 */
final class ClusterJobs {
    private final DesireCli cli;
    private final List<String> started = new ArrayList<>();

    ClusterJobs(DesireCli cli) {
        this.cli = cli;
    }

    /**
     * Job arguments of a deployment of its own named {@code name}: its topics ({@code name.events},
     * dead letters, both loops), consumer group and alias, the suite's Kafka and Elasticsearch,
     * checkpoints every 2 s and a small ranker.
     */
    static Map<String, String> arguments(String name) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(ConfigKeys.KAFKA_BOOTSTRAP.name(), LocalServices.kafkaBootstrap());
        a.put(ConfigKeys.KAFKA_TOPIC.name(), name + ".events");
        a.put(ConfigKeys.KAFKA_GROUP.name(), name);
        a.put(ConfigKeys.DEAD_LETTER_TOPIC.name(), name + ".deadletter");
        a.put(ConfigKeys.TOPIC_ITEM_FACTORS.name(), name + ".item-factors");
        a.put(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), name + ".ranker-weights");
        a.put(ConfigKeys.ES_HOSTS.name(), LocalServices.elasticsearchUrl());
        a.put(ConfigKeys.ES_INDEX.name(), name);
        a.put(ConfigKeys.CHECKPOINT_INTERVAL.name(), "2s");
        a.put(ConfigKeys.RANKER_BITS.name(), "16");
        return a;
    }

    /** {@code bin/desire <command> <options> -- --key value ...}. */
    static String[] command(String command, Map<String, String> args, String... options) {
        List<String> line = new ArrayList<>(List.of(command));
        line.addAll(List.of(options));
        line.add("--");
        args.forEach((k, v) -> line.addAll(List.of("--" + k, v)));
        return line.toArray(String[]::new);
    }

    /** Takes note of a started job, to cancel it in {@link #cancelAll}; returns its id. */
    String started(String job) {
        assertThat(job).matches("[0-9a-f]{32}");
        started.add(job);
        return job;
    }

    /** Forgets a job that stopped by itself (a stop with savepoint, say). */
    void stopped(String job) {
        started.remove(job);
    }

    /** Cancels every job still noted as started. */
    void cancelAll() throws Exception {
        for (String job : started) {
            cli.run("cancel", job);
        }
        started.clear();
    }

    /** A producer of string records to the suite's Kafka, acknowledged by all replicas. */
    static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }
}
