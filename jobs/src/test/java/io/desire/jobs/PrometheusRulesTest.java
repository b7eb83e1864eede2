package io.desire.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus files (flink-conf/prometheus) as Prometheus's own {@code promtool} reads
 * them: the alert rules are valid, each alert fires on the situation it names and not on a healthy
 * job ({@code desire-alerts-test.yml}), the scrape configuration is valid, and the rules are the ones
 * docs/metrics.md shows. Needs Debian's {@code prometheus} package, which {@code bin/desire test}
 * installs when missing.
 */
class PrometheusRulesTest {
    private static final Path DIR =
            Path.of("..", "flink-conf", "prometheus").toAbsolutePath().normalize();

    @Test
    void rulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "desire-alerts.yml")).contains("SUCCESS: 7 rules found");
    }

    @Test
    void eachAlertFiresOnWhatItNames() throws Exception {
        assertThat(promtool("test", "rules", "desire-alerts-test.yml")).contains("SUCCESS");
    }

    @Test
    void scrapeConfigurationIsValid() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml")).contains("is valid prometheus config file");
    }

    @Test
    void theDocumentedRulesAreTheShippedOnes() throws IOException {
        String doc = Files.readString(DIR.resolve("../../docs/metrics.md").normalize());
        String rules = Files.readString(DIR.resolve("desire-alerts.yml"));
        List<String> documented = new ArrayList<>();
        for (String line : doc.split("\n")) {
            if (line.strip().startsWith("- alert: ")) {
                documented.add(line.strip());
            }
        }
        assertThat(documented).hasSize(7);
        assertThat(documented).allSatisfy(alert -> assertThat(rules).contains(alert));
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        Path promtool = Path.of("/usr/bin/promtool");
        assertThat(Files.isExecutable(promtool))
                .as("promtool (Debian package prometheus; bin/desire test installs it when missing)")
                .isTrue();
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(DIR.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(p.exitValue())
                .as("promtool " + String.join(" ", args) + ":\n" + out)
                .isZero();
        return out;
    }
}
