package io.desire.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The topics are written down once: the job and bin/desire read the same file and agree. */
class TopicSpecsTest {

    @Test
    void theJobsTopicsComeFromTheFile() {
        assertThat(TopicSpecs.all().keySet())
                .containsExactly(
                        "events",
                        "deadletter",
                        "item-factors",
                        "ranker-weights",
                        "deadletter-raw",
                        "erasures",
                        "erasure-audit");
        NewTopic factors = Topics.itemFactorsTopic("f");
        assertThat(factors.numPartitions()).isEqualTo(4);
        assertThat(factors.configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("max.message.bytes", String.valueOf(Topics.ITEM_FACTOR_MAX_MESSAGE_BYTES));
        assertThat(Topics.rankerWeightsTopic("w").numPartitions()).isEqualTo(1);
        assertThat(Topics.RANKER_WEIGHT_RETENTION).hasDays(7);
        assertThat(Topics.topic("erasures", "e").configs()).containsEntry("retention.ms", "-1");
        assertThat(Topics.topic("events", "x").configs()).isNull();
    }

    @Test
    void theCommandLineReadsTheSameTopics() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(
                        "bash",
                        "-c",
                        "set -euo pipefail; REPO=\"$1\"; LIB=\"$1/bin/lib\"; source \"$1/bin/lib/common.sh\"; printf '%s\\n' \"${DEFAULT_TOPICS[@]}\"",
                        "bash",
                        repo.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> fromBash = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        List<String> fromJava = TopicSpecs.all().values().stream()
                .map(s -> s.defaultName() + ":" + s.partitions()
                        + (s.settings().isEmpty()
                                ? ""
                                : ":"
                                        + String.join(
                                                ",",
                                                s.settings().entrySet().stream()
                                                        .map(e -> e.getKey() + "=" + e.getValue())
                                                        .toList())))
                .toList();
        assertThat(fromBash).isEqualTo(fromJava);
        assertThat(Files.readString(repo.resolve("bin/lib/common.sh")))
                .as("no topic setting written down twice")
                .doesNotContain("max.message.bytes=");
    }

    @Test
    void aBrokenLineIsReportedWithItsNumber() {
        assertThatThrownBy(
                        () -> TopicSpecs.parse(new BufferedReader(new StringReader("# c\nevents\tdesire.events\t4\n"))))
                .hasMessageContaining("line 2")
                .hasMessageContaining("4 tab-separated columns");
        assertThatThrownBy(() -> TopicSpecs.of("nope")).hasMessageContaining("no topic role 'nope'");
    }
}
