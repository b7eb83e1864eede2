package io.desire.jobs.history;

/**
 * Turns the non-blank lines of one history file of one format into event JSON; one instance per
 * file, fed its lines in order. Never throws on any input.
 */
interface LineConverter {
    /**
     * The event JSON (UTF-8) of one non-blank line; {@code null} when the line is a header; the line's
     * own bytes, unchanged, when it cannot be converted (so the parser rejects it with its origin).
     *
     * @param first whether this is the first non-blank line of the file (the one that may be a header)
     */
    byte[] convert(byte[] line, boolean first);
}
