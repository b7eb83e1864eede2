package io.desire.jobs.backfill;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.desire.features.event.RawRecord;
import io.desire.jobs.HistoryInput;
import io.desire.jobs.JobEnvironment;
import io.desire.jobs.LearningPipeline;
import io.desire.jobs.OutputSinks;
import io.desire.jobs.RecommendationPipeline;
import io.desire.jobs.StreamingJob;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.history.Cutover;
import io.desire.jobs.history.HistoryFile;
import io.desire.jobs.history.HistoryFormat;
import io.desire.jobs.history.HistorySorter;
import io.desire.jobs.io.LocalFolders;
import io.desire.jobs.io.ModelLoops;
import io.desire.operators.Uids;
import io.desire.sinks.elasticsearch.IndexGenerations;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill: runs the streaming job's operators over history files and hands the result over.
 *
 * <ol>
 *   <li>Reads {@code history.input} with Flink's FileSource (JSONL events, CSV, MovieLens), through
 *       the same graph as the streaming job — parsing, de-duplication, catalog, context windows,
 *       profiles, ALS, co-visitation, the feedback join and the FTRL learner, with the model loops
 *       closed through Kafka as in the live job — in event-time order. File events at or after the
 *       {@link Cutover} are left to Kafka.
 *   <li>Writes recommendations into a fresh generation index of the alias ({@code es.index}) and,
 *       only when the run finished cleanly, moves the alias to it in one atomic request, keeping
 *       {@code backfill.keep-indices} older generations for rollback. A failed backfill leaves the
 *       alias where it was.
 *   <li>With {@code backfill.bootstrap-dir}, ends in a bootstrap savepoint ({@link BootstrapSavepoint})
 *       holding every operator's state under the streaming job's uids, and a manifest with the
 *       cut-over ({@link BootstrapManifest}); the streaming job started from it with {@code
 *       --kafka.starting-offsets <cut-over>} reads exactly the events the backfill did not.
 * </ol>
 *
 * <p>It runs in STREAMING mode: the operators exchange model updates through broadcasts and the
 * Kafka loops, which BATCH mode would reorder (each key's input at once, broadcast inputs first) and
 * cannot close. What it saves against a live replay: no Kafka in front of the events, no periodic
 * checkpoints, and documents coalesced over 30 s (unless {@code checkpoint.interval} /
 * {@code recs.coalesce} are given). Progress — files, records,
 * bytes, rate, ETA — is printed every {@code backfill.progress-interval}, then a summary.
 */
public final class BackfillJob {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillJob.class);
    /** Heartbeat interval of a backfill run in this JVM: how often its accumulators reach the client. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(250);
    /** Checkpoint interval of a backfill that was not given one: in effect none. */
    static final String DEFAULT_CHECKPOINT_INTERVAL = "365d";
    /** How long the final savepoint may take. */
    static final Duration BACKFILL_SAVEPOINT_TIMEOUT = Duration.ofHours(2);
    /** Document coalescing of a backfill that was not given one. */
    static final String DEFAULT_COALESCE = "30s";
    /**
     * Document coalescing of a backfill that ranks at the end of history ({@code backfill.rank-at-end}):
     * during history none is written; after it only the stragglers (a user's final ALS candidates
     * arriving after the "history read" signal) wait this long.
     */
    static final String DEFAULT_COALESCE_RANK_AT_END = "200ms";
    /** Documents per bulk request of a backfill that was not given {@code es.bulk-actions}. */
    static final String DEFAULT_BULK_ACTIONS = "5000";
    /** Bulk request size of a backfill that was not given {@code es.bulk-size}. */
    static final String DEFAULT_BULK_SIZE = "16mb";
    /**
     * ALS candidate coalescing of a backfill that was not given one: lists of the history's users
     * are recomputed exactly by the final refresh, so the intermediate ones only need to be rare.
     */
    static final String DEFAULT_ALS_CANDIDATES_INTERVAL = "30s";

    private BackfillJob() {}

    public static void main(String[] args) throws Exception {
        try {
            JobConfig cfg = JobConfig.fromArgs(args);
            LOG.info("Desire Engine backfill, configuration {}", cfg.describe());
            run(cfg, System.out);
        } catch (BackfillFailedException e) {
            System.err.println("backfill failed: " + e.getMessage());
            System.exit(1);
        } catch (IllegalArgumentException | java.io.IOException e) {
            // Bad settings or unreadable input: nothing was started, the alias is untouched.
            System.err.println("backfill: " + e.getMessage());
            System.exit(2);
        }
    }

    /** What a finished backfill did. */
    public record Summary(
            String index,
            List<String> previousIndices,
            List<String> deletedIndices,
            long files,
            long records,
            long afterCutover,
            long cutoverMillis,
            double readSeconds,
            double seconds,
            String bootstrapSavepoint) {
        public double recordsPerSecond() {
            return seconds > 0 ? records / seconds : 0;
        }

        /** Prints what the backfill into {@code alias} did, and how to start the streaming job from it. */
        void print(String alias, PrintStream out) {
            out.printf(
                    Locale.ROOT,
                    "backfill done in %.1fs: %,d file(s), %,d records (%,.0f records/s), %,d left to Kafka"
                            + " (at or after the cut-over)%n",
                    seconds,
                    files,
                    records,
                    recordsPerSecond(),
                    afterCutover);
            out.printf(
                    Locale.ROOT,
                    "alias %s → %s (was %s); deleted %s%n",
                    alias,
                    index,
                    previousIndices.isEmpty() ? "none" : String.join(", ", previousIndices),
                    deletedIndices.isEmpty() ? "nothing" : String.join(", ", deletedIndices));
            if (bootstrapSavepoint != null) {
                out.printf(
                        Locale.ROOT,
                        "bootstrap savepoint %s (manifest %s)%n",
                        bootstrapSavepoint,
                        BootstrapManifest.pathOf(bootstrapSavepoint));
                out.printf(
                        Locale.ROOT,
                        "start the streaming job from it:%n  bin/desire submit -s %s -- --kafka.starting-offsets %d%n",
                        bootstrapSavepoint,
                        cutoverMillis);
            }
        }
    }

    /** A backfill that did not finish cleanly; the alias was not moved. */
    public static final class BackfillFailedException extends Exception {
        public BackfillFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs the backfill of {@code cfg} and prints its progress and summary to {@code out}. */
    public static Summary run(JobConfig cfg, PrintStream out) throws Exception {
        long started = System.currentTimeMillis();
        // Before anything is created: a file that cannot be read as history fails the run here.
        List<HistoryFile> files = HistoryInput.files(cfg);
        long totalBytes = files.stream().mapToLong(HistoryFile::size).sum();
        long cutover = Cutover.of(cfg, started);
        String bootstrapDir = qualified(cfg.getOptional(ConfigKeys.BACKFILL_BOOTSTRAP_DIR));
        int keep = cfg.getInt(ConfigKeys.BACKFILL_KEEP_INDICES, 0, 1000);
        Duration every = cfg.getDuration(ConfigKeys.BACKFILL_PROGRESS_INTERVAL);
        JobConfig jobCfg = backfillConfig(cfg);
        String alias = jobCfg.getString(ConfigKeys.ES_INDEX);
        IndexGenerations generations = new IndexGenerations(alias, 0, OutputSinks.searchableItems(jobCfg));
        ElasticsearchClient es = OutputSinks.recommendations(jobCfg).createClient();
        // The sorted copy of the history, when backfill.sort is on: removed however the run ends.
        java.nio.file.Path sortDir = null;
        try {
            String index = generations.createNext(es);
            out.printf(
                    Locale.ROOT,
                    "backfill: %d file(s), %.1f MiB, cut-over %s (%d) → index %s%n",
                    files.size(),
                    totalBytes / 1048576.0,
                    Instant.ofEpochMilli(cutover),
                    cutover,
                    index);
            // The run's own files (its savepoint, and checkpoint folders unless checkpoint.dir is
            // given), deleted when it succeeded: next to the bootstrap, or in the temporary folder.
            String work = bootstrapDir != null ? trimSlash(bootstrapDir) + "/backfill-" + index : scratchDir(index);
            if (jobCfg.getOptional(ConfigKeys.CHECKPOINT_DIR) == null) {
                // Snapshots go to files, not the JobManager's memory, whose 5 MiB per task a
                // savepoint of any real history exceeds.
                jobCfg = jobCfg.with(ConfigKeys.CHECKPOINT_DIR.name(), work + "/checkpoints");
            }
            boolean sort = Boolean.parseBoolean(
                    jobCfg.getString(ConfigKeys.BACKFILL_SORT).trim());
            List<HistoryFile> input = files;
            HistoryFormat format = HistoryInput.format(jobCfg);
            if (sort) {
                sortDir = java.nio.file.Files.createTempDirectory("desire-history-sort");
                HistorySorter.Sorted sorted = new HistorySorter(
                                RecommendationPipeline.parserConfig(jobCfg), HistorySorter.DEFAULT_RUN_SIZE, out)
                        .sort(files, format, HistoryInput.contextColumns(jobCfg), sortDir);
                input = List.of(new HistoryFile(
                        new org.apache.flink.core.fs.Path(sorted.file().toUri()),
                        java.nio.file.Files.size(sorted.file())));
                format = HistoryFormat.SORTED;
            }
            Submitted submitted;
            try {
                submitted = submit(jobCfg, input, format, cutover, index, started);
            } catch (Exception e) {
                throw new BackfillFailedException(
                        "the job did not start; the alias '" + alias + "' still points where it"
                                + " did and the empty index " + index + " was left (" + rootMessage(e) + ")",
                        e);
            }
            BackfillProgress progress = new BackfillProgress(
                    input.size(), input.stream().mapToLong(HistoryFile::size).sum());
            long jobStarted = System.nanoTime();
            JobClient job = submitted.job();
            int parallelism = submitted.parallelism();
            RunningBackfill running = new RunningBackfill(job, submitted.accumulatorReports());
            HistoryCounts counts;
            String bootstrap = null;
            double readSeconds;
            try {
                running.waitUntilFilesRead(progress, every, jobStarted, out);
                readSeconds = RunningBackfill.elapsed(jobStarted);
                if (sort && LearningPipeline.enabled(jobCfg)) {
                    running.refreshAll(jobCfg, cutover, parallelism, out);
                }
                if (HistoryReadFeed.applies(jobCfg)) {
                    running.historyRead(jobCfg, cutover, parallelism, out);
                }
                if (bootstrapDir == null) {
                    // Drained: the final watermark fires what waits for event time or the end of
                    // input (pending documents), so the index is complete; the state is dropped.
                    out.println("backfill: history read; draining and stopping");
                    job.stopWithSavepoint(true, work + "/savepoint", SavepointFormatType.CANONICAL)
                            .get();
                    counts = HistoryCounts.of(job.getJobExecutionResult().get().getAllAccumulatorResults());
                    deleteQuietly(work);
                } else {
                    // Not drained: the state must be the live job's at the cut-over, not at the end of time.
                    Duration settle = settle(jobCfg);
                    out.printf(
                            Locale.ROOT,
                            "backfill: history read; %.1fs for pending documents to go out%n",
                            settle.toMillis() / 1000.0);
                    running.settle(settle);
                    String dir = trimSlash(bootstrapDir);
                    out.println("backfill: history read; stopping with a savepoint");
                    long stopping = System.nanoTime();
                    String raw = job.stopWithSavepoint(false, work + "/savepoint", SavepointFormatType.CANONICAL)
                            .get();
                    counts = HistoryCounts.of(job.getJobExecutionResult().get().getAllAccumulatorResults());
                    bootstrap = dir + "/bootstrap-" + index;
                    long rewriting = System.nanoTime();
                    out.printf(
                            Locale.ROOT,
                            "backfill: stopped with a savepoint (%.1fs); writing the bootstrap savepoint%n",
                            (rewriting - stopping) / 1e9);
                    BootstrapSavepoint.write(raw, bootstrap, HistoryReadFeed.applies(jobCfg));
                    out.printf(
                            Locale.ROOT,
                            "backfill: bootstrap savepoint written (%.1fs)%n",
                            (System.nanoTime() - rewriting) / 1e9);
                    // The bootstrap holds copies of the state files: the backfill's own savepoint can go.
                    deleteQuietly(work);
                    BootstrapManifest.of(bootstrap, cutover, index, alias, counts)
                            .write();
                }
                RunningBackfill.print(out, jobStarted, progress.line(counts, RunningBackfill.elapsed(jobStarted)));
            } catch (Exception e) {
                running.cancelQuietly();
                throw new BackfillFailedException(
                        "the alias '" + alias + "' still points where it did;" + " the partial index " + index
                                + " was left for inspection (" + rootMessage(e) + ")",
                        e);
            }
            double seconds = (System.nanoTime() - jobStarted) / 1e9;
            IndexGenerations.Promotion promotion = generations.promote(es, index, keep);
            Summary summary = new Summary(
                    index,
                    promotion.previous(),
                    promotion.deleted(),
                    counts.files(),
                    counts.records(),
                    counts.afterCutover(),
                    cutover,
                    readSeconds,
                    seconds,
                    bootstrap);
            summary.print(alias, out);
            return summary;
        } finally {
            es._transport().close();
            if (sortDir != null) {
                try {
                    LocalFolders.deleteTree(sortDir);
                } catch (java.io.IOException e) {
                    LOG.warn("Could not delete the sorted history {}: {}", sortDir, e.toString());
                }
            }
        }
    }

    /**
     * The job's settings where the user gave none: no periodic checkpoints (a failed backfill is run
     * again), documents coalesced over {@value #DEFAULT_COALESCE}, since only a user's last
     * document of the history is read by anyone — or, when documents are ranked once at the end of
     * history ({@code backfill.rank-at-end}), over {@value #DEFAULT_COALESCE_RANK_AT_END}, which then
     * only delays the few documents that follow the "history read" signal — and ALS candidate lists
     * over {@value #DEFAULT_ALS_CANDIDATES_INTERVAL}.
     */
    static JobConfig backfillConfig(JobConfig cfg) {
        JobConfig c = cfg;
        if (!cfg.isSet(ConfigKeys.CHECKPOINT_INTERVAL)) {
            c = c.with(ConfigKeys.CHECKPOINT_INTERVAL.name(), DEFAULT_CHECKPOINT_INTERVAL);
        }
        // Bulks: the backfill writes its documents in a burst and nobody waits for a single one.
        if (!cfg.isSet(ConfigKeys.ES_BULK_ACTIONS)) {
            c = c.with(ConfigKeys.ES_BULK_ACTIONS.name(), DEFAULT_BULK_ACTIONS);
        }
        if (!cfg.isSet(ConfigKeys.ES_BULK_SIZE)) {
            c = c.with(ConfigKeys.ES_BULK_SIZE.name(), DEFAULT_BULK_SIZE);
        }
        if (!cfg.isSet(ConfigKeys.COALESCE)) {
            c = c.with(
                    ConfigKeys.COALESCE.name(),
                    HistoryReadFeed.applies(cfg) ? DEFAULT_COALESCE_RANK_AT_END : DEFAULT_COALESCE);
        }
        if (!cfg.isSet(ConfigKeys.ALS_CANDIDATES_INTERVAL)) {
            c = c.with(ConfigKeys.ALS_CANDIDATES_INTERVAL.name(), DEFAULT_ALS_CANDIDATES_INTERVAL);
        }
        return c;
    }

    /** How long to wait after the last file before the bootstrap savepoint: pending documents go out first. */
    static Duration settle(JobConfig cfg) {
        return cfg.getOptional(ConfigKeys.BACKFILL_SETTLE) != null
                ? cfg.getDuration(ConfigKeys.BACKFILL_SETTLE)
                : cfg.getDuration(ConfigKeys.COALESCE).plusSeconds(1);
    }

    /**
     * A started backfill job, its parallelism, and how often its accumulators reach the client
     * ({@code null} when not known: the job runs on a cluster, under the cluster's heartbeats).
     */
    private record Submitted(JobClient job, int parallelism, Duration accumulatorReports) {}

    private static Submitted submit(
            JobConfig cfg, List<HistoryFile> files, HistoryFormat format, long cutover, String index, long loopStart)
            throws Exception {
        Configuration conf = JobEnvironment.flinkConfiguration(new Configuration(), cfg);
        // Accumulators (the progress) reach the client with the task managers' heartbeats.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, HEARTBEAT_INTERVAL);
        // A failure fails the backfill (the alias stays): with no checkpoint to restart from, a
        // restart would read everything again into the same index and loops.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // The final savepoint's barrier queues behind every record read before it: on a large
        // history that takes longer than a live job's checkpoint may.
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, BACKFILL_SAVEPOINT_TIMEOUT);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamingJob.ensureLoopTopics(cfg);
        ModelLoops loops = StreamingJob.modelLoops(cfg, loopStart);
        if (HistoryReadFeed.applies(cfg)) {
            HistoryReadFeed.ensureTopic(cfg);
            loops = new HistoryReadFeed(loops, cfg, loopStart);
        }
        // The source stays open after the last file: the driver stops the job (the model loops would
        // keep it running anyway), with a savepoint or drained.
        DataStream<RawRecord> raw = HistoryInput.backfill(env, cfg, files, format, cutover, true);
        StreamingJob.defineWorkflow(
                raw,
                cfg,
                new StreamingJob.Sinks(
                        recs -> recs.sinkTo(OutputSinks.recommendationsInto(cfg, index))
                                .uid(Uids.RECOMMENDATION_SINK)
                                .name("elasticsearch: " + index),
                        dead -> OutputSinks.attachDeadLetters(dead, cfg),
                        null),
                loops);
        boolean local = "local".equals(env.getConfiguration().get(DeploymentOptions.TARGET));
        return new Submitted(
                env.executeAsync("desire-backfill " + index), env.getParallelism(), local ? HEARTBEAT_INTERVAL : null);
    }

    /** Where a backfill without a bootstrap keeps its files: {@code state.savepoints.dir} is not required. */
    private static String scratchDir(String index) {
        return new org.apache.flink.core.fs.Path(System.getProperty("java.io.tmpdir"), "desire-backfill-" + index)
                .makeQualified(org.apache.flink.core.fs.local.LocalFileSystem.getSharedInstance())
                .toString();
    }

    private static void deleteQuietly(String path) {
        try {
            org.apache.flink.core.fs.Path p = new org.apache.flink.core.fs.Path(path);
            p.getFileSystem().delete(p, true);
        } catch (Exception e) {
            LOG.info("Could not delete the backfill's savepoint {}: {}", path, e.toString());
        }
    }

    /**
     * {@code dir} with its file system's scheme ({@code /data/boot} → {@code file:/data/boot}): Flink
     * takes checkpoint and savepoint folders only as URIs.
     */
    static String qualified(String dir) throws java.io.IOException {
        if (dir == null) {
            return null;
        }
        org.apache.flink.core.fs.Path p = new org.apache.flink.core.fs.Path(dir);
        return p.makeQualified(p.getFileSystem()).toString();
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
