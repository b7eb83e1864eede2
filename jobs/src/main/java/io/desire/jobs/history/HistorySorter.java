package io.desire.jobs.history;

import io.desire.features.event.EventParser;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;

/**
 * Puts history into event-time order before the graph reads it. History files are rarely written in
 * time order (MovieLens {@code ratings.csv} is sorted by user, {@code u.data} not at all), and read in
 * file order the windows would drop most events as late and sequences, co-visitation and the models
 * would follow file order, not time.
 *
 * <p>An external merge sort on local disk: every file is read through the job's own {@link
 * HistoryFormatReader} (the same conversion of CSV and MovieLens lines), each record's event time is
 * taken from the job's own {@link EventParser}, runs of {@code runSize} records are sorted in memory
 * and spilled, and the runs are merged into one file of {@link HistoryFormat#SORTED} lines ({@code
 * origin TAB event}), which the backfill then reads instead of the originals. The sort is stable:
 * records of equal event time keep their file order. Records the parser rejects sort first and keep
 * their origin, so they still become dead letters that name their file and line. Progress is printed
 * every {@code progressEvery} records.
 */
public final class HistorySorter {
    /** Records sorted in memory per run. */
    public static final int DEFAULT_RUN_SIZE = 500_000;
    /** Name of the sorted file in the work folder. */
    public static final String SORTED_FILE = "history.sorted";

    private final ParserConfig parserConfig;
    private final int runSize;
    private final PrintStream out;

    public HistorySorter(ParserConfig parserConfig, int runSize, PrintStream out) {
        if (runSize < 1) {
            throw new IllegalArgumentException("runSize must be ≥ 1, got " + runSize);
        }
        this.parserConfig = parserConfig;
        this.runSize = runSize;
        this.out = out;
    }

    /** What a sort produced. */
    public record Sorted(Path file, long records, long outOfOrder) {}

    private record Line(long ts, long seq, String origin, String payload) {}

    /**
     * Sorts {@code files} (read as {@code formatOrNull}, or detected per file) into {@code workDir}.
     *
     * @return the sorted file and how many records it holds
     */
    public Sorted sort(List<HistoryFile> files, HistoryFormat formatOrNull, Path workDir) throws IOException {
        return sort(files, formatOrNull, null, workDir);
    }

    /** As above, with the CSV columns that become context attributes ({@code history.context-columns}). */
    public Sorted sort(List<HistoryFile> files, HistoryFormat formatOrNull, ContextColumns contextColumns, Path workDir)
            throws IOException {
        Files.createDirectories(workDir);
        EventParser parser = new EventParser(parserConfig);
        HistoryFormatReader format = contextColumns == null
                ? new HistoryFormatReader(formatOrNull)
                : new HistoryFormatReader(formatOrNull, HistoryFormatReader.DEFAULT_BATCH_SIZE, contextColumns);
        List<Path> runs = new ArrayList<>();
        List<Line> buffer = new ArrayList<>();
        long seq = 0;
        long outOfOrder = 0;
        long previousTs = Long.MIN_VALUE;
        long started = System.nanoTime();
        for (HistoryFile f : files) {
            FileSourceSplit split = new FileSourceSplit("sort-" + runs.size(), f.path(), 0, f.size(), 0, f.size());
            try (BulkFormat.Reader<RawRecord> reader = format.createReader(new Configuration(), split)) {
                BulkFormat.RecordIterator<RawRecord> batch;
                while ((batch = reader.readBatch()) != null) {
                    RecordAndPosition<RawRecord> next;
                    while ((next = batch.next()) != null) {
                        RawRecord r = next.getRecord();
                        if (HistoryFormatReader.isMarker(r)) {
                            continue;
                        }
                        ParseOutcome parsed = parser.parse(r);
                        long ts = parsed.isValid() ? parsed.event().ts : Long.MIN_VALUE;
                        if (ts < previousTs) {
                            outOfOrder++;
                        }
                        previousTs = ts;
                        buffer.add(new Line(ts, seq++, r.source, new String(r.payload, StandardCharsets.UTF_8)));
                        if (buffer.size() >= runSize) {
                            runs.add(spill(buffer, workDir, runs.size()));
                            buffer.clear();
                        }
                        if (seq % 1_000_000 == 0) {
                            out.printf(
                                    Locale.ROOT,
                                    "sorting history by event time: %,d records read (%.1fs)%n",
                                    seq,
                                    (System.nanoTime() - started) / 1e9);
                        }
                    }
                    batch.releaseBatch();
                }
            }
        }
        Path sorted = workDir.resolve(SORTED_FILE);
        if (runs.isEmpty()) {
            buffer.sort(ORDER);
            try (BufferedWriter w = Files.newBufferedWriter(sorted, StandardCharsets.UTF_8)) {
                for (Line l : buffer) {
                    write(w, l);
                }
            }
        } else {
            if (!buffer.isEmpty()) {
                runs.add(spill(buffer, workDir, runs.size()));
            }
            merge(runs, sorted);
        }
        out.printf(
                Locale.ROOT,
                "sorted %,d history records by event time in %.1fs (%,d read out of order)%n",
                seq,
                (System.nanoTime() - started) / 1e9,
                outOfOrder);
        return new Sorted(sorted, seq, outOfOrder);
    }

    private static final Comparator<Line> ORDER =
            Comparator.comparingLong(Line::ts).thenComparingLong(Line::seq);

    private static void write(BufferedWriter w, Line l) throws IOException {
        w.write(l.origin);
        w.write('\t');
        w.write(l.payload);
        w.write('\n');
    }

    private static Path spill(List<Line> buffer, Path workDir, int index) throws IOException {
        buffer.sort(ORDER);
        Path run = workDir.resolve("run-" + index);
        try (BufferedWriter w = Files.newBufferedWriter(run, StandardCharsets.UTF_8)) {
            for (Line l : buffer) {
                w.write(Long.toString(l.ts));
                w.write('\t');
                w.write(Long.toString(l.seq));
                w.write('\t');
                write(w, l);
            }
        }
        return run;
    }

    /** A k-way merge of the spilled runs (each sorted) into {@code target}; the runs are deleted. */
    private static void merge(List<Path> runs, Path target) throws IOException {
        List<BufferedReader> readers = new ArrayList<>();
        PriorityQueue<Object[]> heap = new PriorityQueue<>(Comparator.comparing(o -> (Line) o[0], ORDER));
        try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            for (Path run : runs) {
                BufferedReader r = Files.newBufferedReader(run, StandardCharsets.UTF_8);
                readers.add(r);
                Line l = readRun(r);
                if (l != null) {
                    heap.add(new Object[] {l, r});
                }
            }
            while (!heap.isEmpty()) {
                Object[] top = heap.poll();
                write(w, (Line) top[0]);
                Line next = readRun((BufferedReader) top[1]);
                if (next != null) {
                    heap.add(new Object[] {next, top[1]});
                }
            }
        } finally {
            for (BufferedReader r : readers) {
                r.close();
            }
            for (Path run : runs) {
                Files.deleteIfExists(run);
            }
        }
    }

    private static Line readRun(BufferedReader r) throws IOException {
        String s = r.readLine();
        if (s == null) {
            return null;
        }
        int a = s.indexOf('\t');
        int b = s.indexOf('\t', a + 1);
        int c = s.indexOf('\t', b + 1);
        return new Line(
                Long.parseLong(s.substring(0, a)),
                Long.parseLong(s.substring(a + 1, b)),
                s.substring(b + 1, c),
                s.substring(c + 1));
    }
}
