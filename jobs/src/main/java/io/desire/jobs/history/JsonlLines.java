package io.desire.jobs.history;

/** {@link HistoryFormat#JSONL} (and {@code SORTED}, its sorted form): each line is already an event's JSON. */
final class JsonlLines implements LineConverter {
    @Override
    public byte[] convert(byte[] line, boolean first) {
        return line;
    }
}
