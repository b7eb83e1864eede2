package io.desire.jobs.privacy;

import io.desire.features.privacy.Erasure;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.io.LocalFolders;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/desire forget-sweep}: removes every user the erasure log names from the retained
 * snapshots (savepoints and checkpoints) under the given paths. For each snapshot, the users whose
 * erasure was logged after it was taken (less {@code privacy.sweep.margin}) are removed by
 * {@link SnapshotRewrite} into a new savepoint next to it, {@code <name>-swept-<time>}; only when the
 * read-back of the new one shows the old state minus exactly those users is the old one deleted. A
 * snapshot taken after all requests is left alone. A snapshot that cannot be rewritten is kept and
 * reported (exit code 1) — unless it holds a request logged more than {@code privacy.snapshot-retention}
 * ago, in which case it is deleted. Every outcome is recorded per request in the audit trail
 * ({@link SweepAudit}).
 *
 * <p>Arguments: snapshot or directory paths, then job configuration ({@code --kafka.bootstrap …},
 * {@code --privacy.erasure-topic …}, {@code --config FILE}). {@code --dry-run} lists what would be done.
 */
public final class ForgetSweep {
    private static final Logger LOG = LoggerFactory.getLogger(ForgetSweep.class);

    private final JobConfig cfg;
    private final PrintStream out;
    private final long now;

    ForgetSweep(JobConfig cfg, PrintStream out, long now) {
        this.cfg = cfg;
        this.out = out;
        this.now = now;
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the sweep named by {@code args}; returns the exit code (0 done, 1 some snapshot not swept, 2 usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        List<Path> paths = new ArrayList<>();
        List<String> config = new ArrayList<>();
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dry-run")) {
                dryRun = true;
            } else if (args[i].startsWith("--")) {
                config.add(args[i]);
                if (!args[i].contains("=") && i + 1 < args.length) {
                    config.add(args[++i]);
                }
            } else {
                paths.add(Path.of(
                        args[i].startsWith("file:")
                                ? java.net.URI.create(args[i]).getPath()
                                : args[i]));
            }
        }
        if (paths.isEmpty()) {
            err.println("usage: desire forget-sweep SNAPSHOT|DIRECTORY... [--dry-run] [--kafka.bootstrap HOST:PORT]"
                    + " [--privacy.erasure-topic T] [--privacy.audit-topic T] [--privacy.snapshot-retention 7d]");
            return 2;
        }
        JobConfig cfg;
        List<Snapshot> snapshots = new ArrayList<>();
        try {
            cfg = JobConfig.fromArgs(config.toArray(String[]::new));
            for (Path p : paths) {
                snapshots.addAll(Snapshot.under(p));
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("desire forget-sweep: " + e.getMessage() + "; nothing was changed");
            return 2;
        }
        List<Erasure> log;
        try {
            log = ErasureLogReader.readAll(
                    cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP),
                    io.desire.jobs.io.KafkaClientSettings.of(cfg),
                    cfg.getString(ConfigKeys.PRIVACY_ERASURE_TOPIC),
                    Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            err.println("desire forget-sweep: " + e.getMessage() + "; nothing was changed");
            return 1;
        }
        return new ForgetSweep(cfg, out, System.currentTimeMillis()).sweep(snapshots, log, dryRun) ? 0 : 1;
    }

    /** Sweeps each snapshot against the log; true when every one is free of the users erased since. */
    boolean sweep(List<Snapshot> snapshots, List<Erasure> log, boolean dryRun) throws Exception {
        Duration margin = cfg.getDuration(ConfigKeys.PRIVACY_SWEEP_MARGIN);
        Duration retention = cfg.getDuration(ConfigKeys.PRIVACY_SNAPSHOT_RETENTION);
        List<UserStateSpec> specs = UserStateSpec.forJob(cfg);
        out.printf("erasure log: %d requests; %d snapshots%n", log.size(), snapshots.size());
        boolean ok = true;
        try (SweepAudit audit = dryRun
                ? null
                : new SweepAudit(
                        cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP),
                        io.desire.jobs.io.KafkaClientSettings.of(cfg),
                        cfg.getString(ConfigKeys.PRIVACY_AUDIT_TOPIC))) {
            if (audit != null) {
                for (Erasure e : log) {
                    // committed in the erasure log = durable in state and documents (docs/privacy.md §3)
                    audit.record(e, "state+documents", null, null, now);
                }
            }
            for (Snapshot s : snapshots) {
                List<Erasure> due = log.stream()
                        .filter(e -> e.loggedAt >= s.coversUntil() - margin.toMillis())
                        .toList();
                Set<String> users = new LinkedHashSet<>();
                due.forEach(e -> users.add(e.user));
                if (users.isEmpty()) {
                    out.printf("%s: taken after every request, nothing to remove%n", s.dir());
                    continue;
                }
                if (dryRun) {
                    out.printf("%s: would remove %d users (%d requests)%n", s.dir(), users.size(), due.size());
                    continue;
                }
                Path target = s.rewriteTarget(now);
                try {
                    SnapshotRewrite.write(s.dir().toString(), target.toString(), specs, users);
                    int removed = SnapshotRewrite.verify(s.dir().toString(), target.toString(), specs, users);
                    for (Erasure e : due) {
                        audit.record(e, "snapshot", target.toString(), "removed", System.currentTimeMillis());
                    }
                    LocalFolders.deleteTree(s.dir());
                    out.printf(
                            "%s: %d state rows of %d users removed; rewritten and verified as %s; old one deleted%n",
                            s.dir(), removed, users.size(), target);
                } catch (Exception ex) {
                    LOG.error("sweeping {} failed", s.dir(), ex);
                    deleteQuietly(target);
                    long oldest = due.stream().mapToLong(e -> e.loggedAt).min().orElse(now);
                    if (now - oldest > retention.toMillis()) {
                        LocalFolders.deleteTree(s.dir());
                        for (Erasure e : due) {
                            audit.record(e, "snapshot", s.dir().toString(), "deleted", System.currentTimeMillis());
                        }
                        out.printf(
                                "%s: could not be rewritten (%s) and holds a request older than %s: deleted%n",
                                s.dir(), ex.getMessage(), retention);
                    } else {
                        ok = false;
                        out.printf("%s: NOT SWEPT, kept unchanged: %s%n", s.dir(), ex.getMessage());
                    }
                }
            }
        }
        return ok;
    }

    private static void deleteQuietly(Path dir) {
        try {
            LocalFolders.deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("could not remove the partial rewrite {}", dir, e);
        }
    }
}
