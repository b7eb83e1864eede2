package io.desire.tools.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Looks at a running pipeline from the outside, as an operator would: documents readable in
 * Elasticsearch, committed dead-letter records in Kafka, and the consumer group's lag.
 */
public final class PipelineObserver implements AutoCloseable {
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
    private static final Pattern MODEL_VERSION = Pattern.compile("\"model_version\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String esUrl;
    private final String alias;
    private final String eventsTopic;
    private final String group;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> deadLetterReader;
    private long deadLetters;
    private String lastDeadLetter;

    public PipelineObserver(
            String bootstrap, String esUrl, String alias, String eventsTopic, String deadLetterTopic, String group) {
        this.esUrl = esUrl.endsWith("/") ? esUrl.substring(0, esUrl.length() - 1) : esUrl;
        this.alias = alias;
        this.eventsTopic = eventsTopic;
        this.group = group;
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(a);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(
                ConsumerConfig.GROUP_ID_CONFIG,
                "desire-observer-" + ProcessHandle.current().pid());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.deadLetterReader = new KafkaConsumer<>(c);
        this.deadLetterReader.subscribe(List.of(deadLetterTopic));
    }

    /** Documents in the read alias (visible after Elasticsearch's refresh), or -1 while it does not exist. */
    public long documents() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(esUrl + "/" + alias + "/_count"))
                            .GET()
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            Matcher m = COUNT.matcher(r.body());
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * The model version of the most recently updated document ({@code source-<name>}, {@code ftrl-<n>}
     * or {@code fm-<n>} with learning, {@code blend-v1} without), or "-" while there is none.
     */
    public String latestModelVersion() {
        String query = "{\"size\":1,\"_source\":[\"model_version\"],\"sort\":[{\"updated_at\":\"desc\"}]}";
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(esUrl + "/" + alias + "/_search"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(query))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = MODEL_VERSION.matcher(r.body());
            return r.statusCode() == 200 && m.find() ? m.group(1) : "-";
        } catch (IOException e) {
            return "-";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-";
        }
    }

    /** Dead-letter records committed so far (reads new ones without blocking long). */
    public long deadLetters() {
        ConsumerRecords<byte[], byte[]> records = deadLetterReader.poll(Duration.ofMillis(50));
        records.forEach(r -> lastDeadLetter = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
        deadLetters += records.count();
        return deadLetters;
    }

    /** The newest dead-letter record read, as JSON, or {@code null}. */
    public String lastDeadLetter() {
        return lastDeadLetter;
    }

    /**
     * Records of the events topic not yet covered by the job's committed offsets. The job commits
     * offsets when a checkpoint completes, so this includes up to one checkpoint interval of events.
     */
    public long lag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            Collection<TopicPartition> partitions =
                    admin
                            .describeTopics(List.of(eventsTopic))
                            .allTopicNames()
                            .get()
                            .get(eventsTopic)
                            .partitions()
                            .stream()
                            .map(p -> new TopicPartition(eventsTopic, p.partition()))
                            .collect(Collectors.toList());
            ListOffsetsResult ends =
                    admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())));
            long lag = 0;
            for (TopicPartition p : partitions) {
                long end = ends.partitionResult(p).get().offset();
                OffsetAndMetadata c = committed.get(p);
                lag += end - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (ExecutionException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The JSON of one search hit's {@code _id} and {@code user} in the alias, or {@code null}. */
    public String sampleDocumentId() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(esUrl + "/" + alias + "/_search?size=1&filter_path=hits.hits._id"))
                            .GET()
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"_id\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        deadLetterReader.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
