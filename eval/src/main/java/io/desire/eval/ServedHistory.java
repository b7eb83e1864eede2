package io.desire.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.desire.features.event.EventParser;
import io.desire.features.event.ParseOutcome;
import io.desire.features.event.ParserConfig;
import io.desire.features.event.RawRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rows of a split as the backfill and the app see them: the training part written back as a
 * history file of events (JSONL of the contract), and the context key of each test event as the job
 * computes it.
 *
 * <p>A row keeps its input record when the loader kept one (JSONL, generated traffic); a row of a
 * rating file becomes the {@code rate} event the backfill's MovieLens reader would make of the line
 * ({@code user_id}, {@code item_id}, {@code ts}, {@code value} = the rating). Catalogue and user
 * records of the input go to every training file.
 */
final class ServedHistory {

    private static final JsonFactory JSON = new JsonFactory();

    private ServedHistory() {}

    /** Writes the rows (and the input's catalogue records) to {@code file} as JSONL; returns the number of lines. */
    static long writeTraining(History h, int[] rows, Path file) throws IOException {
        long lines = 0;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (byte[] side : h.sideRecords) {
                out.write(side);
                out.write('\n');
                lines++;
            }
            for (int r : rows) {
                out.write(event(h, r));
                out.write('\n');
                lines++;
            }
        }
        return lines;
    }

    /** The row's event JSON: its input record, or a {@code rate} event built from the row. */
    static byte[] event(History h, int row) {
        byte[] raw = h.raw(row);
        if (raw != null) {
            return raw;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(160);
        try (JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("event_id", "eval-" + row);
            g.writeNumberField("ts", h.ts(row));
            g.writeStringField("type", "rate");
            g.writeStringField("user_id", h.userId(h.user(row)));
            g.writeStringField("item_id", h.itemId(h.item(row)));
            g.writeNumberField("value", h.hasRating(row) ? h.rating(row) : h.value(row));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** The context key of each row's event as the job's parser computes it; null for a row it rejects. */
    static String[] contextKeys(History h, int[] rows, ParserConfig config) {
        EventParser parser = new EventParser(config);
        String[] keys = new String[rows.length];
        for (int j = 0; j < rows.length; j++) {
            ParseOutcome o = parser.parse(new RawRecord(event(h, rows[j]), "test#" + rows[j], 0L));
            keys[j] = o.isValid() ? o.event().contextKey() : null;
        }
        return keys;
    }
}
