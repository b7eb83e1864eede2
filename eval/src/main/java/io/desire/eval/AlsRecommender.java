package io.desire.eval;

import io.desire.features.als.AlsModel;
import io.desire.features.als.TopN;
import java.util.function.IntPredicate;

/** Top-K by {@code x_u · y_i} through {@link TopN}; items without a factor are never recommended. */
final class AlsRecommender implements Recommender {

    private final AlsModel model;
    private final boolean[] noFactor;

    AlsRecommender(AlsModel model) {
        this.model = model;
        double[][] items = model.itemFactors();
        this.noFactor = new boolean[items.length];
        for (int i = 0; i < items.length; i++) {
            noFactor[i] = !model.hasItem(i);
        }
    }

    AlsModel model() {
        return model;
    }

    @Override
    public int[] recommend(int user, int k, IntPredicate exclude) {
        double[] query = user < model.numUsers() ? model.userFactors()[user] : new double[model.rank()];
        return TopN.select(query, model.itemFactors(), k, i -> noFactor[i] || exclude.test(i))
                .items();
    }
}
