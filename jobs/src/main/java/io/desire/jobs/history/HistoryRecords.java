package io.desire.jobs.history;

import io.desire.features.event.EventParser;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import java.util.Objects;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;

/**
 * Sits between the history source and the event parser: counts what was read from history files and
 * holds back file events at or after the cut-over, which the live topic delivers instead. Keeps no
 * state.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Markers of {@link HistoryFormatReader} never pass: an end-of-file marker adds 1 to {@value
 *       #HISTORY_FILES}, a progress marker its bytes to {@value #HISTORY_BYTES}.
 *   <li>A record whose source starts with {@code file:} adds 1 to {@value #HISTORY_RECORDS}; when a
 *       cut-over is set (not {@link Long#MAX_VALUE}) it is parsed with the job's {@link ParserConfig}
 *       and, if it is a valid event whose event time is at or after the cut-over, dropped and counted
 *       in {@value #HISTORY_AFTER_CUTOVER}. Every other file record passes unchanged, including
 *       records the parser rejects, so they become dead letters downstream.
 *   <li>Any other record (from Kafka in the hybrid source) passes unchanged and uncounted.
 * </ul>
 *
 * <p>The counts are {@link LongCounter} accumulators, summed over subtasks and readable while the job
 * runs ({@code JobClient#getAccumulators()}) and at its end ({@code
 * JobExecutionResult#getAccumulatorResult}), and the same counters are metrics of this operator
 * ({@value #FILES_METRIC}, {@value #RECORDS_METRIC}, {@value #BYTES_METRIC}, {@value
 * #AFTER_CUTOVER_METRIC}). Like all Flink counters they start again from 0 when the task restarts.
 */
public class HistoryRecords extends RichFlatMapFunction<RawRecord, RawRecord> {
    private static final long serialVersionUID = 1L;

    /** Accumulator: history files read to their end. */
    public static final String HISTORY_FILES = "history-files";
    /** Accumulator: records read from history files (lines that hold data), cut-over ones included. */
    public static final String HISTORY_RECORDS = "history-records";
    /**
     * Accumulator: bytes of the history files read so far, as stored (compressed bytes for compressed
     * files), advanced once per batch; reaches the sum of {@link HistoryFile#size()} when every file is
     * read.
     */
    public static final String HISTORY_BYTES = "history-bytes";
    /** Accumulator: file events dropped because their event time is at or after the cut-over. */
    public static final String HISTORY_AFTER_CUTOVER = "history-after-cutover";

    /** Metric counter mirroring {@link #HISTORY_FILES}. */
    public static final String FILES_METRIC = "historyFiles";
    /** Metric counter mirroring {@link #HISTORY_RECORDS}. */
    public static final String RECORDS_METRIC = "historyRecords";
    /** Metric counter mirroring {@link #HISTORY_BYTES}. */
    public static final String BYTES_METRIC = "historyBytes";
    /** Metric counter mirroring {@link #HISTORY_AFTER_CUTOVER}. */
    public static final String AFTER_CUTOVER_METRIC = "historyAfterCutover";

    /** The cut-over meaning "none": every file event passes. */
    public static final long NO_CUTOVER = Long.MAX_VALUE;

    private final ParserConfig parserConfig;
    private final long cutoverMillis;
    private transient EventParser parser;
    private transient Counter files;
    private transient Counter records;
    private transient Counter bytes;
    private transient Counter afterCutover;

    /**
     * @param parserConfig the parser settings of the job, so "valid event" means what it means downstream
     * @param cutoverMillis events at or after this epoch-millisecond instant are dropped; {@link
     *     #NO_CUTOVER} for none (then nothing is parsed here)
     */
    public HistoryRecords(ParserConfig parserConfig, long cutoverMillis) {
        this.parserConfig = Objects.requireNonNull(parserConfig, "parserConfig");
        this.cutoverMillis = cutoverMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new EventParser(parserConfig);
        RuntimeContext ctx = getRuntimeContext();
        MetricGroup metrics = ctx.getMetricGroup();
        files = counter(ctx, metrics, HISTORY_FILES, FILES_METRIC);
        records = counter(ctx, metrics, HISTORY_RECORDS, RECORDS_METRIC);
        bytes = counter(ctx, metrics, HISTORY_BYTES, BYTES_METRIC);
        afterCutover = counter(ctx, metrics, HISTORY_AFTER_CUTOVER, AFTER_CUTOVER_METRIC);
    }

    private static Counter counter(RuntimeContext ctx, MetricGroup metrics, String accumulator, String metric) {
        LongCounter value = new LongCounter();
        ctx.addAccumulator(accumulator, value);
        return metrics.counter(metric, new AccumulatorCounter(value));
    }

    @Override
    public void flatMap(RawRecord record, Collector<RawRecord> out) {
        if (HistoryFormatReader.isEndOfFile(record)) {
            files.inc();
            return;
        }
        if (HistoryFormatReader.isProgress(record)) {
            bytes.inc(record.receivedAt);
            return;
        }
        if (record.source == null || !record.source.startsWith(HistoryFormatReader.FILE_SOURCE_PREFIX)) {
            out.collect(record);
            return;
        }
        records.inc();
        if (cutoverMillis != NO_CUTOVER) {
            ParseOutcome outcome = parser.parse(record);
            if (outcome.isValid() && outcome.event().ts >= cutoverMillis) {
                afterCutover.inc();
                return;
            }
        }
        out.collect(record);
    }

    /** A metric counter whose count is an accumulator, so both report the same number. */
    private static final class AccumulatorCounter implements Counter {
        private final LongCounter value;

        AccumulatorCounter(LongCounter value) {
            this.value = value;
        }

        @Override
        public void inc() {
            value.add(1L);
        }

        @Override
        public void inc(long n) {
            value.add(n);
        }

        @Override
        public void dec() {
            value.add(-1L);
        }

        @Override
        public void dec(long n) {
            value.add(-n);
        }

        @Override
        public long getCount() {
            return value.getLocalValuePrimitive();
        }
    }
}
