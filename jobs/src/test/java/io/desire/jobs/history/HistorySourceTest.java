package io.desire.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * History files read end to end by Flink's FileSource on a mini cluster: a JSONL file, a gzipped CSV
 * file and a MovieLens ratings.csv in one directory, detected per file, then counted and cut over by
 * {@link HistoryRecords}.
 */
class HistorySourceTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** 2025-05-31T10:00Z. */
    private static final long T = 1_748_685_600_000L;

    private static final long CUTOVER = T + 3_000;

    @TempDir
    Path dir;

    private Path jsonl;
    private Path csvGz;
    private Path ratings;
    /** Every record the files must give: source → payload. */
    private final Map<String, String> expected = new HashMap<>();
    /** Sources of the records at or after {@link #CUTOVER}. */
    private final List<String> afterCutover = new ArrayList<>();

    @BeforeEach
    void writeHistory() throws IOException {
        jsonl = dir.resolve("events.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(event("j" + i, T + i * 1000L));
        }
        lines.add("");
        lines.add("{\"event_id\":\"broken\""); // malformed: must arrive to become a dead letter
        Files.writeString(jsonl, String.join("\n", lines) + "\n");
        for (int i = 0; i < 6; i++) {
            expected.put(source(jsonl, i + 1), lines.get(i));
            if (T + i * 1000L >= CUTOVER) {
                afterCutover.add(source(jsonl, i + 1));
            }
        }
        expected.put(source(jsonl, 8), "{\"event_id\":\"broken\"");

        csvGz = dir.resolve("sub/more.csv.gz");
        Files.createDirectories(csvGz.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(csvGz))) {
            out.write(("event_id,ts,type,user_id,item_id\n"
                            + "c1," + (T + 500) + ",click,u2,i9\n"
                            + "c2," + (T + 9000) + ",click,u2,i9\n"
                            + "c3,not-a-time,click,u2,i9\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        expected.put(
                source(csvGz, 2),
                "{\"event_id\":\"c1\",\"ts\":\"" + (T + 500)
                        + "\",\"type\":\"click\",\"user_id\":\"u2\",\"item_id\":\"i9\"}");
        expected.put(
                source(csvGz, 3),
                "{\"event_id\":\"c2\",\"ts\":\"" + (T + 9000)
                        + "\",\"type\":\"click\",\"user_id\":\"u2\",\"item_id\":\"i9\"}");
        afterCutover.add(source(csvGz, 3));
        expected.put(
                source(csvGz, 4),
                "{\"event_id\":\"c3\",\"ts\":\"not-a-time\",\"type\":\"click\",\"user_id\":\"u2\",\"item_id\":\"i9\"}");

        ratings = dir.resolve("ml/ratings.csv");
        Files.createDirectories(ratings.getParent());
        Files.writeString(
                ratings, "userId,movieId,rating,timestamp\r\n1,296,5.0,1147880044\r\n1,306,3.5,1147868817\r\n");
        expected.put(
                source(ratings, 2),
                "{\"event_id\":\"ml-1-296-1147880044\",\"ts\":1147880044000,\"type\":\"rate\","
                        + "\"user_id\":\"1\",\"item_id\":\"296\",\"value\":5.0}");
        expected.put(
                source(ratings, 3),
                "{\"event_id\":\"ml-1-306-1147868817\",\"ts\":1147868817000,\"type\":\"rate\","
                        + "\"user_id\":\"1\",\"item_id\":\"306\",\"value\":3.5}");

        Files.writeString(dir.resolve("_SUCCESS"), "");
    }

    @Test
    void everyLineArrivesWithItsOriginAndEachFileEndsWithOneMarker() throws Exception {
        List<HistoryFile> files = HistoryFiles.expand(List.of(dir.toString()));
        assertThat(files).hasSize(3);
        var source = HistorySource.files(files, null, false);
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<RawRecord> all = new ArrayList<>();
        try (CloseableIterator<RawRecord> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "history")
                .executeAndCollect("read history")) {
            it.forEachRemaining(all::add);
        }

        Map<String, String> events = new HashMap<>();
        List<String> ends = new ArrayList<>();
        Map<String, Long> progress = new HashMap<>();
        for (RawRecord r : all) {
            if (HistoryFormatReader.isEndOfFile(r)) {
                ends.add(r.source + "=" + r.receivedAt);
            } else if (HistoryFormatReader.isProgress(r)) {
                progress.merge(r.source, r.receivedAt, Long::sum);
            } else {
                assertThat(events.put(r.source, new String(r.payload, StandardCharsets.UTF_8)))
                        .as(r.source)
                        .isNull();
            }
        }
        assertThat(events).isEqualTo(expected);
        assertThat(ends)
                .containsExactlyInAnyOrder(
                        "eof:" + jsonl + "=" + Files.size(jsonl),
                        "eof:" + csvGz + "=" + Files.size(csvGz),
                        "eof:" + ratings + "=" + Files.size(ratings));
        assertThat(progress)
                .containsOnly(
                        Map.entry("read:" + jsonl, Files.size(jsonl)),
                        Map.entry("read:" + csvGz, Files.size(csvGz)),
                        Map.entry("read:" + ratings, Files.size(ratings)));
    }

    @Test
    void historyRecordsDropsEventsFromTheCutoverOnAndCountsWhatWasRead() throws Exception {
        List<HistoryFile> files = HistoryFiles.expand(List.of(dir.toString()));
        long totalBytes = files.stream().mapToLong(HistoryFile::size).sum();
        RawRecord live =
                new RawRecord("{\"event_id\":\"k1\"}".getBytes(StandardCharsets.UTF_8), "kafka:events/0@7", T + 9000);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<RawRecord> raw = env.fromSource(
                        HistorySource.files(files, null, false), WatermarkStrategy.noWatermarks(), "history")
                .union(env.fromData(live));
        CloseableIterator<RawRecord> out = raw.flatMap(new HistoryRecords(ParserConfig.defaults(), CUTOVER))
                .name("history records")
                .collectAsync();
        JobExecutionResult result = env.execute("history with cut-over");
        Map<String, String> passed = new HashMap<>();
        out.forEachRemaining(r -> passed.put(r.source, new String(r.payload, StandardCharsets.UTF_8)));
        out.close();

        Map<String, String> before = new HashMap<>(expected);
        afterCutover.forEach(before::remove);
        before.put(live.source, "{\"event_id\":\"k1\"}");
        assertThat(passed).isEqualTo(before);
        assertThat(afterCutover).hasSize(4);

        assertThat((Long) result.getAccumulatorResult(HistoryRecords.HISTORY_FILES))
                .isEqualTo(3L);
        assertThat((Long) result.getAccumulatorResult(HistoryRecords.HISTORY_RECORDS))
                .isEqualTo((long) expected.size());
        assertThat((Long) result.getAccumulatorResult(HistoryRecords.HISTORY_BYTES))
                .isEqualTo(totalBytes);
        assertThat((Long) result.getAccumulatorResult(HistoryRecords.HISTORY_AFTER_CUTOVER))
                .isEqualTo(4L);
    }

    @Test
    void withKeepAliveTheJobKeepsRunningAfterTheLastFile() throws Exception {
        List<HistoryFile> files = HistoryFiles.expand(List.of(dir.toString()));
        var source = HistorySource.files(files, null, true);
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CloseableIterator<RawRecord> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "history")
                .collectAsync();
        JobClient job = env.executeAsync("history, kept alive");
        try {
            Map<String, String> events = new HashMap<>();
            int ends = 0;
            while (ends < files.size() && it.hasNext()) {
                RawRecord r = it.next();
                if (HistoryFormatReader.isEndOfFile(r)) {
                    ends++;
                } else if (!HistoryFormatReader.isProgress(r)) {
                    events.put(r.source, new String(r.payload, StandardCharsets.UTF_8));
                }
            }
            assertThat(ends).isEqualTo(files.size());
            assertThat(events).isEqualTo(expected);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
            it.close();
        }
    }

    @Test
    void theFilesAreListedOnceNotPolled() throws Exception {
        FileEnumerator enumerator = new HistorySource.ListedOnce().create();
        org.apache.flink.core.fs.Path[] paths = {
            new org.apache.flink.core.fs.Path(jsonl.toUri()),
            new org.apache.flink.core.fs.Path(dir.resolve("_SUCCESS").toUri())
        };

        assertThat(enumerator.enumerateSplits(paths, 1))
                .extracting(split -> split.path().getName())
                .containsExactlyInAnyOrder("events.jsonl", "_SUCCESS");
        Files.delete(jsonl);
        assertThat(enumerator.enumerateSplits(paths, 1)).isEmpty();
    }

    private static String event(String id, long ts) {
        return "{\"event_id\":\"" + id + "\",\"ts\":" + ts + ",\"type\":\"view\",\"user_id\":\"u1\",\"item_id\":\"i"
                + id + "\"}";
    }

    private static String source(Path file, int line) {
        return "file:" + file + "#" + line;
    }
}
