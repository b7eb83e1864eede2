package io.desire.jobs.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.jobs.history.HistoryRecords;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillProgressTest {

    @Test
    void reportsFilesRecordsShareRateAndTimeLeftFromTheAccumulators() {
        BackfillProgress progress = new BackfillProgress(4, 400L * 1048576);
        Map<String, Object> acc = Map.of(
                HistoryRecords.HISTORY_FILES,
                1L,
                HistoryRecords.HISTORY_RECORDS,
                500_000L,
                HistoryRecords.HISTORY_BYTES,
                100L * 1048576);

        String line = progress.line(HistoryCounts.of(acc), 10.0);

        assertThat(line).isEqualTo("files 1/4 · 500,000 records · 100.0/400.0 MiB (25%) · 50,000 records/s · ETA 30s");
        assertThat(progress.filesDone(HistoryCounts.of(acc))).isFalse();
    }

    @Test
    void isDoneWhenEveryFileEndedAndUnknownBeforeTheFirstReport() {
        BackfillProgress progress = new BackfillProgress(2, 1000);

        assertThat(progress.line(HistoryCounts.of(Map.of()), 0.5)).endsWith("ETA unknown");
        assertThat(progress.filesDone(HistoryCounts.of(Map.of()))).isFalse();
        Map<String, Object> done = Map.of(HistoryRecords.HISTORY_FILES, 2L, HistoryRecords.HISTORY_BYTES, 1000L);
        assertThat(progress.filesDone(HistoryCounts.of(done))).isTrue();
        assertThat(progress.line(HistoryCounts.of(done), 2.0))
                .contains("(100%)")
                .endsWith("done");
    }

    @Test
    void longDurationsReadAsMinutesAndHours() {
        assertThat(BackfillProgress.duration(59.4)).isEqualTo("59s");
        assertThat(BackfillProgress.duration(125)).isEqualTo("2m05s");
        assertThat(BackfillProgress.duration(7322)).isEqualTo("2h02m");
    }
}
