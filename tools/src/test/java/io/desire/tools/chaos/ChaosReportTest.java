package io.desire.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.tools.chaos.ChaosReport.Row;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChaosReportTest {
    private static Row row(String fault, long lost, long twice, long older, long dips, double running, double lagZero) {
        return new Row(fault, "what was done", 1000, lost, twice, older, dips, running, lagZero);
    }

    @Test
    void passesWhenNothingIsLostDoubledOrOlderEvenWithDips() {
        ChaosReport report = new ChaosReport("test");
        report.add(row("none", 0, 0, 0, 0, -1, 3.0));
        report.add(row("tm-kill", 0, 0, 0, 12, 21.5, 40.0));
        report.check("dead letters", true);

        assertThat(report.passed()).isTrue();
        String printed = printed(report);
        assertThat(printed)
                .contains("kept running")
                .contains("21.5")
                .contains("12 reads found a document counting fewer events")
                .contains("PASSED");
    }

    @Test
    void failsOnALostOrDoubledEventAnOlderDocumentAPhaseThatNeverRecoveredOrAFailedCheck() {
        for (Row bad : new Row[] {
            row("tm-kill", 1, 0, 0, 0, 20, 30),
            row("tm-kill", 0, 1, 0, 0, 20, 30),
            row("tm-kill", 0, 0, 1, 0, 20, 30),
            row("tm-kill", 0, 0, 0, 0, -1, -1)
        }) {
            ChaosReport report = new ChaosReport("test");
            report.add(bad);
            assertThat(report.passed()).as(bad.toString()).isFalse();
            assertThat(printed(report)).contains("FAILED");
        }
        ChaosReport checkFailed = new ChaosReport("test");
        checkFailed.add(row("none", 0, 0, 0, 0, -1, 3));
        checkFailed.check("profiles in the final savepoint", false);
        assertThat(checkFailed.passed()).isFalse();
        assertThat(printed(checkFailed)).contains("FAILED profiles in the final savepoint");
    }

    private static String printed(ChaosReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
