package io.desire.jobs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Reads the suite's Flink cluster as an operator would: its ports from {@code DESIRE_HOME/flink/ports.env},
 * operator metrics from the TaskManager's Prometheus endpoint, job details from the REST API.
 */
final class ClusterMetrics {
    private final HttpClient http = HttpClient.newHttpClient();
    private final DesireCli cli;

    ClusterMetrics(DesireCli cli) {
        this.cli = cli;
    }

    /** Sum over subtasks of an operator metric of one job. */
    double sum(String metric, String job) throws IOException, InterruptedException {
        return sum(metric, job, "");
    }

    /** As above, over the operators whose (sanitised) name starts with {@code operatorPrefix}. */
    double sum(String metric, String job, String operatorPrefix) throws IOException, InterruptedException {
        String body = get("FLINK_TM_METRICS_PORT", "/metrics");
        double sum = 0;
        String name = "flink_taskmanager_job_task_operator_" + metric + "{";
        for (String line : body.split("\n")) {
            if (line.startsWith(name)
                    && line.contains("job_id=\"" + job + "\"")
                    && line.contains("operator_name=\"" + operatorPrefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The body of a GET of {@code path} on the cluster port named {@code portName}. */
    String get(String portName, String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(portName) + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** A port the suite's cluster recorded in {@code DESIRE_HOME/flink/ports.env}. */
    private String port(String name) throws IOException {
        Properties ports = new Properties();
        try (var in = Files.newBufferedReader(Path.of(cli.home(), "flink", "ports.env"))) {
            ports.load(in);
        }
        return ports.getProperty(name);
    }
}
