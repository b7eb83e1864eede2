package io.desire.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {
    private static final String[] SERVERS = {"--kafka-bootstrap", "127.0.0.1:9092", "--es-url", "http://127.0.0.1:9200"
    };

    private static ChaosOptions parse(String... args) {
        String[] all = new String[SERVERS.length + args.length];
        System.arraycopy(SERVERS, 0, all, 0, SERVERS.length);
        System.arraycopy(args, 0, all, SERVERS.length, args.length);
        return ChaosOptions.parse(all, Path.of("bin/desire"), Path.of("target/desire-home"));
    }

    @Test
    void theDefaultCampaignInjectsEveryKindOfFaultWithTheShippedRestartSettings() {
        ChaosOptions o = parse();

        assertThat(o.faults()).containsAll(java.util.EnumSet.allOf(FaultKind.class));
        assertThat(o.faults()).filteredOn(f -> f == FaultKind.TM_KILL).hasSize(2);
        assertThat(o.esOutage()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.pause()).isGreaterThan(Duration.ofSeconds(50)); // Flink's heartbeat.timeout
        assertThat(o.flinkSettings()).isEmpty();
        assertThat(o.reference()).isTrue();
    }

    @Test
    void readsFaultsInOrderExtraKillsTunedRestartsAndJobArguments() {
        ChaosOptions o = parse(
                "--faults",
                "es-outage,tm-kill",
                "--tm-kills",
                "1",
                "--restarts",
                "tuned",
                "--es-outage",
                "2min",
                "--job-arg",
                "checkpoint.interval=5s",
                "--events",
                "30000");

        assertThat(o.faults()).containsExactly(FaultKind.ES_OUTAGE, FaultKind.TM_KILL, FaultKind.TM_KILL);
        assertThat(o.flinkSettings()).contains("restart-strategy.type=fixed-delay");
        assertThat(o.esOutage()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.jobArgs()).containsEntry("checkpoint.interval", "5s");
        assertThat(o.events()).isEqualTo(30_000);
    }

    @Test
    void refusesWhatItDoesNotKnowAndSaysWhatIsAllowed() {
        assertThatThrownBy(() -> parse("--faults", "disk-full"))
                .hasMessageContaining("disk-full")
                .hasMessageContaining("tm-kill, jm-kill");
        assertThatThrownBy(() -> parse("--colour", "red")).hasMessageContaining("colour");
        assertThatThrownBy(() -> parse("--restarts", "fast")).hasMessageContaining("default or tuned");
        assertThatThrownBy(() -> parse("--events", "10")).hasMessageContaining("at least 1000 per phase");
    }
}
