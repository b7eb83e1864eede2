package io.desire.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * The evaluation's result, written as {@code report.json} (by {@link ReportJson}, field names in
 * snake case) and rendered as {@code report.html} ({@link ReportHtml}) from the same record, so the two
 * never disagree. Sections an evaluation did not run are null and left out of the JSON.
 *
 * @param planted FTRL against the factorisation machine ({@code --planted}), or null
 */
@JsonInclude(Include.NON_NULL)
record EvalReport(
        String title,
        String generatedAt,
        Input input,
        Split split,
        Protocol protocol,
        TuningReport tuning,
        ServedReport served,
        List<ModelRow> models,
        PrequentialReport prequential,
        PlantedBenchmark.Report planted,
        Double elapsedSeconds) {

    /** What was read: {@link LoadReport}'s counts and the history's size. */
    record Input(
            String source,
            String format,
            long lines,
            long rows,
            long duplicatesDropped,
            long forgottenUserRowsDropped,
            BadLines badLines,
            Map<String, Long> ignoredRecords,
            @JsonInclude(Include.NON_NULL) Catalogue catalogue,
            int users,
            int items,
            boolean hasContext,
            int contexts,
            boolean hasRatings,
            int itemsWithCategory) {

        static Input of(History h) {
            LoadReport load = h.load;
            return new Input(
                    load.source,
                    load.format,
                    load.lines,
                    load.rows,
                    load.duplicates,
                    load.forgottenRows,
                    new BadLines(load.badLines, load.badByReason, load.badSamples),
                    load.ignored,
                    load.catalogue == null ? null : new Catalogue(load.catalogue, load.catalogueItems),
                    h.numUsers(),
                    h.numItems(),
                    h.hasContext(),
                    h.contexts.size(),
                    h.hasRatings(),
                    h.itemCategory.size());
        }
    }

    /** Lines that could not be used, by reason, with the first few quoted. */
    record BadLines(long count, Map<String, Long> byReason, List<String> first) {}

    /** The item list read for categories. */
    record Catalogue(String source, long itemsFound) {}

    /** How the rows were split. */
    record Split(
            String scheme,
            String description,
            double validationFraction,
            double testFraction,
            long seed,
            int trainRows,
            int validationRows,
            int testRows,
            String finalFit) {}

    /** How lists are scored: {@link Offline} for the offline evaluation, {@link Served} for the served one. */
    sealed interface Protocol permits Protocol.Offline, Protocol.Served {
        int k();

        String relevant();

        String candidates();

        /** The offline protocol; {@code users} says which users are scored. */
        record Offline(int k, String relevant, String candidates, String users, String map) implements Protocol {}

        /** The served protocol: the unit, the document match and the sizes of the scored set. */
        record Served(
                int k,
                String relevant,
                String candidates,
                String unit,
                String match,
                int units,
                long users,
                int catalogueItems,
                String ndcg,
                String diversity)
                implements Protocol {}
    }
}
