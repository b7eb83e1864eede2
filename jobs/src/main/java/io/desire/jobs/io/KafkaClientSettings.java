package io.desire.jobs.io;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka client settings every Kafka client of the job shares: the properties file {@code
 * kafka.properties-file} — {@code security.protocol}, {@code sasl.*}, {@code ssl.*} and the like —
 * read once when the job is built, so task managers need no copy of it (files it names, such as a
 * trust store, must be readable on every task manager).
 *
 * <p>{@code ${env:NAME}} in a value is replaced by the environment variable {@code NAME} of the
 * process that builds the job, so a password can stay out of the file. Settings the job chooses
 * per client (bootstrap servers, group and transactional ids, serializers) are refused. {@link
 * #describe} shows the settings without any secret.
 */
public final class KafkaClientSettings {
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");
    private static final Set<String> OWNED_BY_JOB = Set.of(
            "bootstrap.servers",
            "group.id",
            "transactional.id",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer");

    private KafkaClientSettings() {}

    /** The settings of {@code kafka.properties-file}, or none (a plaintext cluster) when it is unset. */
    public static Properties of(JobConfig cfg) {
        String file = cfg.getOptional(ConfigKeys.KAFKA_PROPERTIES_FILE);
        return file == null ? new Properties() : load(Path.of(file), System.getenv());
    }

    /** Reads {@code file}, replacing {@code ${env:NAME}} from {@code env}. */
    static Properties load(Path file, Map<String, String> env) {
        String what = ConfigKeys.KAFKA_PROPERTIES_FILE.name() + " " + file;
        Properties raw = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + what + ": " + e, e);
        }
        Properties out = new Properties();
        for (String key : raw.stringPropertyNames()) {
            if (OWNED_BY_JOB.contains(key)) {
                throw new IllegalArgumentException(what + " sets '" + key + "', which the job sets itself"
                        + (key.equals("bootstrap.servers") ? " (use " + ConfigKeys.KAFKA_BOOTSTRAP.name() + ")" : "")
                        + "; remove it from the file");
            }
            out.setProperty(key, substitute(raw.getProperty(key).trim(), key, env, what));
        }
        return out;
    }

    private static String substitute(String value, String key, Map<String, String> env, String what) {
        Matcher m = ENV.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(
                        what + ": '" + key + "' refers to environment variable " + m.group(1) + ", which is not set");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** {@code base} with {@code client} on top: the per-client tuning of the job plus the shared settings. */
    public static Properties merged(Properties base, Properties client) {
        Properties p = new Properties();
        p.putAll(base);
        p.putAll(client);
        return p;
    }

    /** The security protocol of {@code client} (Kafka's default PLAINTEXT when unset). */
    public static String protocol(Properties client) {
        return client.getProperty("security.protocol", "PLAINTEXT");
    }

    /** The SASL user named in {@code sasl.jaas.config}, or {@code null}. */
    public static String saslUser(Properties client) {
        String jaas = client.getProperty("sasl.jaas.config");
        if (jaas == null) {
            return null;
        }
        Matcher m = JAAS_USER.matcher(jaas);
        return m.find() ? m.group(1) : null;
    }

    /** The settings for a log line: protocol, mechanism, user and the names of the other keys, no values. */
    public static String describe(Properties client) {
        if (client.isEmpty()) {
            return "PLAINTEXT (no " + ConfigKeys.KAFKA_PROPERTIES_FILE.name() + ")";
        }
        String user = saslUser(client);
        return protocol(client)
                + (client.getProperty("sasl.mechanism") != null ? " " + client.getProperty("sasl.mechanism") : "")
                + (user != null ? " as user '" + user + "'" : "")
                + ", settings " + new TreeSet<>(client.stringPropertyNames());
    }
}
