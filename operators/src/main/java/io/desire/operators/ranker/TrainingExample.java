package io.desire.operators.ranker;

import io.desire.features.ftrl.HashedFeatures;
import java.util.Objects;

/**
 * One labelled feature vector for {@link FtrlLearner}: the features the ranker scored (or, when none
 * were logged, features rebuilt from the example's ids and context), the label, and an importance
 * weight. A Flink POJO, serialised without Kryo.
 */
public class TrainingExample {
    public HashedFeatures features;
    /** 1 = clicked or purchased, 0 = not. */
    public int label;
    /** Importance weight of the example's loss; positive and finite (1 unless negatives were subsampled). */
    public double weight = 1.0;
    /** Event time the label was decided, epoch ms. */
    public long eventTime;

    public TrainingExample() {}

    public TrainingExample(HashedFeatures features, int label, double weight, long eventTime) {
        this.features = features;
        this.label = label;
        this.weight = weight;
        this.eventTime = eventTime;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TrainingExample)) {
            return false;
        }
        TrainingExample x = (TrainingExample) o;
        return label == x.label
                && Double.compare(weight, x.weight) == 0
                && eventTime == x.eventTime
                && Objects.equals(features, x.features);
    }

    @Override
    public int hashCode() {
        return Objects.hash(features, label, eventTime);
    }

    @Override
    public String toString() {
        return "TrainingExample{" + (label == 1 ? "+ " : "- ") + "w=" + weight + " t=" + eventTime + ' ' + features
                + '}';
    }
}
