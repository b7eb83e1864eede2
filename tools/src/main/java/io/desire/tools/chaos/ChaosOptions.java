package io.desire.tools.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one campaign does: how many events, to how many users, at what rate, which faults in which
 * order, and how the job is configured. {@link #parse} reads the command line of {@code bin/desire
 * chaos}; every option has a default that runs the whole campaign.
 *
 * @param desire the {@code bin/desire} script that drives the cluster
 * @param home the {@code DESIRE_HOME} whose Kafka, Elasticsearch and Flink cluster are used
 * @param events events sent over the whole campaign (split evenly over a fault-free phase and one
 *     phase per fault)
 * @param badRecords records sent that the job must turn into dead letters, spread over the run
 * @param faults the faults, in order; one phase each
 * @param esOutage how long Elasticsearch stays down
 * @param pause how long the TaskManager stays frozen (longer than {@code heartbeat.timeout})
 * @param tunedRestarts submit the job with {@link #TUNED_RESTARTS} instead of the shipped settings
 * @param recoveryTimeout how long a phase may take to recover before the campaign gives up on it
 * @param reference also run a failure-free job over the same events and compare its profiles
 * @param jobArgs extra job arguments ({@code key -> value}), after the campaign's own
 */
public record ChaosOptions(
        Path desire,
        Path home,
        String kafkaBootstrap,
        String esUrl,
        long events,
        int users,
        double rate,
        int badRecords,
        int parallelism,
        List<FaultKind> faults,
        Duration esOutage,
        Duration pause,
        boolean tunedRestarts,
        Duration recoveryTimeout,
        boolean reference,
        Map<String, String> jobArgs) {

    /** The default schedule: two TaskManager kills and one of each other fault. */
    public static final List<FaultKind> ALL_FAULTS = List.of(
            FaultKind.TM_KILL,
            FaultKind.ES_OUTAGE,
            FaultKind.KAFKA_RESTART,
            FaultKind.TM_PAUSE,
            FaultKind.CHECKPOINT_FAIL,
            FaultKind.JM_KILL,
            FaultKind.TM_KILL);

    /**
     * Restart settings for a job that meets faults often: a fixed 1 s delay instead of the exponential
     * backoff (which grows with each restart within an hour), and two failed checkpoints tolerated
     * before the job restarts.
     */
    public static final List<String> TUNED_RESTARTS = List.of(
            "restart-strategy.type=fixed-delay",
            "restart-strategy.fixed-delay.attempts=2147483647",
            "restart-strategy.fixed-delay.delay=1s",
            "execution.checkpointing.tolerable-failed-checkpoints=2");

    public ChaosOptions {
        if (events < 1_000L * (faults.size() + 1)) {
            throw new IllegalArgumentException(
                    "--events must be at least 1000 per phase (" + (faults.size() + 1) + " phases), got " + events);
        }
        if (users < 1 || rate <= 0 || parallelism < 1 || badRecords < 0) {
            throw new IllegalArgumentException(
                    "--users, --rate and --parallelism must be positive, --bad-records >= 0");
        }
        faults = List.copyOf(faults);
        jobArgs = Map.copyOf(jobArgs);
    }

    /**
     * Reads {@code --key value} options: {@code --events N --users U --rate R --bad-records B
     * --parallelism P --faults a,b,... --tm-kills K --es-outage 60s --pause 65s --restarts
     * default|tuned --recovery-timeout 10min --reference yes|no --job-arg key=value} (repeatable), plus the
     * {@code --kafka-bootstrap} and {@code --es-url} that {@code bin/desire chaos} passes.
     */
    public static ChaosOptions parse(String[] args, Path desire, Path home) {
        Map<String, String> o = new LinkedHashMap<>();
        Map<String, String> jobArgs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "': options are --key value");
            }
            String key = args[i].substring(2);
            if (key.equals("job-arg")) {
                String[] kv = args[i + 1].split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("--job-arg needs key=value, got " + args[i + 1]);
                }
                jobArgs.put(kv[0], kv[1]);
            } else {
                o.put(key, args[i + 1]);
            }
        }
        List<FaultKind> faults = new ArrayList<>();
        if (o.containsKey("faults")) {
            for (String f : o.remove("faults").split(",")) {
                faults.add(FaultKind.of(f));
            }
        } else {
            faults.addAll(ALL_FAULTS);
        }
        int tmKills = Integer.parseInt(o.getOrDefault("tm-kills", "0"));
        o.remove("tm-kills");
        for (int i = 0; i < tmKills; i++) {
            faults.add(FaultKind.TM_KILL);
        }
        String restarts = o.getOrDefault("restarts", "default");
        if (!restarts.equals("default") && !restarts.equals("tuned")) {
            throw new IllegalArgumentException("--restarts is default or tuned, got " + restarts);
        }
        ChaosOptions options = new ChaosOptions(
                desire,
                home,
                require(o, "kafka-bootstrap"),
                require(o, "es-url"),
                Long.parseLong(o.getOrDefault("events", "100000")),
                Integer.parseInt(o.getOrDefault("users", "1000")),
                Double.parseDouble(o.getOrDefault("rate", "1000")),
                Integer.parseInt(o.getOrDefault("bad-records", "20")),
                Integer.parseInt(o.getOrDefault("parallelism", "2")),
                faults,
                duration(o.getOrDefault("es-outage", "60s")),
                duration(o.getOrDefault("pause", "65s")),
                restarts.equals("tuned"),
                duration(o.getOrDefault("recovery-timeout", "10min")),
                yesNo(o.getOrDefault("reference", "yes"), "reference"),
                jobArgs);
        for (String known : List.of(
                "kafka-bootstrap",
                "es-url",
                "events",
                "users",
                "rate",
                "bad-records",
                "parallelism",
                "es-outage",
                "pause",
                "restarts",
                "recovery-timeout",
                "reference")) {
            o.remove(known);
        }
        if (!o.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + o.keySet() + " (bin/desire chaos --help)");
        }
        return options;
    }

    /** The Flink settings the job is submitted with ({@code -D key=value}). */
    public List<String> flinkSettings() {
        return tunedRestarts ? TUNED_RESTARTS : List.of();
    }

    private static boolean yesNo(String v, String key) {
        if (!v.equals("yes") && !v.equals("no")) {
            throw new IllegalArgumentException("--" + key + " is yes or no, got " + v);
        }
        return v.equals("yes");
    }

    private static String require(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required (bin/desire chaos passes it)");
        }
        return v;
    }

    /** {@code 60s}, {@code 2min}, {@code 500ms}. */
    static Duration duration(String text) {
        String t = text.trim();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("min")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 3)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        throw new IllegalArgumentException("durations look like 500ms, 60s or 2min, got " + text);
    }
}
