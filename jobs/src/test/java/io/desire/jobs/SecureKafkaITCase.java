package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.KafkaClientSettings;
import io.desire.jobs.io.Topics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job against Kafka's SASL_SSL listener (SCRAM-SHA-512 over TLS) with its client
 * settings from {@code kafka.properties-file}, writing through the Elasticsearch TLS proxy with
 * {@code es.password-file} and {@code es.ca-cert}: events in, documents out, dead letters and model
 * updates through the secured listener; a wrong password stops the job at start-up with a message
 * that names the user, not the password.
 */
class SecureKafkaITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final List<String> USERS = List.of("ann", "ben", "cem");
    private static final Path LOG = Path.of("target", "test-logs", "jobs.log");

    private static SecureKafka secure;
    private static String esUrl;

    private final String run = Long.toString(System.nanoTime(), 36);
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void findServers() throws IOException {
        secure = SecureKafka.find("SecureKafkaITCase");
        esUrl = LocalServices.elasticsearchUrl();
    }

    /** After both tests: Kafka's clients logged their settings and the job its failures, but no secret. */
    @AfterAll
    static void noSecretInTheLogs() throws Exception {
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        assertThat(log).as("Kafka's client settings were logged").contains("sasl.jaas.config = [hidden]");
        assertThat(log).as("the refused login was logged").contains("failed authentication");
        String esPassword =
                Files.readString(secure.secure.resolve("es-password")).strip();
        String basic =
                Base64.getEncoder().encodeToString(("desire_writer:" + esPassword).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(secure.kafkaPassword(), esPassword, basic)) {
            assertThat(log).as("a secret in %s", LOG).doesNotContain(secret);
        }
    }

    @Test
    void aWrongPasswordStopsTheJobAtStartUpNamingTheUser(@TempDir Path tmp) throws Exception {
        String wrong = "not-" + secure.kafkaPassword();
        Path file = tmp.resolve("kafka-client.properties");
        Files.writeString(
                file,
                Files.readString(secure.clientProperties()).replace(secure.kafkaPassword(), wrong),
                StandardCharsets.UTF_8);
        JobConfig cfg = config(file, tmp);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> StreamingJob.wire(StreamExecutionEnvironment.getExecutionEnvironment(), cfg))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Kafka at " + secure.bootstrap + " refused the credentials of user 'desire'")
                .hasMessageContaining("kafka.properties-file")
                .message()
                .doesNotContain(wrong);
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("time to the error")
                .isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void eventsDeadLettersAndModelUpdatesFlowThroughTheSaslSslListener(@TempDir Path tmp) throws Exception {
        JobConfig cfg = config(secure.clientProperties(), tmp);
        Properties client = KafkaClientSettings.of(cfg);
        String topic = cfg.getString(ConfigKeys.KAFKA_TOPIC);
        Topics.ensure(secure.bootstrap, client, topic, cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                JobEnvironment.flinkConfiguration(new Configuration(), cfg));
        StreamingJob.wire(env, cfg);
        JobClient job = env.executeAsync("secure-kafka-itcase");
        try (KafkaProducer<byte[], byte[]> producer = producer(client)) {
            for (String item : List.of("b1", "b2", "b3", "m1", "m2")) {
                send(producer, topic, null, TestEvents.item(item, item.startsWith("b") ? "books" : "music"));
            }
            long t = TestEvents.T0;
            int seq = 0;
            for (int round = 0; round < 3; round++) {
                for (String user : USERS) {
                    for (String item : List.of("b1", "b2", "m1")) {
                        send(
                                producer,
                                topic,
                                user,
                                TestEvents.behaviour("e-" + seq++, user, item, "view", t += 100, null));
                    }
                }
            }
            send(producer, topic, null, "{\"event_id\":\"bad-1\",");
            producer.flush();

            for (String user : USERS) {
                assertThat(Eventually.poll(DEADLINE, () -> documentsOf(cfg, user), n -> n > 0))
                        .as("documents of %s", user)
                        .isPositive();
            }
            List<ConsumerRecord<byte[], byte[]>> dead = read(client, cfg.getString(ConfigKeys.DEAD_LETTER_TOPIC), 1);
            assertThat(dead).hasSize(1);
            assertThat(JSON.readTree(dead.get(0).value()).get("reason").asText())
                    .isEqualTo("NOT_JSON");
            assertThat(read(client, cfg.getString(ConfigKeys.TOPIC_ITEM_FACTORS), 1))
                    .as("item vectors published and read back through the secured listener")
                    .isNotEmpty();
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
            // Until the job is terminal its checkpoints may still be written into the temporary folder,
            // which JUnit deletes when the test returns. The result completes (exceptionally) then.
            job.getJobExecutionResult().handle((result, failure) -> null).get(60, TimeUnit.SECONDS);
        }
    }

    /** The job's configuration: Kafka through the SASL_SSL listener, Elasticsearch through the TLS proxy. */
    private JobConfig config(Path kafkaProperties, Path tmp) {
        Map<String, String> m = new HashMap<>();
        m.put(ConfigKeys.KAFKA_BOOTSTRAP.name(), secure.bootstrap);
        m.put(ConfigKeys.KAFKA_PROPERTIES_FILE.name(), kafkaProperties.toString());
        m.put(ConfigKeys.KAFKA_TOPIC.name(), "it-secure-events-" + run);
        m.put(ConfigKeys.KAFKA_GROUP.name(), "it-secure-" + run);
        m.put(ConfigKeys.DEAD_LETTER_TOPIC.name(), "it-secure-dead-" + run);
        m.put(ConfigKeys.TOPIC_ITEM_FACTORS.name(), "it-secure-factors-" + run);
        m.put(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), "it-secure-weights-" + run);
        m.put(ConfigKeys.PRIVACY_ERASURE_TOPIC.name(), "it-secure-erasures-" + run);
        m.put(ConfigKeys.ES_HOSTS.name(), secure.esProxyUrl);
        m.put(ConfigKeys.ES_USERNAME.name(), "desire_writer");
        m.put(
                ConfigKeys.ES_PASSWORD_FILE.name(),
                secure.secure.resolve("es-password").toString());
        m.put(ConfigKeys.ES_CA_CERT.name(), secure.secure.resolve("ca.pem").toString());
        m.put(ConfigKeys.ES_INDEX.name(), "it-secure-recs-" + run);
        m.put(ConfigKeys.PARALLELISM.name(), "1");
        m.put(ConfigKeys.CHECKPOINT_INTERVAL.name(), "1s");
        m.put(
                ConfigKeys.CHECKPOINT_DIR.name(),
                tmp.resolve("checkpoints").toUri().toString());
        m.put(ConfigKeys.OUT_OF_ORDERNESS.name(), "1s");
        m.put(ConfigKeys.IDLENESS.name(), "1s");
        return JobConfig.of(m);
    }

    private static KafkaProducer<byte[], byte[]> producer(Properties client) {
        Properties p = KafkaClientSettings.merged(new Properties(), client);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, secure.bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String json) {
        producer.send(new ProducerRecord<>(
                topic,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8)));
    }

    /** At least {@code expected} committed records of {@code topic} (fewer if the deadline passes). */
    private List<ConsumerRecord<byte[], byte[]>> read(Properties client, String topic, int expected) {
        Properties p = KafkaClientSettings.merged(new Properties(), client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, secure.bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-secure-reader-" + run + "-" + topic);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    /** Documents of {@code user} behind the job's alias, counted on the node itself. */
    private long documentsOf(JobConfig cfg, String user) throws Exception {
        return DocumentCounts.ofUser(cfg.getString(ConfigKeys.ES_INDEX), user);
    }
}
