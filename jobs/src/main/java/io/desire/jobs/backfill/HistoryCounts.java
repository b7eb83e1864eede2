package io.desire.jobs.backfill;

import io.desire.jobs.history.HistoryRecords;
import java.util.Map;

/**
 * What {@link HistoryRecords} has counted, read from a job's accumulators (live or final).
 *
 * @param files history files read to their end
 * @param records history records read
 * @param bytes bytes of the files read
 * @param afterCutover file events at or after the cut-over, left to Kafka
 */
public record HistoryCounts(long files, long records, long bytes, long afterCutover) {

    /** The counts in {@code accumulators}; 0 for those not reported yet. */
    public static HistoryCounts of(Map<String, Object> accumulators) {
        return new HistoryCounts(
                counter(accumulators, HistoryRecords.HISTORY_FILES),
                counter(accumulators, HistoryRecords.HISTORY_RECORDS),
                counter(accumulators, HistoryRecords.HISTORY_BYTES),
                counter(accumulators, HistoryRecords.HISTORY_AFTER_CUTOVER));
    }

    private static long counter(Map<String, Object> accumulators, String name) {
        Object v = accumulators == null ? null : accumulators.get(name);
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
