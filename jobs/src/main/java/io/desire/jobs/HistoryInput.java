package io.desire.jobs;

import io.desire.features.event.RawRecord;
import io.desire.jobs.config.ConfigKeys;
import io.desire.jobs.config.JobConfig;
import io.desire.jobs.history.ContextColumns;
import io.desire.jobs.history.CsvHeaders;
import io.desire.jobs.history.Cutover;
import io.desire.jobs.history.HistoryFile;
import io.desire.jobs.history.HistoryFiles;
import io.desire.jobs.history.HistoryFormat;
import io.desire.jobs.history.HistoryRecords;
import io.desire.jobs.history.HistorySource;
import io.desire.operators.Uids;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.source.hybrid.HybridSource;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The raw-record inputs that start from history files: the backfill's file source, and the one-job
 * alternative's files-then-Kafka {@link HybridSource}. Both pass through {@link HistoryRecords},
 * which counts what was read (files, records, bytes: the backfill's progress) and holds back file
 * events at or after the {@link Cutover}, which Kafka delivers instead.
 */
public final class HistoryInput {
    private HistoryInput() {}

    /**
     * The files of {@code history.input}, expanded (directories recursed, hidden files skipped), once
     * each has shown it can be read: under automatic detection its name tells its format, and a CSV
     * file's header names the event fields ({@link CsvHeaders}). This runs before a job creates anything.
     *
     * @throws IllegalArgumentException naming the first file that cannot be read as history
     */
    public static List<HistoryFile> files(JobConfig cfg) throws IOException {
        String input = cfg.getOptional(ConfigKeys.HISTORY_INPUT);
        if (input == null) {
            throw new IllegalArgumentException("Set " + ConfigKeys.HISTORY_INPUT.name()
                    + " to the history files or directories (comma-separated paths or file system URIs)");
        }
        List<HistoryFile> files = HistoryFiles.expand(Arrays.stream(input.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList());
        HistoryFormat format = format(cfg);
        if (format == null) {
            files.forEach(f -> HistoryFormat.checkDetectable(f.path().getName()));
        }
        CsvHeaders.check(files, format, contextColumns(cfg));
        return files;
    }

    /** The configured {@code history.context-columns}: which CSV columns become context attributes. */
    public static ContextColumns contextColumns(JobConfig cfg) {
        return ContextColumns.parse(cfg.getOptional(ConfigKeys.HISTORY_CONTEXT_COLUMNS));
    }

    /** The configured {@code history.format}; null for automatic detection per file. */
    public static HistoryFormat format(JobConfig cfg) {
        return HistoryFormat.parse(cfg.getString(ConfigKeys.HISTORY_FORMAT));
    }

    /**
     * The backfill's input: {@code files} read once; with {@code keepAlive} the source stays open after
     * the last file, so the job can be stopped with a savepoint instead of finishing.
     */
    public static DataStream<RawRecord> backfill(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            List<HistoryFile> files,
            long cutoverMillis,
            boolean keepAlive) {
        return backfill(env, cfg, files, format(cfg), cutoverMillis, keepAlive);
    }

    /** As above, reading every file as {@code formatOrNull} (null: detected per file). */
    public static DataStream<RawRecord> backfill(
            StreamExecutionEnvironment env,
            JobConfig cfg,
            List<HistoryFile> files,
            HistoryFormat formatOrNull,
            long cutoverMillis,
            boolean keepAlive) {
        FileSource<RawRecord> source = HistorySource.files(files, formatOrNull, contextColumns(cfg), keepAlive);
        SingleOutputStreamOperator<RawRecord> raw = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "history files")
                .uid(Uids.HISTORY_SOURCE);
        int readers = readers(env.getParallelism(), files.size());
        if (readers > 0) {
            raw.setParallelism(readers);
        }
        return counted(raw, cfg, cutoverMillis);
    }

    /**
     * How many subtasks read the history: no more than there are files (a file is one split), so
     * that no reader, and no watermark generator chained to it, is left without input. An idle one
     * would hold event time back until {@code watermark.idleness}, and with it every window. A
     * sorted history is one file: one reader, whose records keep their order per user. 0 leaves the
     * job's default ({@code parallelism} not known).
     */
    static int readers(int parallelism, int files) {
        if (parallelism <= 0) {
            return files == 1 ? 1 : 0;
        }
        return Math.max(1, Math.min(parallelism, files));
    }

    /** The one-job alternative's input: the history files, then Kafka from the cut-over on. */
    public static DataStream<RawRecord> hybrid(StreamExecutionEnvironment env, JobConfig cfg) throws IOException {
        long cutover = Cutover.required(cfg);
        Source<RawRecord, ?, ?> source = hybridSource(cfg, files(cfg), cutover);
        DataStream<RawRecord> raw = env.fromSource(
                        source,
                        WatermarkStrategy.noWatermarks(),
                        "history files, then kafka",
                        TypeInformation.of(RawRecord.class))
                .uid(Uids.HYBRID_EVENT_SOURCE);
        return counted(raw, cfg, cutover);
    }

    /** Files first (bounded), then the event topic from the first record stamped at or after {@code cutover}. */
    public static HybridSource<RawRecord> hybridSource(JobConfig cfg, List<HistoryFile> files, long cutoverMillis) {
        KafkaSource<RawRecord> live = StreamingJob.kafkaSource(cfg, OffsetsInitializer.timestamp(cutoverMillis));
        FileSource<RawRecord> history = HistorySource.files(files, format(cfg), contextColumns(cfg), false);
        return HybridSource.builder(history).addSource(live).build();
    }

    private static DataStream<RawRecord> counted(DataStream<RawRecord> raw, JobConfig cfg, long cutoverMillis) {
        return raw.flatMap(new HistoryRecords(RecommendationPipeline.parserConfig(cfg), cutoverMillis))
                .setParallelism(raw.getParallelism())
                .uid(Uids.HISTORY_RECORDS)
                .name("history: count, cut over");
    }
}
