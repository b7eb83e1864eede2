package io.desire.jobs.io;

import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to Kafka once, with the job's client settings, before the job is submitted: wrong
 * credentials, an untrusted broker certificate or an unreachable cluster then stop the submission
 * with a message that says which, instead of sources and sinks retrying for ever on the task
 * managers. The message names the user and the settings file, never a secret.
 */
public final class KafkaConnectionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnectionCheck.class);
    /** How long the check waits for the cluster's answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private KafkaConnectionCheck() {}

    /** Checks {@code kafka.bootstrap} with {@code kafka.properties-file}; see {@link #verify(String, Properties, Duration)}. */
    public static void verify(JobConfig cfg) throws InterruptedException {
        verify(cfg.getString(ConfigKeys.KAFKA_BOOTSTRAP), KafkaClientSettings.of(cfg), DEFAULT_TIMEOUT);
    }

    /**
     * Asks the cluster at {@code bootstrap} for its id with the {@code client} settings.
     *
     * @throws IllegalStateException naming the failure (credentials refused, TLS failed, no answer)
     */
    public static void verify(String bootstrap, Properties client, Duration timeout) throws InterruptedException {
        Properties p = KafkaClientSettings.merged(new Properties(), client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "desire-connection-check");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        String how = KafkaClientSettings.describe(client);
        try (Admin admin = Admin.create(p)) {
            String cluster = admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Kafka at {} answers ({}, cluster {})", bootstrap, how, cluster);
        } catch (ExecutionException e) {
            throw new IllegalStateException(message(bootstrap, client, e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(noAnswer(bootstrap, client, timeout), e);
        }
    }

    static String message(String bootstrap, Properties client, Throwable cause) {
        String file = ConfigKeys.KAFKA_PROPERTIES_FILE.name();
        if (cause instanceof SaslAuthenticationException) {
            String user = KafkaClientSettings.saslUser(client);
            return "Kafka at " + bootstrap + " refused the credentials"
                    + (user != null ? " of user '" + user + "'" : "")
                    + " (" + client.getProperty("sasl.mechanism", "SASL") + "): " + cause.getMessage()
                    + ". Check the user and password in sasl.jaas.config of " + file + ".";
        }
        if (cause instanceof SslAuthenticationException) {
            return "TLS with Kafka at " + bootstrap + " failed: " + rootMessage(cause)
                    + ". Check ssl.truststore.* in " + file + " (it must hold the CA that signed the broker's"
                    + " certificate) and that " + bootstrap + " is a TLS listener.";
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return noAnswer(bootstrap, client, null) + " (" + cause.getMessage() + ")";
        }
        return "Cannot connect to Kafka at " + bootstrap + " (" + KafkaClientSettings.describe(client) + "): " + cause;
    }

    private static String noAnswer(String bootstrap, Properties client, Duration timeout) {
        return "Kafka at " + bootstrap + " did not answer" + (timeout != null ? " within " + timeout : "")
                + ": is it running, and does security.protocol " + KafkaClientSettings.protocol(client)
                + " match that listener (" + ConfigKeys.KAFKA_PROPERTIES_FILE.name() + ")?";
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
