package io.desire.eval;

import java.io.IOException;

/**
 * Reads the history an evaluation runs on, as the options say (generated traffic, or a file in its
 * format), prints what the load did, and splits it as the options say.
 */
final class HistoryInput {

    private HistoryInput() {}

    /**
     * Generates or reads the history; with {@code keepRaw}, each row keeps its event JSON (the served
     * evaluation backfills it).
     */
    static History read(EvalOptions options, Progress progress, boolean keepRaw) throws IOException {
        if (options.generated() > 0) {
            progress.stage(
                    "generating %d events (%d users, %d items, seed %d)",
                    options.generated(), options.generatedUsers(), options.generatedItems(), options.seed());
            return GeneratedHistory.of(
                    options.generated(), options.generatedUsers(), options.generatedItems(), options.seed(), keepRaw);
        }
        progress.stage("reading %s as %s", options.input(), HistoryLoader.nameOf(options.format()));
        return HistoryLoader.load(options.input(), options.format(), keepRaw);
    }

    /** Prints the load's counts, the catalogue read beside the input (with {@code catalogue}) and the first bad lines. */
    static void report(History h, Progress progress, boolean catalogue) {
        LoadReport load = h.load;
        progress.stage(
                "loaded %d rows (%d users, %d items) from %d lines; %d bad lines, %d duplicates dropped",
                h.size(), h.numUsers(), h.numItems(), load.lines, load.badLines, load.duplicates);
        if (catalogue && load.catalogue != null) {
            progress.stage(
                    "item categories from %s: %d of the items listed, %d with a category",
                    load.catalogue, load.catalogueItems, h.itemCategory.size());
        }
        for (String sample : load.badSamples.subList(0, Math.min(3, load.badSamples.size()))) {
            progress.stage("  bad line %s", sample);
        }
    }

    /** Fails when nothing usable was read. */
    static void checkNotEmpty(History h) {
        if (h.size() == 0) {
            throw new IllegalStateException("no usable interactions in the input (" + h.load.badLines + " bad lines)");
        }
    }

    /** The split the options ask for: a global time cut ({@code chronological}) or per user at random. */
    static RowSplit split(History h, EvalOptions options) {
        return options.split().equals("chronological")
                ? RowSplit.chronological(h, options.validation(), options.test())
                : RowSplit.randomPerUser(h, options.validation(), options.test(), options.seed());
    }
}
