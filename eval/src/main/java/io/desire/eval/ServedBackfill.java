package io.desire.eval;

import io.desire.jobs.backfill.BackfillJob;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One run of the real backfill ({@link BackfillJob}, in a Flink inside this JVM) over the training
 * files, isolated from every other run: its own alias {@code <prefix>-<name>} and its own model-loop
 * topics {@code <prefix>-<name>-factors / -weights}, dead letters to a file of the work folder. The
 * user's extra job arguments are applied to every run, then {@code recs.sources} for a source-alone
 * run. {@link #cleanUp} deletes the run's indices (unless kept) and topics.
 */
final class ServedBackfill {

    private final String kafka;
    private final String es;
    private final String prefix;
    private final Path work;
    private final List<String> inputs;
    private final List<String> jobArgs;

    ServedBackfill(String kafka, String es, String prefix, Path work, List<String> inputs, List<String> jobArgs) {
        this.kafka = kafka;
        this.es = es;
        this.prefix = prefix;
        this.work = work;
        this.inputs = List.copyOf(inputs);
        this.jobArgs = List.copyOf(jobArgs);
    }

    /** Keys each run sets itself, so runs stay isolated and are read where they were written. */
    static final List<ConfigKeys.Key> OWNED = List.of(
            ConfigKeys.KAFKA_BOOTSTRAP,
            ConfigKeys.ES_HOSTS,
            ConfigKeys.ES_INDEX,
            ConfigKeys.TOPIC_ITEM_FACTORS,
            ConfigKeys.TOPIC_RANKER_WEIGHTS,
            ConfigKeys.KAFKA_GROUP,
            ConfigKeys.DEAD_LETTER_PATH,
            ConfigKeys.HISTORY_INPUT);

    /**
     * The configuration of run {@code name}; {@code sources} (null: all) becomes {@code recs.sources}.
     *
     * @throws IllegalArgumentException when the job arguments set a key the evaluation owns, or are not
     *     valid job arguments
     */
    JobConfig config(String name, String sources) {
        for (String a : jobArgs) {
            for (ConfigKeys.Key key : OWNED) {
                if (a.equals("--" + key.name()) || a.startsWith("--" + key.name() + "=")) {
                    throw new IllegalArgumentException(key.name() + " is set by the evaluation for each run;"
                            + " leave it out of the job arguments");
                }
            }
        }
        List<String> args = new ArrayList<>(List.of(
                "--" + ConfigKeys.KAFKA_BOOTSTRAP.name(),
                kafka,
                "--" + ConfigKeys.ES_HOSTS.name(),
                es,
                "--" + ConfigKeys.ES_INDEX.name(),
                alias(name),
                "--" + ConfigKeys.TOPIC_ITEM_FACTORS.name(),
                alias(name) + "-factors",
                "--" + ConfigKeys.TOPIC_RANKER_WEIGHTS.name(),
                alias(name) + "-weights",
                "--" + ConfigKeys.KAFKA_GROUP.name(),
                alias(name),
                "--" + ConfigKeys.DEAD_LETTER_PATH.name(),
                work.resolve("deadletters-" + name).toUri().toString(),
                "--" + ConfigKeys.HISTORY_INPUT.name(),
                String.join(",", inputs)));
        args.addAll(jobArgs);
        if (sources != null) {
            args.add("--recs.sources");
            args.add(sources);
        }
        return JobConfig.fromArgs(args.toArray(new String[0]));
    }

    String alias(String name) {
        return (prefix + "-" + name).toLowerCase(Locale.ROOT);
    }

    /** Runs the backfill of {@code name}; progress goes to {@code out}; throws when it fails. */
    BackfillJob.Summary run(String name, String sources, PrintStream out) throws Exception {
        return BackfillJob.run(config(name, sources), out);
    }

    /** Deletes the run's model-loop topics and, unless {@code keepIndex}, its indices; returns what it deleted. */
    List<String> cleanUp(String name, boolean keepIndex) {
        List<String> deleted = new ArrayList<>();
        if (!keepIndex) {
            try {
                deleted.addAll(new ServedIndex(es, alias(name)).deleteIndices());
            } catch (Exception e) {
                deleted.add("(indices of " + alias(name) + " not deleted: " + e.getMessage() + ")");
            }
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        List<String> topics = List.of(alias(name) + "-factors", alias(name) + "-weights");
        try (Admin admin = Admin.create(p)) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> mine = topics.stream().filter(existing::contains).toList();
            admin.deleteTopics(mine).all().get(30, TimeUnit.SECONDS);
            deleted.addAll(mine);
        } catch (Exception e) {
            deleted.add("(topics " + topics + " not deleted: " + e.getMessage() + ")");
        }
        return deleted;
    }
}
