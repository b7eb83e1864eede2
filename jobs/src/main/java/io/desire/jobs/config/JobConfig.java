package io.desire.jobs.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Job configuration: {@code --key value} arguments over an optional properties file
 * ({@code --config path}) over environment variables ({@code DESIRE_ES_PASSWORD} for
 * {@code es.password}) over the documented defaults of {@link ConfigKeys}.
 *
 * <p>Every getter validates its value and fails with a message naming the key, the bad value and
 * what is allowed. Secrets ({@link ConfigKeys#isSecret}) are masked by {@link #describe()}.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> values;

    private JobConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parses {@code --key value} / {@code --key=value} pairs; {@code --config FILE} loads a properties file first. */
    public static JobConfig fromArgs(String[] args) {
        return fromArgs(args, System.getenv());
    }

    static JobConfig fromArgs(String[] args, Map<String, String> env) {
        Map<String, String> cli = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("Unexpected argument '" + a + "': use --key value");
            }
            String key;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                key = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                key = a.substring(2);
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Missing value for --" + key);
                }
                value = args[++i];
            }
            cli.put(key, value);
        }
        Map<String, String> merged = new LinkedHashMap<>();
        for (ConfigKeys.Key k : ConfigKeys.ALL) {
            String envValue = env.get(k.envName());
            if (envValue != null && !envValue.isEmpty()) {
                merged.put(k.name(), envValue);
            }
        }
        String file = cli.get("config");
        if (file != null) {
            merged.putAll(loadProperties(Path.of(file)));
        }
        merged.putAll(cli);
        merged.remove("config");
        return of(merged);
    }

    /** A configuration from explicit values; unknown keys are refused so typos do not pass silently. */
    public static JobConfig of(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (ConfigKeys.byName(key) == null) {
                throw new IllegalArgumentException(
                        "Unknown configuration key '" + key + "'. Known keys: " + ConfigKeys.names());
            }
        }
        return new JobConfig(values);
    }

    public static JobConfig defaults() {
        return new JobConfig(Map.of());
    }

    /** A copy with one value replaced. */
    public JobConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return of(copy);
    }

    private static Map<String, String> loadProperties(Path path) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(path)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read configuration file " + path + ": " + e.getMessage(), e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }

    /** Whether {@code key} was given (argument, properties file, environment or in code), default or not. */
    public boolean isSet(ConfigKeys.Key key) {
        return values.containsKey(key.name());
    }

    public String getString(ConfigKeys.Key key) {
        String v = values.get(key.name());
        return v != null ? v : key.defaultValue();
    }

    /** The value, or {@code null} when neither set nor defaulted. */
    public String getOptional(ConfigKeys.Key key) {
        String v = getString(key);
        return v == null || v.isBlank() ? null : v;
    }

    public int getInt(ConfigKeys.Key key, int min, int max) {
        String v = getString(key);
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new IllegalArgumentException(bad(key, v, "an integer in [" + min + ", " + max + "]"));
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bad(key, v, "an integer in [" + min + ", " + max + "]"), e);
        }
    }

    public double getDouble(ConfigKeys.Key key) {
        String v = getString(key);
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bad(key, v, "a finite number"), e);
        }
    }

    /** A finite number in {@code [min, max]}. */
    public double getDouble(ConfigKeys.Key key, double min, double max) {
        double d = getDouble(key);
        if (d < min || d > max) {
            throw new IllegalArgumentException(bad(key, getString(key), "a number in [" + min + ", " + max + "]"));
        }
        return d;
    }

    /** {@code true} or {@code false}, in any case; nothing else (no yes/no/1/0, so typos do not read as false). */
    public boolean getBoolean(ConfigKeys.Key key) {
        String v = getString(key);
        String t = v == null ? "" : v.trim();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(bad(key, v, "true or false"));
    }

    /**
     * One of {@code allowed}, compared ignoring case and surrounding blanks; returns the allowed
     * spelling, so callers can switch on it.
     */
    public String getChoice(ConfigKeys.Key key, String... allowed) {
        String v = getString(key);
        if (v != null) {
            for (String a : allowed) {
                if (a.equalsIgnoreCase(v.trim())) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException(bad(key, v, "one of " + String.join(", ", allowed)));
    }

    /** Durations as {@code 250ms}, {@code 10s}, {@code 5min}, {@code 1h}, {@code 7d} or ISO-8601 ({@code PT10S}). */
    public Duration getDuration(ConfigKeys.Key key) {
        String v = getString(key);
        Duration d = parseDuration(v);
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(bad(key, v, "a duration such as 250ms, 10s, 5min, 1h, 7d or PT10S"));
        }
        return d;
    }

    /** Parses {@code 250ms}, {@code 10s}, {@code 5min}, {@code 1h}, {@code 7d} or ISO-8601; {@code null} if invalid. */
    public static Duration parseDuration(String raw) {
        if (raw == null) {
            return null;
        }
        String v = raw.trim().toLowerCase();
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase());
            }
            int i = 0;
            while (i < v.length() && (Character.isDigit(v.charAt(i)))) {
                i++;
            }
            if (i == 0) {
                return null;
            }
            long n = Long.parseLong(v.substring(0, i));
            String unit = v.substring(i).trim();
            switch (unit) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                case "":
                    return Duration.ofSeconds(n);
                case "min":
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                case "d":
                    return Duration.ofDays(n);
                default:
                    return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String bad(ConfigKeys.Key key, String value, String allowed) {
        return "Configuration key '" + key.name() + "' has value '" + value + "'; expected " + allowed + '.';
    }

    /** All effective values, secrets masked, for the startup log. */
    public String describe() {
        Map<String, String> shown = new TreeMap<>();
        for (ConfigKeys.Key k : ConfigKeys.ALL) {
            String v = getString(k);
            if (v != null) {
                shown.put(k.name(), k.secret() ? "******" : v);
            }
        }
        return shown.toString();
    }
}
