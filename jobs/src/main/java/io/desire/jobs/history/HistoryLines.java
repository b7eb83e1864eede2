package io.desire.jobs.history;

import java.util.Objects;

/**
 * Turns the lines of one history file into event JSON of the contract (docs/events.md), one line at a
 * time. One instance per file: the first non-blank line may be a header that sets how the rest is read.
 *
 * <p>Guarantees: {@link #convert} never throws on any input and never drops a line that holds data.
 * It returns {@code null} only for a blank line or a header line; for every other line it returns
 * either the event JSON (UTF-8) or, when the line cannot be converted (wrong number of cells, an
 * unterminated quote, a rating that is not a number, bytes that are not UTF-8), the line's original
 * bytes unchanged, so the event parser rejects it and it becomes a dead letter with its origin. Values
 * are copied, never judged: the event parser validates them.
 *
 * <p>Each {@link HistoryFormat} has one converter, which says how it reads its lines:
 *
 * <ul>
 *   <li>{@link HistoryFormat#JSONL} (and {@code SORTED}): {@link JsonlLines}, the line as it is.
 *   <li>{@link HistoryFormat#CSV}: {@link CsvLines}, a header of contract field names, then one event
 *       per row.
 *   <li>{@link HistoryFormat#MOVIELENS}: {@link MovieLensLines}, ratings and movies in each of the
 *       {@link MovieLensLayout MovieLens layouts}.
 * </ul>
 *
 * <p>Not thread-safe; cheap to create.
 */
public final class HistoryLines {
    private final LineConverter converter;

    /** Whether the first non-blank line has been seen. */
    private boolean started;

    private HistoryLines(LineConverter converter) {
        this.converter = converter;
    }

    /**
     * A converter for the lines of the file named {@code fileName} (its name tells MovieLens layouts
     * apart); CSV columns that are not event fields become context attributes.
     */
    public static HistoryLines forFile(HistoryFormat format, String fileName) {
        return forFile(format, fileName, ContextColumns.ALL);
    }

    /** As {@link #forFile(HistoryFormat, String)}, with the CSV columns {@code contextColumns} selects as attributes. */
    public static HistoryLines forFile(HistoryFormat format, String fileName, ContextColumns contextColumns) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(contextColumns, "contextColumns");
        return new HistoryLines(converterFor(format, fileName == null ? "" : fileName, contextColumns));
    }

    private static LineConverter converterFor(HistoryFormat format, String fileName, ContextColumns contextColumns) {
        switch (format) {
            case JSONL:
            case SORTED:
                return new JsonlLines();
            case CSV:
                return new CsvLines(contextColumns);
            case MOVIELENS:
                return new MovieLensLines(fileName);
            default:
                throw new IllegalStateException("unknown format " + format);
        }
    }

    /**
     * The payload of one line (without its line terminator and byte-order mark), or {@code null} when
     * the line is blank or a header.
     */
    public byte[] convert(byte[] line) {
        if (isBlank(line)) {
            return null;
        }
        boolean first = !started;
        started = true;
        return converter.convert(line, first);
    }

    /**
     * Takes note of a line without converting it, as {@link #convert} would (a header still sets the
     * columns); for resuming a file after the lines already emitted.
     */
    public void skip(byte[] line) {
        if (!started) {
            convert(line);
        }
    }

    /** True for an empty line or one of only spaces, tabs and carriage returns. */
    static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
