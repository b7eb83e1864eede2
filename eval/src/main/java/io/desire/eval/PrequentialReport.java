package io.desire.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The prequential (test-then-train) pass of online ALS over the time-ordered test period, as reported. */
record PrequentialReport(
        String description,
        int k,
        int window,
        long streamEvents,
        long scored,
        long skippedColdUser,
        long skippedRepeat,
        long skippedNotRelevant,
        long learned,
        Double streamSeconds,
        Double eventsPerSecond,
        Overall overall,
        List<Window> windows,
        AfterStream afterStream) {

    /** Means over every scored event. */
    record Overall(Double onlineRecall, Double onlineNdcg, Double staticRecall, Double staticNdcg) {
        @Override
        public String toString() {
            return ReportJson.flat(this);
        }
    }

    /** Means over one window of scored events, ending at {@code endScored}. */
    record Window(
            long endScored,
            long scored,
            Double onlineRecall,
            Double onlineNdcg,
            Double staticRecall,
            Double staticNdcg) {}

    /**
     * The online model against a batch retrain and the unchanged start model on the hold-out after the
     * stream; the figures are absent when the hold-out is empty.
     */
    @JsonInclude(Include.NON_NULL)
    record AfterStream(
            String description,
            int holdoutRows,
            ModelRow.RankingMetrics online,
            ModelRow.RankingMetrics batchRetrain,
            @JsonProperty("static") ModelRow.RankingMetrics staticModel,
            Double batchRetrainSeconds,
            Double ndcgRatioOnlineToBatch,
            Double targetRatio,
            Boolean targetMet) {}
}
