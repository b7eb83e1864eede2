package io.desire.jobs.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The partitions and settings of every topic the engine uses, read from {@code topics.tsv} next to
 * this class — the same file {@code bin/desire topics} reads, so the command line and the job never
 * disagree. A role names a topic's use ({@code events}, {@code item-factors}, …); its name comes
 * from the configuration, the file only gives the default.
 */
public final class TopicSpecs {
    /** The file, on the class path and in the source tree. */
    public static final String RESOURCE = "topics.tsv";

    /** One topic: its role, default name, partitions and topic-level settings (in file order). */
    public record Spec(String role, String defaultName, int partitions, Map<String, String> settings) {
        /** A setting as a number; fails naming the role when absent. */
        public long longSetting(String key) {
            String v = settings.get(key);
            if (v == null) {
                throw new IllegalStateException("topic role " + role + " has no " + key + " in " + RESOURCE);
            }
            return Long.parseLong(v);
        }
    }

    private static final Map<String, Spec> SPECS = load();

    private TopicSpecs() {}

    /** The topic of {@code role}; fails for a role the file does not list. */
    public static Spec of(String role) {
        Spec s = SPECS.get(role);
        if (s == null) {
            throw new IllegalArgumentException(
                    "no topic role '" + role + "' in " + RESOURCE + "; roles: " + SPECS.keySet());
        }
        return s;
    }

    /** Every topic, in file order. */
    public static Map<String, Spec> all() {
        return SPECS;
    }

    static Map<String, Spec> parse(BufferedReader in) throws IOException {
        Map<String, Spec> out = new LinkedHashMap<>();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 4) {
                throw new IllegalStateException(
                        RESOURCE + " line " + n + ": expected 4 tab-separated columns, got " + f.length + ": " + line);
            }
            Map<String, String> settings = new LinkedHashMap<>();
            if (!f[3].equals("-")) {
                for (String kv : f[3].split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalStateException(RESOURCE + " line " + n + ": bad setting '" + kv + "'");
                    }
                    settings.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            out.put(f[0], new Spec(f[0], f[1], Integer.parseInt(f[2]), Collections.unmodifiableMap(settings)));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Spec> load() {
        try (InputStream in = TopicSpecs.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        RESOURCE + " is missing from the class path next to " + TopicSpecs.class);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
