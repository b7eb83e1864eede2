package io.desire.features.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void binsAndErrorByHand() {
        // bin [0, 0.5): 0.1, 0.3 with one positive → mean 0.2, rate 0.5; bin [0.5, 1]: 0.9, 1.0 both positive
        Calibration c = Calibration.of(new double[] {0.1, 0.3, 0.9, 1.0}, new boolean[] {false, true, true, true}, 2);
        assertThat(c.bins()).hasSize(2);
        assertThat(c.bins().get(0).count()).isEqualTo(2);
        assertThat(c.bins().get(0).meanPrediction()).isCloseTo(0.2, within(1e-12));
        assertThat(c.bins().get(0).positiveRate()).isEqualTo(0.5);
        assertThat(c.bins().get(1).meanPrediction()).isCloseTo(0.95, within(1e-12));
        assertThat(c.bins().get(1).positiveRate()).isEqualTo(1.0);
        assertThat(c.expectedCalibrationError()).isCloseTo(0.5 * 0.3 + 0.5 * 0.05, within(1e-12));
    }

    @Test
    void outcomesDrawnFromThePredictionsAreCalibratedAndOverconfidentOnesAreNot() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 200_000;
        double[] p = new double[n];
        double[] sharpened = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            p[i] = r.nextDouble();
            y[i] = r.nextDouble() < p[i];
            sharpened[i] = p[i] < 0.5 ? p[i] / 4 : 1 - (1 - p[i]) / 4;
        }
        assertThat(Calibration.of(p, y, 10).expectedCalibrationError()).isLessThan(0.01);
        assertThat(Calibration.of(sharpened, y, 10).expectedCalibrationError()).isGreaterThan(0.1);
    }

    @Test
    void emptyBinsAreLeftOutAndBadInputIsRefused() {
        assertThat(Calibration.of(new double[] {0.05}, new boolean[] {true}, 10).bins())
                .hasSize(1);
        assertThat(Calibration.of(new double[0], new boolean[0], 10).expectedCalibrationError())
                .isNaN();
        assertThatThrownBy(() -> Calibration.of(new double[] {1.2}, new boolean[] {true}, 10))
                .hasMessageContaining("not in [0, 1]");
        assertThatThrownBy(() -> Calibration.of(new double[] {0.2}, new boolean[0], 10))
                .hasMessageContaining("lengths");
    }
}
