package io.desire.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * The configuration keys Flink declares, read from the {@code public static final ConfigOption}
 * fields of the {@code *Options} classes on the classpath (with their fallback and deprecated
 * keys), to tell a real key from a typo in the deployment files. Flink itself only warns about
 * unknown keys, so a misspelt key in a deployment would be silently ignored.
 *
 * <p>Metric reporters are configured by pattern, {@code metrics.reporter.<name>.<option>}, whose
 * options belong to each reporter; they are accepted, and a {@code factory.class} must name one
 * of the reporter factories the Flink distribution ships ({@link #REPORTER_FACTORIES}: those
 * plugins are not on this classpath).
 */
final class FlinkOptionKeys {

    /** Packages scanned, as resource paths. */
    static final List<String> PACKAGES = List.of(
            "org/apache/flink/configuration/",
            "org/apache/flink/state/rocksdb/",
            "org/apache/flink/runtime/",
            "org/apache/flink/streaming/");

    /** Table connectors' options (e.g. {@code topic}) are not cluster configuration. */
    private static final String EXCLUDED = "org/apache/flink/streaming/connectors/";

    /** Reporter factories of the Flink distribution's metrics plugins. */
    static final Set<String> REPORTER_FACTORIES = Set.of(
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
            "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory",
            "org.apache.flink.metrics.jmx.JMXReporterFactory",
            "org.apache.flink.metrics.slf4j.Slf4jReporterFactory",
            "org.apache.flink.metrics.graphite.GraphiteReporterFactory",
            "org.apache.flink.metrics.statsd.StatsDReporterFactory",
            "org.apache.flink.metrics.datadog.DatadogHttpReporterFactory",
            "org.apache.flink.metrics.influxdb.InfluxdbReporterFactory");

    private static final String REPORTER_PREFIX = "metrics.reporter.";

    private final Set<String> keys;
    private final Set<String> optionClasses;

    private FlinkOptionKeys(Set<String> keys, Set<String> optionClasses) {
        this.keys = Collections.unmodifiableSet(keys);
        this.optionClasses = Collections.unmodifiableSet(optionClasses);
    }

    /** Scans the {@code *Options} classes of {@link #PACKAGES} visible to {@code loader}. */
    static FlinkOptionKeys scan(ClassLoader loader) {
        // Resources rather than java.class.path: Surefire may hide the classpath in a manifest-only
        // jar. Each jar is read once even when it holds several of the packages.
        Set<String> jars = new TreeSet<>();
        Set<Path> directories = new TreeSet<>();
        for (String pkg : PACKAGES) {
            try {
                Enumeration<URL> roots = loader.getResources(pkg);
                while (roots.hasMoreElements()) {
                    URL root = roots.nextElement();
                    if (root.getProtocol().equals("jar")) {
                        String spec = root.getPath();
                        jars.add(spec.substring(0, spec.indexOf("!/")));
                    } else if (root.getProtocol().equals("file")) {
                        directories.add(classesRoot(Path.of(root.toURI()), pkg));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        Set<String> classNames = new TreeSet<>();
        for (String jar : jars) {
            try (JarFile file = new JarFile(Path.of(URI.create(jar)).toFile())) {
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    addIfOptions(entries.nextElement().getName(), classNames);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (Path dir : directories) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.forEach(p -> addIfOptions(dir.relativize(p).toString().replace('\\', '/'), classNames));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Set<String> keys = new TreeSet<>();
        Set<String> scanned = new TreeSet<>();
        for (String name : classNames) {
            Field[] fields;
            try {
                // Not initialised yet: only classes that hold options pay for their static init.
                fields = Class.forName(name, false, loader).getFields();
            } catch (ClassNotFoundException | LinkageError e) {
                continue; // a class whose optional dependencies are absent declares no key we use
            }
            boolean declares = false;
            for (Field f : fields) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) && Modifier.isFinal(m) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> option;
                    try {
                        option = (ConfigOption<?>) f.get(null);
                    } catch (IllegalAccessException | LinkageError e) {
                        continue;
                    }
                    keys.add(option.key());
                    for (FallbackKey fallback : option.fallbackKeys()) {
                        keys.add(fallback.getKey());
                    }
                    declares = true;
                }
            }
            if (declares) {
                scanned.add(name);
            }
        }
        return new FlinkOptionKeys(keys, scanned);
    }

    /** The directory a package directory {@code dir} of {@code pkg} lives in. */
    private static Path classesRoot(Path dir, String pkg) {
        Path root = dir;
        for (int i = 0; i < pkg.split("/").length; i++) {
            root = root.getParent();
        }
        return root;
    }

    private static void addIfOptions(String entry, Set<String> out) {
        if (entry.endsWith("Options.class")
                && !entry.contains("$")
                && !entry.startsWith(EXCLUDED)
                && PACKAGES.stream().anyMatch(entry::startsWith)) {
            out.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
        }
    }

    /** Every declared key, fallback and deprecated keys included. */
    Set<String> keys() {
        return keys;
    }

    /** The classes that declared at least one option. */
    Set<String> optionClasses() {
        return optionClasses;
    }

    /**
     * What is wrong with a flat configuration: one message per unknown key or unknown reporter
     * factory; empty when every key is Flink's.
     */
    List<String> problems(Map<String, String> configuration) {
        List<String> problems = new ArrayList<>();
        configuration.forEach((key, value) -> {
            if (key.startsWith(REPORTER_PREFIX)) {
                String rest = key.substring(REPORTER_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot <= 0 || dot == rest.length() - 1) {
                    problems.add("'" + key + "' is not metrics.reporter.<name>.<option>");
                } else if (rest.substring(dot + 1).equals("factory.class") && !REPORTER_FACTORIES.contains(value)) {
                    problems.add("'" + key + "' names '" + value + "', not a reporter factory of Flink's: "
                            + new TreeSet<>(REPORTER_FACTORIES));
                }
            } else if (!keys.contains(key)) {
                problems.add("'" + key + "' is not a Flink configuration key");
            }
        });
        return problems;
    }
}
