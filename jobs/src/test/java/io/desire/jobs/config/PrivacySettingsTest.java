package io.desire.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.desire.operators.privacy.ProtectDeadLetters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrivacySettingsTest {

    @Test
    void defaultsKeepIdsAndCountsAsBeforeAndRawPayloadsInline() {
        PrivacySettings p = PrivacySettings.of(JobConfig.of(Map.of()));
        assertThat(p.pseudonyms()).isFalse();
        assertThat(p.dp()).isNull();
        assertThat(p.rawDeadLetters()).isEqualTo(ProtectDeadLetters.Mode.INLINE);
    }

    @Test
    void pseudonymsMoveRawPayloadsToTheProtectedTopicUnlessDropped() {
        PrivacySettings p =
                PrivacySettings.of(JobConfig.of(Map.of("privacy.pseudonyms", "true", "privacy.key-file", "/k")));
        assertThat(p.pseudonymKey().keyFile()).isEqualTo("/k");
        assertThat(p.pseudonymKey().keyId()).isEqualTo("k1");
        assertThat(p.rawDeadLetters()).isEqualTo(ProtectDeadLetters.Mode.TOPIC);
        assertThat(PrivacySettings.of(
                                JobConfig.of(Map.of("privacy.pseudonyms", "true", "privacy.dead-letter-raw", "drop")))
                        .rawDeadLetters())
                .isEqualTo(ProtectDeadLetters.Mode.DROP);
        assertThatThrownBy(() -> PrivacySettings.of(
                        JobConfig.of(Map.of("privacy.pseudonyms", "true", "privacy.dead-letter-raw", "inline"))))
                .hasMessageContaining("privacy.dead-letter-raw=inline")
                .hasMessageContaining("topic")
                .hasMessageContaining("drop");
        assertThatThrownBy(() -> PrivacySettings.of(
                        JobConfig.of(Map.of("privacy.pseudonyms", "true", "privacy.key-id", "Key One"))))
                .hasMessageContaining("privacy.key-id");
    }

    @Test
    void epsilonTurnsDifferentialPrivacyOnWithTheOtherTwoKeys() {
        PrivacySettings p = PrivacySettings.of(
                JobConfig.of(Map.of("privacy.dp.epsilon", "0.5", "privacy.dp.max-contributions", "2")));
        assertThat(p.dp().epsilon()).isEqualTo(0.5);
        assertThat(p.dp().delta()).isEqualTo(1e-5);
        assertThat(p.dp().maxContributions()).isEqualTo(2);
        assertThat(PrivacySettings.of(JobConfig.of(Map.of("privacy.dp.epsilon", "1")))
                        .dp()
                        .threshold())
                .isBetween(22.0, 23.5);
        assertThatThrownBy(() -> PrivacySettings.of(JobConfig.of(Map.of("privacy.dp.epsilon", "strong"))))
                .hasMessageContaining("privacy.dp.epsilon")
                .hasMessageContaining("off or a number");
        assertThatThrownBy(() -> PrivacySettings.of(JobConfig.of(Map.of("privacy.dp.epsilon", "-1"))))
                .hasMessageContaining("privacy.dp.epsilon");
    }
}
