package io.desire.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * The parameters chosen on validation: the grid tried and the choice, per tuned thing. Only what an
 * evaluation tuned is present.
 */
@JsonInclude(Include.NON_NULL)
record TuningReport(Als alsImplicit, HalfLives halfLives, Als alsExplicit) {

    /** One tuned thing as the HTML shows it: a criterion, the choice and the grid as table rows. */
    sealed interface Section permits Als, HalfLives {
        String criterion();

        /** The choice, as the report always printed it. */
        String chosenText();

        List<?> grid();
    }

    /** An ALS grid on validation; {@code note} says when there was nothing to tune on. */
    record Als(
            String criterion,
            List<AlsPoint> grid,
            @JsonInclude(Include.NON_NULL) String note,
            ModelRow.AlsSettings chosen)
            implements Section {
        @Override
        public String chosenText() {
            return chosen.toString();
        }
    }

    /** One ALS grid point with its validation figure (NDCG and recall when implicit, RMSE when explicit). */
    @JsonInclude(Include.NON_NULL)
    record AlsPoint(
            int rank,
            double lambda,
            boolean weightedLambda,
            Double alpha,
            int iterations,
            Double validationNdcg,
            Double validationRecall,
            Double validationRmse) {
        static AlsPoint ranking(ModelRow.AlsSettings s, Double ndcg, Double recall) {
            return new AlsPoint(
                    s.rank(), s.lambda(), s.weightedLambda(), s.alpha(), s.iterations(), ndcg, recall, null);
        }

        static AlsPoint rating(ModelRow.AlsSettings s, Double rmse) {
            return new AlsPoint(s.rank(), s.lambda(), s.weightedLambda(), s.alpha(), s.iterations(), null, null, rmse);
        }
    }

    /** The half-lives of the decayed sources ({@link HalfLifeTuning}); {@code chosen} maps each key to its value. */
    record HalfLives(String criterion, List<HalfLifePoint> grid, Map<String, String> chosen, String jobArgs)
            implements Section {
        @Override
        public String chosenText() {
            return chosen.toString();
        }
    }

    /** One half-life of one source with its validation NDCG (four decimals). */
    record HalfLifePoint(String key, String halfLife, double validationNdcg) {}

    /** The sections present, in the order the JSON holds them, by their JSON name. */
    Map<String, Section> sections() {
        Map<String, Section> m = new java.util.LinkedHashMap<>();
        if (alsImplicit != null) {
            m.put("als_implicit", alsImplicit);
        }
        if (halfLives != null) {
            m.put("half_lives", halfLives);
        }
        if (alsExplicit != null) {
            m.put("als_explicit", alsExplicit);
        }
        return m;
    }
}
