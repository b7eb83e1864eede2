package io.desire.jobs.history;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes one event's JSON at a time into a reused in-memory buffer, for the converters. Not
 * thread-safe: one per converter.
 */
final class EventJson {
    private static final JsonFactory JSON = new JsonFactory();

    /** Writes the fields of one event object (the object's start and end are written around them). */
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(256);

    /** The UTF-8 bytes of the object whose fields {@code fields} writes. */
    byte[] object(Fields fields) {
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            // only a bug can get here: the generator writes to memory
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        byte[] out = buffer.toByteArray();
        buffer.reset();
        return out;
    }
}
