package io.desire.jobs.history;

import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.apache.flink.api.common.io.compression.InflaterInputStreamFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.MutableRecordAndPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Reads whole history files, line by line, into {@link RawRecord}s for the event parser; the format of
 * the {@link org.apache.flink.connector.file.src.FileSource} built by {@link HistorySource}.
 *
 * <p>Each file is one split ({@link #isSplittable()} is false). It is decompressed by its extension
 * (Flink's {@link StandardDeCompressors}: {@code .gz}, {@code .gzip}, {@code .deflate}, {@code .bz2}, {@code .xz}),
 * read as lines ended by {@code \n} with a trailing {@code \r} and a leading UTF-8 byte-order mark
 * removed, and each line converted by {@link HistoryLines} in the configured format, or, when none
 * is configured, the one {@link HistoryFormat#detect} tells from the file's name and first line.
 *
 * <p>Guarantees, per file, in this order:
 *
 * <ul>
 *   <li>one record per line that holds data (blank lines and header lines give none), with the
 *       converted payload or, when the line cannot be converted, the line's own bytes (so it becomes a
 *       dead letter), source {@code file:<path>#<line>} (line numbers from 1, path as {@link
 *       #describe} writes it), and the wall-clock time of its batch as {@code receivedAt};
 *   <li>after the records of each batch, a progress marker ({@link #isProgress}: payload {@code null},
 *       source {@code read:<path>}, {@code receivedAt} the bytes of the stored file read since the
 *       previous marker, compressed bytes for a compressed file): the markers of a reader that reaches
 *       the end of the file add up to the file's size (a restored reader counts from the start again);
 *   <li>last, exactly one end-of-file marker ({@link #isEndOfFile}: payload {@code null}, source
 *       {@code eof:<path>}, {@code receivedAt} the file's size in bytes).
 * </ul>
 *
 * <p>Markers are not events: {@link HistoryRecords} counts and drops them before the parser. A line
 * longer than {@value #MAX_LINE_BYTES} bytes (the largest record any {@link ParserConfig} accepts, plus
 * one) is cut to that length, which the parser rejects as too large, so a file without line breaks
 * cannot exhaust memory.
 *
 * <p>Checkpoints: the position after a record is the number of lines consumed (offset {@link
 * CheckpointedPosition#NO_OFFSET}); the position after the end-of-file marker is that number plus one.
 * {@link #restoreReader} re-reads the file from its start (decompressed files cannot seek) and
 * skips those lines without converting them, so it continues with the next record: nothing is
 * emitted twice and nothing is lost, provided the file did not change.
 */
public final class HistoryFormatReader implements BulkFormat<RawRecord, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    /** Records (not counting markers) per batch handed to Flink. */
    public static final int DEFAULT_BATCH_SIZE = 1000;
    /** Longest line kept, in bytes; longer lines are cut to this length. */
    public static final int MAX_LINE_BYTES = ParserConfig.MAX_RECORD_BYTES_LIMIT + 1;
    /** Source prefix of records read from files. */
    public static final String FILE_SOURCE_PREFIX = "file:";
    /** Source prefix of end-of-file markers. */
    public static final String END_OF_FILE_PREFIX = "eof:";
    /** Source prefix of progress markers. */
    public static final String PROGRESS_PREFIX = "read:";

    private final HistoryFormat configured;
    private final int batchSize;
    private final ContextColumns contextColumns;

    /** Reads every file in {@code configuredOrNull}, or detects the format per file when it is {@code null}. */
    public HistoryFormatReader(HistoryFormat configuredOrNull) {
        this(configuredOrNull, DEFAULT_BATCH_SIZE);
    }

    /** As {@link #HistoryFormatReader(HistoryFormat)}, with at most {@code batchSize} records per batch. */
    public HistoryFormatReader(HistoryFormat configuredOrNull, int batchSize) {
        this(configuredOrNull, batchSize, ContextColumns.ALL);
    }

    /**
     * As {@link #HistoryFormatReader(HistoryFormat, int)}; of CSV files, the columns that are not event
     * fields and that {@code contextColumns} selects become context attributes.
     */
    public HistoryFormatReader(HistoryFormat configuredOrNull, int batchSize, ContextColumns contextColumns) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize is " + batchSize + ", expected >= 1");
        }
        this.configured = configuredOrNull;
        this.batchSize = batchSize;
        this.contextColumns = java.util.Objects.requireNonNull(contextColumns, "contextColumns");
    }

    /** The configured format, or {@code null} for detection per file. */
    public HistoryFormat configuredFormat() {
        return configured;
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split, 0L);
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        CheckpointedPosition position = split.getReaderPosition().orElse(null);
        if (position == null) {
            return new LineReader(split, 0L);
        }
        if (position.getOffset() != CheckpointedPosition.NO_OFFSET) {
            throw new IOException("cannot resume " + split.path() + " at byte offset " + position.getOffset()
                    + ": history files resume by line count (offset NO_OFFSET), got " + position);
        }
        return new LineReader(split, position.getRecordsAfterOffset());
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    /** Whether {@code record} is the end-of-file marker of a history file, not an event. */
    public static boolean isEndOfFile(RawRecord record) {
        return record != null
                && record.payload == null
                && record.source != null
                && record.source.startsWith(END_OF_FILE_PREFIX);
    }

    /** Whether {@code record} is a progress marker of a history file, not an event. */
    public static boolean isProgress(RawRecord record) {
        return record != null
                && record.payload == null
                && record.source != null
                && record.source.startsWith(PROGRESS_PREFIX);
    }

    /** Whether {@code record} is a marker ({@link #isEndOfFile} or {@link #isProgress}), not an event. */
    public static boolean isMarker(RawRecord record) {
        return isEndOfFile(record) || isProgress(record);
    }

    /**
     * How a file is named in record sources: the plain path for local files ({@code /data/a.jsonl}),
     * the URI for others ({@code s3://bucket/a.jsonl}).
     */
    public static String describe(Path path) {
        URI uri = path.toUri();
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            return uri.getPath();
        }
        return path.toString();
    }

    /** The decompressor for a file name by its last extension, or null for an uncompressed file. */
    static InflaterInputStreamFactory<?> decompressorFor(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? null : StandardDeCompressors.getDecompressorForExtension(name.substring(dot + 1));
    }

    /** Reads one file. */
    private final class LineReader implements BulkFormat.Reader<RawRecord> {
        private final FSDataInputStream raw;
        private final LineInput lines;
        private final HistoryLines converter;
        /** Whether lines carry their own origin ({@link HistoryFormat#SORTED}). */
        private boolean sorted;

        private final String recordPrefix;
        private final String progressSource;
        private final String endSource;
        private final long fileSize;

        /** Lines consumed so far. */
        private long lineNumber;
        /** A line read ahead to detect the format, not yet consumed. */
        private byte[] lookahead;
        /** Bytes of the stored file reported in progress markers so far. */
        private long reported;

        private boolean endEmitted;
        private boolean closed;

        LineReader(FileSourceSplit split, long linesToSkip) throws IOException {
            if (split.offset() != 0) {
                throw new IOException("history file " + split.path()
                        + " must be read whole, but the split starts at byte " + split.offset());
            }
            Path path = split.path();
            String name = path.getName();
            String where = describe(path);
            this.recordPrefix = FILE_SOURCE_PREFIX + where + '#';
            this.progressSource = PROGRESS_PREFIX + where;
            this.endSource = END_OF_FILE_PREFIX + where;
            this.fileSize = split.fileSize();
            FileSystem fs = path.getFileSystem();
            this.raw = fs.open(path);
            try {
                InflaterInputStreamFactory<?> decompressor = decompressorFor(name);
                InputStream in = decompressor == null ? raw : decompressor.create(raw);
                this.lines = new LineInput(in, MAX_LINE_BYTES);
                this.lookahead = lines.readLine();
                HistoryFormat format = configured;
                if (format == null) {
                    format = HistoryFormat.detect(
                            name, lookahead == null ? null : new String(lookahead, StandardCharsets.UTF_8));
                }
                this.converter = HistoryLines.forFile(format, name, contextColumns);
                this.sorted = format == HistoryFormat.SORTED;
                while (lineNumber < linesToSkip) {
                    byte[] line = nextLine();
                    if (line == null) {
                        // Only the end-of-file marker was left, and it was emitted before the checkpoint.
                        endEmitted = true;
                        break;
                    }
                    converter.skip(line);
                }
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        /** The next line, its number counted; null at the end of the file. */
        private byte[] nextLine() throws IOException {
            byte[] line;
            if (lookahead != null) {
                line = lookahead;
                lookahead = null;
            } else {
                line = lines.readLine();
            }
            if (line == null) {
                return null;
            }
            lineNumber++;
            return lineNumber == 1 ? withoutBom(line) : line;
        }

        @Override
        public RecordIterator<RawRecord> readBatch() throws IOException {
            if (endEmitted) {
                close();
                return null;
            }
            RawRecord[] records = new RawRecord[batchSize + 2];
            long[] positions = new long[batchSize + 2];
            int n = 0;
            long now = System.currentTimeMillis();
            boolean atEnd = false;
            while (n < batchSize) {
                byte[] line = nextLine();
                if (line == null) {
                    atEnd = true;
                    break;
                }
                byte[] payload = converter.convert(line);
                if (payload != null && sorted) {
                    int tab = indexOf(payload, (byte) '\t');
                    String origin =
                            tab < 0 ? recordPrefix + lineNumber : new String(payload, 0, tab, StandardCharsets.UTF_8);
                    records[n] = new RawRecord(
                            tab < 0 ? payload : Arrays.copyOfRange(payload, tab + 1, payload.length), origin, now);
                    positions[n++] = lineNumber;
                } else if (payload != null) {
                    records[n] = new RawRecord(payload, recordPrefix + lineNumber, now);
                    positions[n++] = lineNumber;
                }
            }
            long read = atEnd ? fileSize : Math.min(raw.getPos(), fileSize);
            if (read > reported) {
                records[n] = new RawRecord(null, progressSource, read - reported);
                positions[n++] = lineNumber;
                reported = read;
            }
            if (atEnd) {
                records[n] = new RawRecord(null, endSource, fileSize);
                positions[n++] = lineNumber + 1;
                endEmitted = true;
            }
            return new Batch(records, positions, n);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                raw.close();
            }
        }
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] withoutBom(byte[] line) {
        if (line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
            return Arrays.copyOfRange(line, 3, line.length);
        }
        return line;
    }

    /** One batch: records with the position after each. */
    private static final class Batch implements BulkFormat.RecordIterator<RawRecord> {
        private final RawRecord[] records;
        private final long[] positions;
        private final int size;
        private final MutableRecordAndPosition<RawRecord> current = new MutableRecordAndPosition<>();
        private int next;

        Batch(RawRecord[] records, long[] positions, int size) {
            this.records = records;
            this.positions = positions;
            this.size = size;
        }

        @Override
        public RecordAndPosition<RawRecord> next() {
            if (next >= size) {
                return null;
            }
            current.set(records[next], CheckpointedPosition.NO_OFFSET, positions[next]);
            next++;
            return current;
        }

        @Override
        public void releaseBatch() {}
    }
}
