package io.desire.jobs.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.desire.jobs.config.JobConfig;
import io.desire.operators.Uids;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.state.api.runtime.SavepointLoader;

/**
 * {@code bin/desire inspect SAVEPOINT [--user ID]}: what a savepoint (or retained checkpoint) of the
 * streaming job holds, read offline with Flink's State Processor API — its operators with uid,
 * parallelism, max parallelism and state size; how many keys each engine state has; the model
 * versions; one user's profile and ALS factors (the given user, else the first); and the bytes of each
 * user-keyed state ({@link UserStateBytes}). Prints to
 * standard output; exits 1 when the path holds no savepoint.
 */
public final class InspectSavepoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InspectSavepoint() {}

    public static void main(String[] args) throws Exception {
        int rc = run(args, System.out, System.err);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /** Prints the inspection of the savepoint named in {@code args} to {@code out}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String usage = "usage: bin/desire inspect SAVEPOINT_PATH [--user USER_ID]";
        String path = null;
        String user = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--user") && i + 1 < args.length) {
                user = args[++i];
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                out.println(usage);
                return 0;
            } else if (args[i].startsWith("-") || path != null) {
                err.println("desire inspect: unexpected argument '" + args[i] + "'; " + usage);
                return 2;
            } else {
                path = args[i];
            }
        }
        if (path == null) {
            err.println("desire inspect: " + usage);
            return 2;
        }
        CheckpointMetadata metadata;
        try {
            metadata = SavepointLoader.loadSavepointMetadata(path);
        } catch (Exception e) {
            err.println("desire inspect: no savepoint at " + path + ": " + e.getMessage());
            return 1;
        }
        printOperators(out, path, metadata);
        Map<String, Map<String, String>> states = EngineState.read(path, JobConfig.of(Map.of()));
        printStates(out, states, user);
        long users = states.getOrDefault(EngineState.PROFILES, Map.of()).size();
        UserStateBytes.print(out, UserStateBytes.read(path, JobConfig.of(Map.of())), users);
        return 0;
    }

    static void printOperators(PrintStream out, String path, CheckpointMetadata metadata) {
        Map<String, String> names = uidNames();
        List<OperatorState> ops = new ArrayList<>(metadata.getOperatorStates());
        ops.sort(Comparator.comparingLong(OperatorState::getStateSize).reversed());
        long total = ops.stream().mapToLong(OperatorState::getStateSize).sum();
        out.printf(
                "savepoint %s: checkpoint %d, %d operators, %s of state%n",
                path, metadata.getCheckpointId(), ops.size(), bytes(total));
        out.printf("  %-36s %-30s %11s %4s %10s%n", "uid", "operator", "parallelism", "max", "state");
        for (OperatorState op : ops) {
            String uid = op.getOperatorUid().orElse("(uid hash " + op.getOperatorID() + ")");
            String name = op.getOperatorName().orElse(names.getOrDefault(uid, ""));
            out.printf(
                    "  %-36s %-30s %11d %4d %10s%n",
                    abbreviate(uid, 36),
                    abbreviate(name, 30),
                    op.getParallelism(),
                    op.getMaxParallelism(),
                    bytes(op.getStateSize()));
        }
    }

    static void printStates(PrintStream out, Map<String, Map<String, String>> states, String user) throws Exception {
        out.println("engine state (keys):");
        for (Map.Entry<String, Map<String, String>> s : states.entrySet()) {
            out.printf("  %-20s %,d%n", s.getKey(), s.getValue().size());
        }
        Map<String, String> ftrl = states.getOrDefault(EngineState.FTRL, Map.of());
        for (String model : ftrl.values()) {
            out.printf(
                    "model versions: FTRL learner %,d examples%n",
                    JSON.readTree(model).path("version").asLong());
        }
        Map<String, String> items = states.getOrDefault(EngineState.ALS_ITEMS, Map.of());
        if (!items.isEmpty()) {
            out.printf(
                    "ALS: %,d item vectors of rank %d%n",
                    items.size(),
                    JSON.readTree(items.values().iterator().next())
                            .path("factors")
                            .size());
        }
        Map<String, String> profiles = states.getOrDefault(EngineState.PROFILES, Map.of());
        String sample =
                user != null ? user : profiles.keySet().stream().findFirst().orElse(null);
        if (sample == null) {
            return;
        }
        out.println("user " + sample + ":");
        for (String state : List.of(EngineState.PROFILES, EngineState.CONTEXTS, EngineState.ALS_USERS)) {
            String value = states.getOrDefault(state, Map.of()).get(sample);
            out.printf("  %-18s %s%n", state, value == null ? "(none)" : pretty(value));
        }
    }

    /** Uid → constant name of {@link Uids}, for operators whose name the savepoint does not record. */
    private static Map<String, String> uidNames() {
        Map<String, String> names = new TreeMap<>();
        for (Field f : Uids.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    names.put((String) f.get(null), f.getName().toLowerCase().replace('_', ' '));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    private static String pretty(String json) throws Exception {
        JsonNode tree = JSON.readTree(json);
        String s = tree.toString();
        return s.length() <= 600 ? s : s.substring(0, 600) + " ... (" + s.length() + " chars)";
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return String.format("%.1f MiB", n / (1024.0 * 1024.0));
    }
}
