package io.desire.features.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatingErrorsTest {

    @Test
    void rmseAndMaeOfHandCase() {
        double[] predicted = {1, 2, 3};
        double[] actual = {1, 3, 5}; // errors 0, −1, −2
        assertThat(RatingErrors.rmse(predicted, actual)).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
        assertThat(RatingErrors.mae(predicted, actual)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void mergeEqualsOneAccumulator() {
        RatingErrors a = new RatingErrors().add(1, 1).add(2, 3);
        RatingErrors b = new RatingErrors().add(3, 5);
        assertThat(a.merge(b).rmse()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
        assertThat(a.count()).isEqualTo(3);
    }

    @Test
    void emptyIsNaNAndNaNInputIsRejected() {
        assertThat(new RatingErrors().rmse()).isNaN();
        assertThatThrownBy(() -> new RatingErrors().add(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
