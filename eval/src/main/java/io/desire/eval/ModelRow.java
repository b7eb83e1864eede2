package io.desire.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import io.desire.features.als.AlsParams;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.metrics.RankingSummary;
import io.desire.features.metrics.RatingErrors;

/**
 * One model of the offline evaluation: a ranking model or baseline, a rating model or a classifier
 * (the ranker), with its parameters and its metrics on test. Rounded figures are null when undefined
 * (e.g. no user scored), as in the JSON.
 *
 * @param kind {@code ranking}, {@code rating} or {@code classifier}
 */
record ModelRow(
        String name,
        String kind,
        String description,
        Params params,
        Metrics metrics,
        Double fitSeconds,
        @JsonInclude(Include.NON_NULL) String note) {

    /** A model's parameters, as reported. */
    sealed interface Params permits AlsSettings, Neighbours, FtrlSettings, MeanRating, NoParams {}

    /** A model's figures on test. */
    sealed interface Metrics permits RankingMetrics, RatingMetrics, ClassifierMetrics {}

    /** ALS parameters; {@code alpha} only for implicit feedback. */
    record AlsSettings(
            int rank,
            double lambda,
            boolean weightedLambda,
            @JsonInclude(Include.NON_NULL) Double alpha,
            int iterations)
            implements Params {
        static AlsSettings of(AlsParams p) {
            return new AlsSettings(
                    p.rank(), p.lambda(), p.weightedLambda(), p.implicit() ? p.alpha() : null, p.iterations());
        }

        /** As the report always showed them: {@code {rank=10, lambda=0.05, …}}. */
        @Override
        public String toString() {
            return ReportJson.flat(this);
        }
    }

    record Neighbours(int neighbours) implements Params {}

    record FtrlSettings(double alpha, double beta, double l1, double l2, int bits, int negativesPerPositive)
            implements Params {
        static FtrlSettings of(FtrlParams p, int negatives) {
            return new FtrlSettings(p.alpha(), p.beta(), p.l1(), p.l2(), p.bits(), negatives);
        }
    }

    record MeanRating(Double mean) implements Params {}

    /** No parameters: an empty object. */
    record NoParams() implements Params {}

    /** Ranking metrics at K over the scored users. */
    record RankingMetrics(
            Double precision,
            Double recall,
            Double f1,
            Double ndcg,
            Double hitRate,
            Double map,
            Double coverage,
            long users)
            implements Metrics {
        static RankingMetrics of(RankingSummary s) {
            return new RankingMetrics(
                    Rounding.round(s.precision()),
                    Rounding.round(s.recall()),
                    Rounding.round(s.f1()),
                    Rounding.round(s.ndcg()),
                    Rounding.round(s.hitRate()),
                    Rounding.round(s.map()),
                    Rounding.round(s.coverage()),
                    s.users());
        }

        @Override
        public String toString() {
            return ReportJson.flat(this);
        }
    }

    record RatingMetrics(Double rmse, Double mae, long ratings) implements Metrics {
        static RatingMetrics of(RatingErrors e) {
            return new RatingMetrics(Rounding.round(e.rmse()), Rounding.round(e.mae()), e.count());
        }

        @Override
        public String toString() {
            return ReportJson.flat(this);
        }
    }

    record ClassifierMetrics(Double auc, Double logLoss, long trainExamples, long testExamples) implements Metrics {
        @Override
        public String toString() {
            return ReportJson.flat(this);
        }
    }
}
