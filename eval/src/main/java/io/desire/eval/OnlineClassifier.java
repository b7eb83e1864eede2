package io.desire.eval;

import io.desire.features.fm.FmModel;
import io.desire.features.fm.FmParams;
import io.desire.features.fm.FmState;
import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import io.desire.features.ftrl.FtrlState;
import io.desire.features.ftrl.HashedFeatures;

/** The ranker models as the evaluation drives them: learn one example, predict, snapshot. */
interface OnlineClassifier {

    /** Learns from one example; returns the prediction before it. */
    double update(HashedFeatures x, boolean label);

    double predict(HashedFeatures x);

    /** An independent copy of the current model (e.g. the best epoch so far). */
    OnlineClassifier copy();

    static OnlineClassifier ftrl(FtrlParams params) {
        return new Ftrl(new FtrlModel(params));
    }

    static OnlineClassifier fm(FmParams params) {
        return new Fm(new FmModel(params));
    }

    /** FTRL-Proximal logistic regression. */
    record Ftrl(FtrlModel model) implements OnlineClassifier {
        @Override
        public double update(HashedFeatures x, boolean label) {
            return model.update(x, label ? 1 : 0);
        }

        @Override
        public double predict(HashedFeatures x) {
            return model.predict(x);
        }

        @Override
        public OnlineClassifier copy() {
            FtrlState s = model.state().copy();
            return new Ftrl(new FtrlModel(model.params(), s));
        }
    }

    /** Factorisation machine. */
    record Fm(FmModel model) implements OnlineClassifier {
        @Override
        public double update(HashedFeatures x, boolean label) {
            return model.update(x, label ? 1 : 0);
        }

        @Override
        public double predict(HashedFeatures x) {
            return model.predict(x);
        }

        @Override
        public OnlineClassifier copy() {
            FmState s = model.state().copy();
            return new Fm(new FmModel(model.params(), s));
        }
    }
}
