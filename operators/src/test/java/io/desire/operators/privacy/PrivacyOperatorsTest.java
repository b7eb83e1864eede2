package io.desire.operators.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.features.event.DeadLetter;
import io.desire.features.event.Event;
import io.desire.features.event.EventType;
import io.desire.features.event.RawRecord;
import io.desire.features.event.RejectReason;
import io.desire.features.privacy.PseudonymKeySource;
import io.desire.features.privacy.Pseudonymizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyOperatorsTest {
    private static final String KEY_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @TempDir
    Path dir;

    @Test
    void replacesUserIdsByThePseudonymAppsComputeWithTheSameKey() throws Exception {
        Path key = dir.resolve("key.hex");
        Files.writeString(key, KEY_HEX);
        PseudonymKeySource source = PseudonymKeySource.of("k1", key.toString());
        try (var h = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(new PseudonymizeUsers(source)))) {
            h.open();
            Event view = new Event();
            view.type = EventType.VIEW;
            view.userId = "user-42";
            view.itemId = "i1";
            Event item = new Event();
            item.type = EventType.ITEM;
            item.itemId = "i1";
            h.processElement(view, 1);
            h.processElement(item, 1);
            assertThat(h.extractOutputValues())
                    .extracting(e -> e.userId)
                    .containsExactly(
                            new Pseudonymizer("k1", HexFormat.of().parseHex(KEY_HEX)).pseudonym("user-42"), null);
            assertThat(h.extractOutputValues().get(0).userId).isEqualTo("k1:74ea6318fd907a367325175cdf62f55d");
        }
    }

    @Test
    void failsToStartWithAClearMessageWhenTheKeyIsMissing() {
        var fn = new PseudonymizeUsers(
                PseudonymKeySource.of("k1", dir.resolve("absent.hex").toString()));
        assertThatThrownBy(() -> {
                    try (var h = new OneInputStreamOperatorTestHarness<>(new StreamMap<>(fn))) {
                        h.open();
                    }
                })
                .hasMessageContaining("cannot read the pseudonym key")
                .hasMessageContaining("absent.hex");
    }

    @Test
    void theErasureLogRecordsEachForgetUserWithItsRequestIdAndNothingElse() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new ErasureLog()))) {
            h.open();
            h.setProcessingTime(1_000);
            Event forget = new Event();
            forget.type = EventType.FORGET_USER;
            forget.userId = "k1:74ea6318fd907a367325175cdf62f55d";
            forget.eventId = "req-\"7\"";
            forget.ts = 500;
            Event view = new Event();
            view.type = EventType.VIEW;
            view.userId = "k1:00";
            h.processElement(forget, 500);
            h.processElement(view, 500);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            e -> assertThat(e.toJson())
                                    .isEqualTo(
                                            "{\"user\":\"k1:74ea6318fd907a367325175cdf62f55d\",\"forget_ts\":500,\"request_id\":\"req-\\\"7\\\"\",\"logged_at\":1000}"));
        }
    }

    @Test
    void deadLettersLoseTheirRawPayloadWhichGoesOnlyToTheProtectedOutputOrNowhere() throws Exception {
        DeadLetter dl = new DeadLetter(
                RejectReason.MISSING_FIELD,
                "ts is missing or null",
                new RawRecord(
                        "{\"user_id\":\"alice\"}".getBytes(StandardCharsets.UTF_8), "kafka:desire.events/0@7", 5));
        try (var h = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new ProtectDeadLetters(ProtectDeadLetters.Mode.TOPIC)))) {
            h.open();
            h.processElement(dl, 5);
            DeadLetter out = h.extractOutputValues().get(0);
            assertThat(out.raw).isNull();
            assertThat(out.toJson())
                    .doesNotContain("alice")
                    .contains("MISSING_FIELD")
                    .contains("kafka:desire.events/0@7");
            assertThat(h.getSideOutput(ProtectDeadLetters.RAW))
                    .singleElement()
                    .satisfies(r -> assertThat(new String(r.getValue().raw, StandardCharsets.UTF_8))
                            .contains("alice"));
        }
        try (var h = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new ProtectDeadLetters(ProtectDeadLetters.Mode.DROP)))) {
            h.open();
            h.processElement(dl, 5);
            assertThat(h.extractOutputValues())
                    .singleElement()
                    .satisfies(d -> assertThat(d.raw).isNull());
            assertThat(h.getSideOutput(ProtectDeadLetters.RAW)).isNull();
        }
        assertThatThrownBy(() -> ProtectDeadLetters.Mode.parse("keep")).hasMessageContaining("inline, topic or drop");
    }
}
