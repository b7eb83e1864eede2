package io.desire.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.tools.chaos.LocalCluster.Service;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Injects one fault into the local cluster and heals it again the way an operator (or a process
 * supervisor) would, returning once the healing action is done. Whether the job recovers by itself
 * after that is for the campaign to observe.
 */
final class FaultInjector {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Checkpoints made to fail in a row: more than one, in case one is already in flight. */
    private static final int FAILING_CHECKPOINTS = 3;

    private final LocalCluster cluster;
    private final ChaosOptions options;
    private final HttpClient http = HttpClient.newHttpClient();

    FaultInjector(LocalCluster cluster, ChaosOptions options) {
        this.cluster = cluster;
        this.options = options;
    }

    /**
     * What was done, the job that runs afterwards (another one after a recovery), and when the fault
     * hit ({@link System#nanoTime()}; for a failing checkpoint, when Flink reported it).
     */
    record Injected(String detail, String job, long hitNanos) {}

    Injected inject(FaultKind kind, String job) throws Exception {
        long hit = System.nanoTime();
        return switch (kind) {
            case TM_KILL -> {
                long pid = cluster.signal(Service.TASKMANAGER, "KILL");
                LocalCluster.awaitExit(pid);
                cluster.desire("cluster", "start");
                yield new Injected("TaskManager pid " + pid + " killed; a new one started", job, hit);
            }
            case JM_KILL -> {
                long pid = cluster.signal(Service.JOBMANAGER, "KILL");
                LocalCluster.awaitExit(pid);
                // without HA the restarted cluster does not know the job: restart it and recover
                cluster.desire("cluster", "stop");
                cluster.desire("cluster", "start");
                String recovered = cluster.desire("recover", job);
                yield new Injected(
                        "JobManager pid " + pid + " killed; cluster restarted; recovered as " + recovered,
                        recovered,
                        hit);
            }
            case ES_OUTAGE -> {
                cluster.desire("stop", "es");
                pause(options.esOutage());
                cluster.desire("start", "es");
                yield new Injected("Elasticsearch down " + options.esOutage().toSeconds() + " s", job, hit);
            }
            case KAFKA_RESTART -> {
                long t = System.nanoTime();
                cluster.desire("stop", "kafka");
                cluster.desire("start", "kafka");
                yield new Injected(String.format("broker down %.0f s", (System.nanoTime() - t) / 1e9), job, hit);
            }
            case TM_PAUSE -> {
                long pid = cluster.signal(Service.TASKMANAGER, "STOP");
                try {
                    pause(options.pause());
                } finally {
                    cluster.signal(Service.TASKMANAGER, "CONT");
                }
                yield new Injected(
                        "TaskManager pid " + pid + " stopped " + options.pause().toSeconds() + " s", job, hit);
            }
            case CHECKPOINT_FAIL -> failCheckpoints(job);
        };
    }

    /**
     * Puts a regular file where the next checkpoints' folders go, so the JobManager cannot create them
     * and those checkpoints fail (as with a full or read-only checkpoint volume); removes the files
     * once Flink reports a failed checkpoint, or after two minutes.
     */
    private Injected failCheckpoints(String job) throws Exception {
        JsonNode before = checkpoints(job);
        long failedBefore = before.at("/counts/failed").asLong();
        // a recovered job numbers its checkpoints on from the one it was restored from
        long last = Math.max(
                before.at("/counts/total").asLong(),
                before.at("/latest/completed/id").asLong());
        last = Math.max(last, before.at("/latest/restored/id").asLong());
        for (JsonNode h : before.path("history")) {
            last = Math.max(last, h.path("id").asLong());
        }
        List<Path> blockers = new ArrayList<>();
        Path dir = cluster.checkpointsOf(job);
        for (long id = last + 1; blockers.size() < FAILING_CHECKPOINTS && id < last + 10; id++) {
            Path p = dir.resolve("chk-" + id);
            if (!Files.exists(p)) {
                blockers.add(Files.writeString(p, "chaos: this checkpoint must fail\n"));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long failed = failedBefore;
        long hit = System.nanoTime();
        try {
            while (failed == failedBefore && System.nanoTime() < deadline) {
                hit = System.nanoTime();
                pause(Duration.ofSeconds(1));
                try {
                    failed = checkpoints(job).at("/counts/failed").asLong();
                } catch (IOException e) {
                    failed = failedBefore; // the JobManager is busy restarting the job: ask again
                }
            }
        } finally {
            for (Path p : blockers) {
                Files.deleteIfExists(p);
            }
        }
        return new Injected(
                (failed - failedBefore) + " checkpoint(s) failed (chk-" + (last + 1) + ".. blocked)", job, hit);
    }

    private JsonNode checkpoints(String job) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(cluster.flinkUrl() + "/jobs/" + job + "/checkpoints"))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("checkpoint statistics of job " + job + ": HTTP " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }

    /** A fault of fixed length: the outage itself, not a wait for something to happen. */
    private static void pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
