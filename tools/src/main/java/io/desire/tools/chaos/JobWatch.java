package io.desire.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches the job from the outside every half second through Flink's REST API: whether every task
 * runs, and when it last came back to running after being down. Also reads the consumer group's lag,
 * as an operator would. The job id may change (a recovery submits a new job).
 */
final class JobWatch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 500;

    private final LocalCluster cluster;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Admin admin;
    private final String group;
    private final String topic;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-job-watch");
        t.setDaemon(true);
        return t;
    });

    private volatile String job;
    private volatile boolean up;
    private volatile String state = "UNKNOWN";
    private volatile boolean sawDown;
    private volatile long upAgainAtNanos = -1;

    JobWatch(LocalCluster cluster, String bootstrap, String group, String topic) {
        this.cluster = cluster;
        this.group = group;
        this.topic = topic;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
        this.admin = Admin.create(p);
    }

    void start(String jobId) {
        this.job = jobId;
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Follows another job from now on (the one a recovery submitted). */
    void follow(String jobId) {
        this.job = jobId;
    }

    String job() {
        return job;
    }

    /** Forgets what was seen so far: {@link #upAgainAtNanos()} then speaks of what happens after this. */
    synchronized void mark() {
        sawDown = false;
        upAgainAtNanos = -1;
    }

    /** Whether every task of the job ran at the last look. */
    boolean up() {
        return up;
    }

    String state() {
        return state;
    }

    /** When the job last came back to running after the {@link #mark}, or -1 if it never was down. */
    synchronized long upAgainAtNanos() {
        return sawDown ? upAgainAtNanos : -1;
    }

    private void poll() {
        boolean now = false;
        String s;
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(cluster.flinkUrl() + "/jobs/" + job))
                            .timeout(Duration.ofSeconds(3))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode j = JSON.readTree(r.body());
                s = j.path("state").asText();
                now = s.equals("RUNNING");
                for (JsonNode v : j.path("vertices")) {
                    now &= v.path("status").asText().equals("RUNNING");
                }
            } else {
                s = "HTTP " + r.statusCode();
            }
        } catch (Exception e) {
            s = "unreachable";
        }
        synchronized (this) {
            if (!now) {
                sawDown = true;
            } else if (!up) {
                upAgainAtNanos = System.nanoTime();
            }
            up = now;
            state = now ? "RUNNING" : s.equals("RUNNING") ? "RUNNING (tasks starting)" : s;
        }
    }

    /**
     * Records of the events topic not yet covered by the group's committed offsets (the job commits
     * them when a checkpoint completes), or -1 while Kafka does not answer.
     */
    long lag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            List<TopicPartition> partitions = admin
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            Map<TopicPartition, OffsetSpec> latest =
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition p : partitions) {
                OffsetAndMetadata c = committed.get(p);
                lag += ends.get(p).offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
