package io.desire.jobs.backfill;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.als.AlsLoopCounts;
import io.desire.operators.als.ItemFactorUpdate;
import io.desire.operators.als.UserFactors;
import io.desire.operators.serving.UserRecommender;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill's view of its running job: waits for it to read every file (printing progress), for
 * the end-of-history ALS sweeps and final ranking, or for pending documents to leave — and fails with
 * the job's own cause as soon as the job stops. Status and accumulators are polled, as Flink's own
 * CLI does.
 */
final class RunningBackfill {
    private static final Logger LOG = LoggerFactory.getLogger(RunningBackfill.class);

    private final JobClient job;
    /** How often accumulators reach the client; null: not known, so the ALS loop gets fixed waits. */
    private final Duration accumulatorReports;

    RunningBackfill(JobClient job, Duration accumulatorReports) {
        this.job = job;
        this.accumulatorReports = accumulatorReports;
    }

    /**
     * History is read: once the last item vectors have gone round the loop, the ALS item side takes
     * {@code backfill.als-sweeps} more epochs over the interactions read ({@link
     * ItemFactorUpdate#sweepAll}), then every user is folded in again and ranked once more with the
     * final models ({@link ItemFactorUpdate#refreshAll}); each step waits until every ALS subtask has
     * done it and the vectors it moved have gone round the loop ({@link #awaitLoopQuiet}). The
     * documents follow within the coalescing interval, which the settle (or the drain) waits for.
     */
    void refreshAll(JobConfig cfg, long cutover, int parallelism, PrintStream out) throws Exception {
        // What the loop took at most before it was measured: a vector's coalescing, then Kafka.
        Duration loop = cfg.getDuration(ConfigKeys.ALS_UPDATE_INTERVAL).plusSeconds(2);
        int sweeps = cfg.getInt(ConfigKeys.BACKFILL_ALS_SWEEPS, 0, 100);
        for (int i = 1; i <= sweeps; i++) {
            String quiet = awaitLoopQuiet(loop, parallelism);
            long started = System.nanoTime();
            RefreshSignal.send(cfg, ItemFactorUpdate.sweepAll(cutover));
            awaitSubtasks(UserFactors.SWEPT_SUBTASKS_ACCUMULATOR, (long) parallelism * i, "ALS sweep " + i);
            out.printf(
                    Locale.ROOT,
                    "backfill: history read; ALS sweep %d of %d over the interactions read (%.1fs; before it, %s)%n",
                    i,
                    sweeps,
                    elapsed(started),
                    quiet);
        }
        String quiet = awaitLoopQuiet(loop, parallelism);
        out.printf(
                Locale.ROOT,
                "backfill: history read; ranking every user once more with the final models (%s)%n",
                quiet);
        RefreshSignal.send(cfg, ItemFactorUpdate.refreshAll(cutover));
        awaitSubtasks(UserFactors.REFRESHED_SUBTASKS_ACCUMULATOR, parallelism, "the final ranking of every user");
    }

    /**
     * Waits until nothing travels the ALS loop: {@link AlsLoopCounts#balanced} for the {@code
     * userSubtasks}, with the same counts seen twice at least one report interval apart
     * (accumulators reach the client with the task managers' heartbeats, so one balanced report may
     * predate the last sends). Waits {@code atMost} when the counts do not balance (another writer
     * on the topic, say) or the report interval is not known, as the fixed wait did before. Returns
     * what happened, for the progress line.
     */
    String awaitLoopQuiet(Duration atMost, int userSubtasks) throws Exception {
        long started = System.nanoTime();
        if (accumulatorReports == null) {
            settle(atMost);
            return String.format(Locale.ROOT, "a fixed %.1fs for the ALS loop", elapsed(started));
        }
        long deadline = started + atMost.toNanos();
        AlsLoopCounts seen = null;
        long seenAt = 0;
        AlsLoopCounts now = null;
        while (System.nanoTime() < deadline) {
            requireRunning("its ALS sweeps were done");
            now = AlsLoopCounts.of(job.getAccumulators().get());
            long at = System.nanoTime();
            if (!now.balanced(userSubtasks)) {
                seen = null;
            } else if (!now.equals(seen)) {
                seen = now;
                seenAt = at;
            } else if (at - seenAt >= accumulatorReports.toNanos()) {
                return String.format(Locale.ROOT, "the ALS loop was quiet after %.1fs", elapsed(started));
            }
            Thread.sleep(100);
        }
        LOG.info("The ALS loop's counts did not balance within {}: {}", atMost, now);
        return String.format(
                Locale.ROOT, "%.1fs for the ALS loop, whose counts did not balance: %s", elapsed(started), now);
    }

    /**
     * History is read and the models are final: the "history read" signal ({@link HistoryReadFeed})
     * makes every recommender subtask rank each pending (user, context) once and write it; waits until
     * every subtask has done so. Documents of final ALS candidates that arrive after the signal follow
     * within {@code recs.coalesce}, which the settle (or the drain) waits for.
     */
    void historyRead(JobConfig cfg, long cutover, int parallelism, PrintStream out) throws Exception {
        long started = System.nanoTime();
        RefreshSignal.send(cfg, HistoryReadFeed.signal(cutover));
        awaitSubtasks(UserRecommender.HISTORY_RANKED_ACCUMULATOR, parallelism, "the ranking of every pending document");
        out.printf(
                Locale.ROOT,
                "backfill: history read; every pending document ranked once with the final models (%.1fs)%n",
                elapsed(started));
    }

    /** Waits until the accumulator {@code name} reaches {@code target}: every subtask has done {@code what}. */
    private void awaitSubtasks(String name, long target, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (true) {
            requireRunning(what + " was done");
            Object done = job.getAccumulators().get().get(name);
            if (done instanceof Number n && n.longValue() >= target) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not finish within 30 min");
            }
            Thread.sleep(200);
        }
    }

    /** Prints progress until the job has read every file; throws if it fails or is cancelled first. */
    void waitUntilFilesRead(BackfillProgress progress, Duration every, long startedNanos, PrintStream out)
            throws Exception {
        long nextPrint = System.nanoTime();
        while (true) {
            JobStatus status = job.getJobStatus().get();
            if (status.isGloballyTerminalState()) {
                job.getJobExecutionResult().get(); // throws with the cause
                throw new IllegalStateException("the backfill job ended " + status + " before reading every file");
            }
            HistoryCounts acc = HistoryCounts.of(
                    status == JobStatus.RUNNING ? job.getAccumulators().get() : Map.of());
            if (progress.filesDone(acc)) {
                return;
            }
            if (System.nanoTime() >= nextPrint) {
                print(out, startedNanos, progress.line(acc, elapsed(startedNanos)));
                nextPrint = System.nanoTime() + every.toNanos();
            }
            // Status and accumulators are polled, as Flink's own CLI does.
            Thread.sleep(Math.min(500, Math.max(1, every.toMillis())));
        }
    }

    static void print(PrintStream out, long startedNanos, String line) {
        out.printf(Locale.ROOT, "[backfill %7.1fs] %s%n", elapsed(startedNanos), line);
        out.flush();
    }

    /** Lets pending documents and model publications leave before the savepoint; fails if the job does. */
    void settle(Duration settle) throws Exception {
        long until = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < until) {
            requireRunning("its savepoint");
            Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Returns while the job runs; else throws with the job's own cause, or that it stopped before {@code what}. */
    private void requireRunning(String what) throws Exception {
        if (job.getJobStatus().get() != JobStatus.RUNNING) {
            job.getJobExecutionResult().get();
            throw new IllegalStateException("the backfill job stopped before " + what);
        }
    }

    void cancelQuietly() {
        try {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        } catch (Exception e) {
            LOG.warn("Could not cancel the backfill job {}: {}", job.getJobID(), e.toString());
        }
    }

    static double elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
