package io.desire.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.jobs.config.JobConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo keeps user ids and counts plain by default, and says so when it starts. */
class DemoPrivacyNoteTest {
    @Test
    void saysWhenUserIdsAreKeptInTheClear() {
        assertThat(DemoMain.privacyNote(JobConfig.of(Map.of())))
                .contains("IN THE CLEAR")
                .contains("privacy.pseudonyms=false")
                .contains("exact")
                .contains("docs/privacy.md");
    }

    @Test
    void saysWhatIsOnWhenTheDemoIsGivenThePrivacyKeys() {
        assertThat(DemoMain.privacyNote(JobConfig.of(Map.of("privacy.pseudonyms", "true", "privacy.dp.epsilon", "1"))))
                .contains("pseudonymised (key k1)")
                .contains("differentially private (ε=1)")
                .doesNotContain("CLEAR");
    }
}
