package io.desire.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What loading an input did: lines read, rows kept, and every line that was not used — bad lines
 * counted by reason with the first few quoted, duplicates, and records that are valid but carry no
 * interaction (catalog, user attributes, impressions). Bad lines never stop a load.
 */
final class LoadReport {

    /** How many bad lines are quoted in the report. */
    static final int MAX_SAMPLES = 10;

    final String source;
    final String format;
    long lines;
    long rows;
    long badLines;
    long duplicates;
    long forgottenRows;
    /** The movie list read for item categories, or {@code null}. */
    String catalogue;
    /** Items of the history found in {@link #catalogue}. */
    long catalogueItems;

    final Map<String, Long> badByReason = new TreeMap<>();
    final List<String> badSamples = new ArrayList<>();
    final Map<String, Long> ignored = new TreeMap<>();

    LoadReport(String source, String format) {
        this.source = source;
        this.format = format;
    }

    /** Records a line that cannot be used; {@code where} is e.g. {@code file:path#12}. */
    void bad(String where, String reason, String detail) {
        badLines++;
        badByReason.merge(reason, 1L, Long::sum);
        if (badSamples.size() < MAX_SAMPLES) {
            badSamples.add(where + ": " + reason + ": " + detail);
        }
    }

    void ignored(String what) {
        ignored.merge(what, 1L, Long::sum);
    }
}
