package io.desire.sinks.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.event.DeadLetter;
import io.desire.features.event.RawRecord;
import io.desire.features.event.RejectReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the dead-letter sinks write: the file sink in a real (mini cluster) job, the Kafka record shape. */
class DeadLetterSinksTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    @TempDir
    Path dir;

    private static DeadLetter letter(RejectReason reason, String payload, int line) {
        return new DeadLetter(
                reason,
                "field ts: not a date",
                new RawRecord(
                        payload.getBytes(StandardCharsets.UTF_8),
                        "file:events.jsonl#" + line,
                        1_714_586_400_000L + line));
    }

    @Test
    void fileSinkWritesOneJsonLinePerDeadLetter() throws Exception {
        List<DeadLetter> letters = List.of(
                letter(RejectReason.NOT_JSON, "{not json", 1),
                letter(RejectReason.BAD_TIMESTAMP, "{\"ts\":\"yesterday\"}\nsecond line", 2),
                letter(RejectReason.EMPTY, "", 3));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(letters).sinkTo(DeadLetterSinks.file(dir.toString()));
        env.execute("dead-letter-file-sink-test");

        List<Path> parts = finishedParts(dir);
        assertThat(parts)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.getFileName().toString())
                        .startsWith(DeadLetterSinks.FILE_PREFIX)
                        .endsWith(DeadLetterSinks.FILE_SUFFIX));
        List<String> lines = new ArrayList<>();
        for (Path p : parts) {
            lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
        }
        assertThat(lines)
                .containsExactlyInAnyOrder(
                        letters.get(0).toJson(),
                        letters.get(1).toJson(),
                        letters.get(2).toJson());
        assertThat(lines.get(0)).startsWith("{\"reason\":\"");
    }

    @Test
    void kafkaRecordIsKeyedByReasonWithTheJsonAsValue() {
        DeadLetter l = letter(RejectReason.MISSING_FIELD, "{\"user_id\":null}", 7);
        assertThat(new String(new DeadLetterSinks.ReasonKey().serialize(l), StandardCharsets.UTF_8))
                .isEqualTo("MISSING_FIELD");
        assertThat(new DeadLetterSinks.JsonValue().serialize(l)).isEqualTo(l.toJsonBytes());
    }

    @Test
    void kafkaTransactionsTimeOutBelowTheBrokersDefaultMaximum() {
        assertThat(DeadLetterSinks.producerProperties(null).getProperty("transaction.timeout.ms"))
                .isEqualTo("600000");
        Properties extra = new Properties();
        extra.setProperty("transaction.timeout.ms", "300000");
        extra.setProperty("security.protocol", "SASL_SSL");
        Properties merged = DeadLetterSinks.producerProperties(extra);
        assertThat(merged.getProperty("transaction.timeout.ms")).isEqualTo("300000");
        assertThat(merged.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(DeadLetterSinks.kafka("127.0.0.1:9092", "desire.dead-letters", "desire-dlq", null))
                .isNotNull();
    }

    @Test
    void argumentsAreValidated() {
        assertThatThrownBy(() -> DeadLetterSinks.kafka(" ", "t", "p", null)).hasMessageContaining("bootstrap servers");
        assertThatThrownBy(() -> DeadLetterSinks.kafka("h:9092", "", "p", null)).hasMessageContaining("topic");
        assertThatThrownBy(() -> DeadLetterSinks.kafka("h:9092", "t", null, null))
                .hasMessageContaining("Transactional id prefix");
        assertThatThrownBy(() -> DeadLetterSinks.file("")).hasMessageContaining("directory");
    }

    private static List<Path> finishedParts(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".")) // in-progress / pending files
                    .sorted()
                    .toList();
        }
    }
}
