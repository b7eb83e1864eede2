package io.desire.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;

/**
 * The served-quality section: the backfills' job arguments and one row per scored list source — the
 * offline models, the served documents and each candidate source alone.
 */
record ServedReport(String runId, List<String> jobArgs, List<Row> rows) {

    /**
     * One row. Offline rows have a name, description, metrics and seconds; served rows also the alias,
     * the backfill's figures, and either metrics or the error of a failed run, and what was cleaned up.
     *
     * @param kind {@code offline} or {@code served}
     */
    @JsonInclude(Include.NON_NULL)
    record Row(
            String name,
            String kind,
            String description,
            String alias,
            Double backfillSeconds,
            String index,
            Long documents,
            Metrics metrics,
            String error,
            List<String> cleanedUp,
            Double seconds) {

        static Row offline(String name, String description, Metrics metrics, Double seconds) {
            return new Row(name, "offline", description, null, null, null, null, metrics, null, null, seconds);
        }
    }

    /**
     * {@link ServedScorer}'s figures; {@code unitsInContext} and {@code unitsFallback} (how each unit's
     * document was found) only for served rows.
     */
    record Metrics(
            Double ndcg,
            Double recall,
            Double precision,
            Double hitRate,
            Double coverage,
            Double diversity,
            long consumedInTraining,
            long listsWithConsumed,
            long listsShorterThanK,
            long units,
            int users,
            long unitsWithoutDocument,
            @JsonInclude(Include.NON_NULL) Long unitsInContext,
            @JsonInclude(Include.NON_NULL) Long unitsFallback) {

        Metrics withPlacement(long inContext, long fallback) {
            return new Metrics(
                    ndcg,
                    recall,
                    precision,
                    hitRate,
                    coverage,
                    diversity,
                    consumedInTraining,
                    listsWithConsumed,
                    listsShorterThanK,
                    units,
                    users,
                    unitsWithoutDocument,
                    inContext,
                    fallback);
        }

        @Override
        public String toString() {
            return ReportJson.flat(this);
        }
    }
}
