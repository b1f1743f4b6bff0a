package io.imageworker.training.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AveragePrecision}: all-point interpolated AP on rankings worked by hand. */
class AveragePrecisionTest {

    static AveragePrecision.Hit hit(double score, boolean positive) {
        return new AveragePrecision.Hit(score, positive);
    }

    @Test
    void aPerfectRankingIsOneAndMissedPositivesCapTheRecall() {
        assertThat(AveragePrecision.of(List.of(hit(0.9, true), hit(0.8, true), hit(0.1, false)), 2)).isEqualTo(1.0);
        // two of four positives found, both first: recall stops at 0.5
        assertThat(AveragePrecision.of(List.of(hit(0.9, true), hit(0.8, true)), 4)).isCloseTo(0.5, within(1e-12));
        assertThat(AveragePrecision.of(List.of(), 3)).isZero();
        assertThat(AveragePrecision.of(List.of(hit(0.5, false)), 0)).isNaN();
    }

    @Test
    void precisionIsInterpolatedFromTheRightAndHitsAreSortedByScore() {
        // ranked 0.9 T (p 1, r 1/3), 0.8 F, 0.7 T (p 2/3, r 2/3), 0.5 F, 0.3 F, 0.1 T (p 1/2, r 1)
        List<AveragePrecision.Hit> hits = List.of(hit(0.3, false), hit(0.9, true), hit(0.5, false), hit(0.7, true),
                hit(0.8, false), hit(0.1, true));
        double expected = (1.0 / 3) * 1 + (1.0 / 3) * (2.0 / 3) + (1.0 / 3) * 0.5;
        assertThat(AveragePrecision.of(hits, 3)).isCloseTo(expected, within(1e-12));
        // a false hit first: interpolation lifts its precision to the best later one (1/2 at recall 1)
        assertThat(AveragePrecision.of(List.of(hit(0.9, false), hit(0.8, true)), 1)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theMeanSkipsUndefinedClasses() {
        assertThat(AveragePrecision.mean(List.of(0.5, Double.NaN, 1.0))).isEqualTo(0.75);
        assertThat(AveragePrecision.mean(List.of(Double.NaN))).isNaN();
    }
}
