package io.desire.jobs.history;

import io.desire.features.event.ContextAttributes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.io.compression.InflaterInputStreamFactory;
import org.apache.flink.core.fs.Path;

/**
 * Reads the header of each CSV history file before a job starts, so that a CSV file which does not
 * describe events is refused, with its name and its columns, instead of turning every row into a
 * dead letter one by one.
 *
 * <p>Guarantees: a file is checked when it is read as CSV, that is when {@code history.format=csv},
 * or under automatic detection when its name ends in {@code .csv} (compressed or not) and its header
 * is not MovieLens'. Its first non-blank line must then name the columns every event needs ({@link
 * #REQUIRED}: event_id, ts, type), as {@link CsvLines} reads them. Empty files pass. Other formats are not
 * opened.
 */
public final class CsvHeaders {
    /** The columns a CSV history file must have: the fields the event contract requires of every event. */
    public static final List<String> REQUIRED = List.of("event_id", "ts", "type");
    /** A header longer than this is not a header; reading stops there instead of taking a whole file. */
    private static final int MAX_HEADER_CHARS = 64 * 1024;

    private CsvHeaders() {}

    /**
     * Checks the header of every file of {@code files} that is read as CSV.
     *
     * @param configuredOrNull the configured format, or null for detection per file
     * @throws IllegalArgumentException naming the first file whose header lacks a required column
     * @throws IOException when such a file cannot be opened or read
     */
    public static void check(List<HistoryFile> files, HistoryFormat configuredOrNull) throws IOException {
        check(files, configuredOrNull, ContextColumns.ALL);
    }

    /**
     * As {@link #check(List, HistoryFormat)}; also refuses a file with more context-attribute columns
     * (those {@code contextColumns} selects) than an event may carry.
     */
    public static void check(List<HistoryFile> files, HistoryFormat configuredOrNull, ContextColumns contextColumns)
            throws IOException {
        for (HistoryFile file : files) {
            if (configuredOrNull == HistoryFormat.CSV
                    || (configuredOrNull == null
                            && HistoryFormat.baseName(file.path().getName()).endsWith(".csv"))) {
                checkHeader(file.path().toString(), firstLine(file.path()), configuredOrNull, contextColumns);
            }
        }
    }

    /**
     * Checks the header line {@code headerLine} of the file {@code fileName}; {@code null} (an empty
     * file) passes, and so does a MovieLens header under automatic detection.
     *
     * @throws IllegalArgumentException when the file is read as CSV and its header lacks a required column
     */
    static void checkHeader(String fileName, String headerLine, HistoryFormat configuredOrNull) {
        checkHeader(fileName, headerLine, configuredOrNull, ContextColumns.ALL);
    }

    /**
     * As {@link #checkHeader(String, String, HistoryFormat)}; also refuses a header with more than
     * {@link ContextAttributes#MAX_ATTRIBUTES} context-attribute columns, or one whose name is longer than
     * {@link ContextAttributes#MAX_KEY_CHARS}: every row with values there would be a dead letter.
     */
    static void checkHeader(
            String fileName, String headerLine, HistoryFormat configuredOrNull, ContextColumns contextColumns) {
        if (headerLine == null) {
            return;
        }
        HistoryFormat format = configuredOrNull != null ? configuredOrNull : HistoryFormat.detect(fileName, headerLine);
        if (format != HistoryFormat.CSV) {
            return;
        }
        List<String> columns = CsvCells.columns(headerLine);
        List<String> missing = columns == null
                ? REQUIRED
                : REQUIRED.stream().filter(c -> !columns.contains(c)).toList();
        if (missing.isEmpty()) {
            checkAttributeColumns(fileName, columns, contextColumns);
            return;
        }
        String hint = HistoryFormat.normalizedHeader(headerLine).contains("movieid")
                ? " MovieLens files other than ratings and movies (tags, links, genome scores) are not events:"
                        + " list the ratings and movies files in history.input instead of their directory."
                : " A CSV history file starts with a header of event fields (docs/backfill.md).";
        throw new IllegalArgumentException("history file " + fileName + " is read as CSV, but its header "
                + abbreviated(headerLine) + " lacks " + String.join(", ", missing) + " (every event needs "
                + String.join(", ", REQUIRED) + ")." + hint);
    }

    private static void checkAttributeColumns(String fileName, List<String> columns, ContextColumns contextColumns) {
        List<String> attributes = contextColumns.attributeColumns(columns);
        if (attributes.size() > ContextAttributes.MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("history file " + fileName + " has " + attributes.size()
                    + " columns that are not event fields (" + abbreviated(String.join(",", attributes))
                    + "); each becomes a context attribute, and an event carries at most "
                    + ContextAttributes.MAX_ATTRIBUTES + ". List the ones to keep in history.context-columns"
                    + " (or none).");
        }
        for (String column : attributes) {
            if (column.length() > ContextAttributes.MAX_KEY_CHARS) {
                throw new IllegalArgumentException("history file " + fileName + " has a column named "
                        + abbreviated(column) + " of " + column.length() + " characters; as a context attribute key"
                        + " it may have at most " + ContextAttributes.MAX_KEY_CHARS
                        + ". Leave it out with history.context-columns.");
            }
        }
    }

    /**
     * The first non-blank line of the file as {@link LineInput} gives it to the reader (decompressed
     * as its extension says, without the file's byte-order mark and the line's {@code \r}); null for
     * an empty file.
     */
    static String firstLine(Path path) throws IOException {
        InflaterInputStreamFactory<?> decompressor = HistoryFormatReader.decompressorFor(path.getName());
        try (InputStream raw = path.getFileSystem().open(path);
                InputStream in = decompressor != null ? decompressor.create(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            boolean fileStart = true;
            int c;
            while ((c = reader.read()) >= 0) {
                if (fileStart && c == '\uFEFF') {
                    fileStart = false;
                    continue;
                }
                fileStart = false;
                if (c == '\n') {
                    if (!line.toString().isBlank()) {
                        return withoutCarriageReturn(line);
                    }
                    line.setLength(0);
                } else if (line.length() < MAX_HEADER_CHARS) {
                    line.append((char) c);
                } else {
                    return withoutCarriageReturn(line);
                }
            }
            return line.toString().isBlank() ? null : withoutCarriageReturn(line);
        }
    }

    private static String withoutCarriageReturn(StringBuilder line) {
        int n = line.length();
        return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
    }

    private static String abbreviated(String headerLine) {
        String h = headerLine.strip();
        return "'" + (h.length() > 200 ? h.substring(0, 200) + "…" : h) + "'";
    }
}
