package io.desire.features.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed input of {@code corpus/malformed.jsonl} is rejected with its reason and carried whole. */
class MalformedCorpusTest {
    private final EventParser parser = new EventParser(Corpus.config());

    static List<Corpus.Case> cases() {
        return Corpus.malformed();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsWithReasonAndKeepsRawBytes(Corpus.Case c) {
        String source = "file:corpus/malformed.jsonl#" + c.id();
        RawRecord record = new RawRecord(c.payload().clone(), source, 1_717_000_000_000L);

        ParseOutcome out = parser.parse(record);

        assertThat(out.isValid()).as("valid?").isFalse();
        assertThat(out.event()).isNull();
        DeadLetter dl = out.deadLetter();
        assertThat(dl).isNotNull();
        assertThat(dl.reason)
                .as("reason, detail: %s", dl.detail)
                .isEqualTo(c.reason().name());
        assertThat(out.reason()).isEqualTo(c.reason());
        assertThat(dl.raw).isEqualTo(c.payload());
        assertThat(dl.source).isEqualTo(source);
        assertThat(dl.receivedAt).isEqualTo(1_717_000_000_000L);
        assertThat(dl.detail).isNotBlank().doesNotContain("\n");
        if (c.detail() != null) {
            assertThat(dl.detail).contains(c.detail());
        }
        if (c.payload().length > 60) {
            assertThat(dl.detail).doesNotContain(new String(c.payload(), StandardCharsets.UTF_8));
        }
        assertThat(dl.detail.length()).isLessThan(300);
    }

    @Test
    void corpusIsLargeAndCoversEveryInputReason() {
        List<Corpus.Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(30);
        assertThat(cases.stream().map(Corpus.Case::id).collect(Collectors.toSet()))
                .hasSameSizeAs(cases);
        Set<RejectReason> covered = cases.stream()
                .map(Corpus.Case::reason)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RejectReason.class)));
        assertThat(covered).containsAll(EnumSet.complementOf(EnumSet.of(RejectReason.INTERNAL_ERROR)));
    }

    @Test
    void deadLetterJsonCarriesReasonSourceAndRawBase64() {
        Corpus.Case c = cases().get(0);
        DeadLetter dl = parser.parse(new RawRecord(c.payload(), "kafka:desire.events/3@42", 5L))
                .deadLetter();

        String json = dl.toJson();

        assertThat(json)
                .contains("\"reason\":\"" + c.reason().name() + "\"")
                .contains("\"source\":\"kafka:desire.events/3@42\"")
                .contains(java.util.Base64.getEncoder().encodeToString(c.payload()));
    }
}
