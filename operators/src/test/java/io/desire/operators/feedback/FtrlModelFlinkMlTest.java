package io.desire.operators.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.desire.features.ftrl.FtrlModel;
import io.desire.features.ftrl.FtrlParams;
import java.util.SplittableRandom;
import org.apache.flink.ml.common.feature.LabeledPointWithWeight;
import org.apache.flink.ml.common.lossfunc.BinaryLogisticLoss;
import org.apache.flink.ml.linalg.DenseVector;
import org.junit.jupiter.api.Test;

/**
 * {@link FtrlModel} learns on the loss and gradient of flink-ml's {@link BinaryLogisticLoss}: run here,
 * where flink-core (which flink-ml's vector code needs) is on the classpath.
 */
class FtrlModelFlinkMlTest {

    @Test
    void gradientStepAndLogLossAgreeWithBinaryLogisticLoss() {
        SplittableRandom rnd = new SplittableRandom(3);
        FtrlParams params = new FtrlParams(0.3, 1.0, 0.0, 0.5, 6);
        FtrlModel model = new FtrlModel(params);
        int[] idx = {2, 9, 33, 60};
        for (int step = 0; step < 50; step++) {
            double[] x = new double[idx.length];
            for (int k = 0; k < x.length; k++) {
                x[k] = rnd.nextDouble() * 2 - 1;
            }
            int label = rnd.nextInt(2);
            double weight = 0.5 + rnd.nextDouble();

            double[] w = new double[idx.length];
            double[] nBefore = new double[idx.length];
            for (int k = 0; k < idx.length; k++) {
                w[k] = model.weight(idx[k]);
                nBefore[k] = model.state().n[idx[k]];
            }
            LabeledPointWithWeight point = new LabeledPointWithWeight(new DenseVector(x), label, weight);
            DenseVector grad = new DenseVector(idx.length);
            BinaryLogisticLoss.INSTANCE.computeGradient(point, new DenseVector(w), grad);
            double flinkLoss = BinaryLogisticLoss.INSTANCE.computeLoss(point, new DenseVector(w));

            double p = model.update(idx, x, label, weight);

            assertThat(weight * FtrlModel.logLoss(p, label)).isCloseTo(flinkLoss, within(1e-9));
            for (int k = 0; k < idx.length; k++) {
                // n accumulates exactly the squared flink-ml gradient
                assertThat(model.state().n[idx[k]] - nBefore[k])
                        .isCloseTo(grad.values[k] * grad.values[k], within(1e-12));
            }
        }
        assertThat(model.version()).isEqualTo(50);
    }
}
