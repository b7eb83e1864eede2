package io.desire.tools.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.ops.EngineState;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A fault campaign on the local cluster: submits the job, sends {@link SequencedTraffic} in phases —
 * one fault-free, then one per fault — injects each fault while events keep arriving, measures how
 * long the job takes to run again and to catch up, and checks the oracle after each phase: every
 * user's documents count exactly the events sent to them, and no document ever went back. At the end
 * it stops the job with a savepoint and checks the profiles in it, the dead letters, and (optionally)
 * that a failure-free run over the same events holds the same profiles.
 */
public final class ChaosCampaign {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DOCUMENTS_CATCH_UP = Duration.ofMinutes(3);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ChaosOptions o;
    private final PrintStream out;
    private final LocalCluster cluster;
    private final FaultInjector injector;
    private final String run = "chaos-" + Long.toString(System.currentTimeMillis(), 36);
    private final long started = System.nanoTime();
    private long lostSoFar;
    private long twiceSoFar;
    private long nextProgress;

    public ChaosCampaign(ChaosOptions options, PrintStream out) throws IOException {
        this.o = options;
        this.out = out;
        this.cluster = new LocalCluster(options.desire(), options.home());
        this.injector = new FaultInjector(cluster, options);
    }

    public ChaosReport run() throws Exception {
        boolean clusterWasUp = cluster.clusterRunning();
        say("starting the Flink cluster (if not running), log of bin/desire: "
                + cluster.home().resolve("chaos"));
        cluster.desire("cluster", "start");
        Map<String, String> args = jobArguments(run);
        cluster.desire("topics", run + ".events:4", run + ".deadletter:1");
        ChaosReport report = new ChaosReport(String.format(
                "%,d events to %,d users at %,.0f/s, parallelism %d, restarts %s, job %s",
                o.events(), o.users(), o.rate(), o.parallelism(), o.tunedRestarts() ? "tuned" : "as shipped", run));
        String job = submit(args, List.of());
        say("job " + job + " running; sending events to " + run + ".events");
        long perPhase = o.events() / (o.faults().size() + 1);
        JobWatch jobs = new JobWatch(cluster, o.kafkaBootstrap(), run, run + ".events");
        try (SequencedTraffic traffic = new SequencedTraffic(
                        o.kafkaBootstrap(), run + ".events", run, o.users(), o.rate(), o.events(), o.badRecords());
                DocumentWatch docs = new DocumentWatch(o.esUrl(), run)) {
            jobs.start(job);
            docs.start();
            phase(report, null, perPhase, traffic, jobs, docs);
            for (FaultKind kind : o.faults()) {
                phase(report, kind, perPhase, traffic, jobs, docs);
                if (report.rows().get(report.rows().size() - 1).toLagZeroSeconds() < 0) {
                    report.check("the job recovered from " + kind.cliName() + " within " + o.recoveryTimeout(), false);
                    return report;
                }
            }
            try {
                finalChecks(report, args, jobs.job(), traffic);
            } catch (Exception e) {
                // the phases' figures stand; say which check could not be made and why
                report.check("final checks could not be completed: " + e, false);
                e.printStackTrace(out);
            }
            return report;
        } finally {
            jobs.close();
            cancelQuietly(jobs.job());
            if (!clusterWasUp) {
                cluster.desire("cluster", "stop");
            }
        }
    }

    /** Sends a phase's events; a fault (when given) is injected after three quarters of them. */
    private void phase(
            ChaosReport report,
            FaultKind kind,
            long events,
            SequencedTraffic traffic,
            JobWatch jobs,
            DocumentWatch docs)
            throws Exception {
        String name = kind == null ? "none" : kind.cliName();
        long regressedBefore = docs.regressions();
        long dipsBefore = docs.dips();
        long healthy = kind == null ? events : events * 3 / 4;
        await(name, traffic.send(healthy), traffic, jobs, docs);
        long fault = System.nanoTime();
        jobs.mark();
        Future<?> during = traffic.send(events - healthy);
        String detail = "no fault";
        if (kind != null) {
            say(name + ": " + kind.description());
            FaultInjector.Injected done = injector.inject(kind, jobs.job());
            detail = done.detail();
            jobs.follow(done.job());
            fault = done.hitNanos();
            say(name + ": " + detail);
        }
        double lagZero = -1;
        long deadline = fault + o.recoveryTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            long lag = jobs.lag();
            if (during.isDone() && jobs.up() && lag == 0) {
                during.get();
                lagZero = (System.nanoTime() - fault) / 1e9;
                break;
            }
            progress(name, traffic, jobs, docs, lag);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        long upAgain = jobs.upAgainAtNanos();
        double running = upAgain < 0 ? -1 : (upAgain - fault) / 1e9;
        requireSent(traffic);
        Map<String, Long> produced = traffic.produced();
        Map<String, Long> counted = awaitDocuments(name, produced, traffic, jobs, docs);
        long lost = 0;
        long twice = 0;
        for (String user : union(produced, counted)) {
            long diff = counted.getOrDefault(user, 0L) - produced.getOrDefault(user, 0L);
            lost += Math.max(0, -diff);
            twice += Math.max(0, diff);
        }
        ChaosReport.Row row = new ChaosReport.Row(
                name,
                detail,
                events,
                lost - lostSoFar,
                twice - twiceSoFar,
                docs.regressions() - regressedBefore,
                docs.dips() - dipsBefore,
                running,
                lagZero);
        lostSoFar = lost;
        twiceSoFar = twice;
        report.add(row);
        say(String.format(
                "%s done: lost %d, counted twice %d, older %d, dips %d, running after %s, lag 0 after %s",
                name,
                row.lost(),
                row.twice(),
                row.regressed(),
                row.dips(),
                running < 0 ? "(kept running)" : String.format("%.1f s", running),
                lagZero < 0 ? "(never)" : String.format("%.1f s", lagZero)));
        if (docs.firstRegression() != null && row.regressed() + row.dips() > 0) {
            say("first document seen going back: " + docs.firstRegression());
        }
    }

    private void await(String name, Future<?> sending, SequencedTraffic traffic, JobWatch jobs, DocumentWatch docs)
            throws Exception {
        while (!sending.isDone()) {
            progress(name, traffic, jobs, docs, -2);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        sending.get();
    }

    /** Each user's counted events, once they equal what was sent or after {@link #DOCUMENTS_CATCH_UP}. */
    private Map<String, Long> awaitDocuments(
            String name, Map<String, Long> produced, SequencedTraffic traffic, JobWatch jobs, DocumentWatch docs)
            throws InterruptedException {
        long deadline = System.nanoTime() + DOCUMENTS_CATCH_UP.toNanos();
        Map<String, Long> counted = docs.counts();
        while (System.nanoTime() < deadline) {
            try {
                counted = docs.read(true);
            } catch (IOException e) {
                // Elasticsearch still starting: ask again
            }
            if (counted.equals(produced)) {
                break;
            }
            progress(name + " (documents)", traffic, jobs, docs, -2);
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        return counted;
    }

    /** Stops the job with a savepoint; checks its profiles, the dead letters and the reference run. */
    private void finalChecks(ChaosReport report, Map<String, String> args, String job, SequencedTraffic traffic)
            throws Exception {
        say("stopping job " + job + " with a savepoint");
        String savepoint = cluster.desire("savepoint", job, "--stop");
        Map<String, Long> produced = traffic.produced();
        Map<String, String> profiles = profiles(savepoint, args);
        Map<String, Long> inState = new TreeMap<>();
        for (Map.Entry<String, String> p : profiles.entrySet()) {
            inState.put(p.getKey(), JSON.readTree(p.getValue()).path("events").asLong());
        }
        report.check(
                "profiles in the final savepoint count every event once (" + inState.size() + " users)",
                inState.equals(produced));
        DeadLetterCheck.Result letters =
                DeadLetterCheck.check(o.kafkaBootstrap(), run + ".deadletter", traffic.badRecords());
        report.check("dead letters are exactly the bad records: " + letters, letters.exact());
        if (o.reference()) {
            // not "<run>-ref": the job's index template for alias <run> matches <run>-*, and Elasticsearch
            // refuses a second template whose patterns overlap at the same priority
            String ref = run.replace("chaos-", "chaosref-");
            Map<String, String> refArgs = jobArguments(ref);
            refArgs.put(ConfigKeys.KAFKA_TOPIC.name(), run + ".events");
            say("reference: a failure-free job " + ref + " over the same " + run + ".events");
            String refJob = submit(refArgs, List.of());
            String refSavepoint;
            try (JobWatch watch = new JobWatch(cluster, o.kafkaBootstrap(), ref, run + ".events")) {
                watch.start(refJob);
                long deadline = System.nanoTime() + o.recoveryTimeout().toNanos();
                long lag;
                while ((lag = watch.lag()) != 0 && System.nanoTime() < deadline) {
                    if (System.nanoTime() >= nextProgress) {
                        say(String.format("reference: %,d events not yet committed", lag));
                        nextProgress = System.nanoTime() + PROGRESS_NANOS;
                    }
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                }
                refSavepoint = cluster.desire("savepoint", refJob, "--stop");
            } catch (Exception e) {
                cancelQuietly(refJob);
                throw e;
            }
            Map<String, String> refProfiles = profiles(refSavepoint, refArgs);
            long differ = 0;
            long recent = 0;
            for (String u : union(profiles, refProfiles)) {
                differ += ProfileComparison.same(profiles.get(u), refProfiles.get(u), Set.of("recentItems")) ? 0 : 1;
                recent += ProfileComparison.same(profiles.get(u), refProfiles.get(u), Set.of()) ? 0 : 1;
            }
            report.check(
                    "profiles equal those of a failure-free run over the same events, up to order and rounding"
                            + " and the arrival-ordered recentItems (" + differ + " of " + refProfiles.size()
                            + " differ; recentItems too: " + recent + ")",
                    differ == 0);
        }
    }

    private Map<String, String> profiles(String savepoint, Map<String, String> args) throws Exception {
        String path = savepoint.startsWith("file:") ? URI.create(savepoint).getPath() : savepoint;
        say("reading profiles from " + path + " (State Processor API)");
        return EngineState.read(path, JobConfig.of(args)).getOrDefault(EngineState.PROFILES, Map.of());
    }

    private String submit(Map<String, String> args, List<String> extra) throws Exception {
        List<String> line = new ArrayList<>(List.of("submit", "-p", Integer.toString(o.parallelism())));
        for (String kv : o.flinkSettings()) {
            line.addAll(List.of("-D", kv));
        }
        line.addAll(extra);
        line.add("--");
        args.forEach((k, v) -> line.addAll(List.of("--" + k, v)));
        return cluster.desire(line.toArray(String[]::new));
    }

    /** A deployment of its own: topics, group and alias named after {@code name}, reading from the start. */
    private Map<String, String> jobArguments(String name) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(ConfigKeys.KAFKA_BOOTSTRAP.name(), o.kafkaBootstrap());
        a.put(ConfigKeys.KAFKA_TOPIC.name(), name + ".events");
        a.put(ConfigKeys.KAFKA_GROUP.name(), name);
        a.put(ConfigKeys.KAFKA_START.name(), "earliest");
        a.put(ConfigKeys.DEAD_LETTER_TOPIC.name(), name + ".deadletter");
        a.put(ConfigKeys.TOPIC_ITEM_FACTORS.name(), name + ".item-factors");
        a.put(ConfigKeys.TOPIC_RANKER_WEIGHTS.name(), name + ".ranker-weights");
        a.put(ConfigKeys.ES_HOSTS.name(), o.esUrl());
        a.put(ConfigKeys.ES_INDEX.name(), name);
        a.putAll(o.jobArgs());
        return a;
    }

    private static void requireSent(SequencedTraffic traffic) {
        if (traffic.failed() > 0) {
            throw new IllegalStateException(
                    traffic.failed() + " records could not be sent, so what the job should"
                            + " have counted is unknown",
                    traffic.firstFailure());
        }
    }

    private void progress(String phase, SequencedTraffic traffic, JobWatch jobs, DocumentWatch docs, long lag) {
        if (System.nanoTime() < nextProgress) {
            return;
        }
        nextProgress = System.nanoTime() + PROGRESS_NANOS;
        long l = lag == -2 ? jobs.lag() : lag;
        Map<String, Long> produced = traffic.produced();
        Map<String, Long> counted = docs.counts();
        long exact = produced.entrySet().stream()
                .filter(e -> e.getValue().equals(counted.get(e.getKey())))
                .count();
        say(String.format(
                "%-22s sent %,d | lag %s | job %s | documents %,d | users exact %,d/%,d | older %d | dips %d",
                phase,
                traffic.sent(),
                l < 0 ? "?" : String.format("%,d", l),
                jobs.state(),
                docs.documents(),
                exact,
                produced.size(),
                docs.regressions(),
                docs.dips()));
    }

    private void cancelQuietly(String job) {
        try {
            cluster.desire("cancel", job);
        } catch (Exception e) {
            // already stopped (with its savepoint) or gone with a JobManager
        }
    }

    private static <V> TreeSet<String> union(Map<String, V> a, Map<String, V> b) {
        TreeSet<String> s = new TreeSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    private void say(String line) {
        out.printf("[%5ds] %s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), line);
    }
}
