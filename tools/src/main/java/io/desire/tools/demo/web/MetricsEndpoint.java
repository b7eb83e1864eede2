package io.desire.tools.demo.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The demo's local Flink on a Prometheus endpoint: configures Flink's Prometheus reporter (as
 * {@code flink-conf/config.yaml} does for a cluster) on one free port, and announces the endpoint to
 * a Prometheus started by {@code bin/desire prometheus} through a file-based service-discovery file
 * ({@code <home>/prometheus/targets/demo.json}) that is removed again on {@link #close()}.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final int port;
    private final Path targets;

    private MetricsEndpoint(int port, Path targets) {
        this.port = port;
        this.targets = targets;
    }

    /**
     * Adds the reporter to {@code conf} on {@code port} (0: a free one) and writes the targets file
     * under {@code home}.
     */
    public static MetricsEndpoint configure(Configuration conf, int port, Path home) throws IOException {
        int chosen = port > 0 ? port : freePort();
        conf.set(
                key("metrics.reporter.prom.factory.class"),
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.set(key("metrics.reporter.prom.port"), Integer.toString(chosen));
        Path dir = home.resolve("prometheus").resolve("targets");
        Files.createDirectories(dir);
        Path file = dir.resolve("demo.json");
        Path tmp = dir.resolve("demo.json.tmp");
        Files.writeString(
                tmp,
                "[{\"targets\":[\"127.0.0.1:" + chosen + "\"],\"labels\":{\"instance_role\":\"demo\"}}]\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new MetricsEndpoint(chosen, file);
    }

    /** The endpoint, e.g. http://127.0.0.1:9249/metrics */
    public String url() {
        return "http://127.0.0.1:" + port + "/metrics";
    }

    private static org.apache.flink.configuration.ConfigOption<String> key(String name) {
        return ConfigOptions.key(name).stringType().noDefaultValue();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(targets);
    }
}
