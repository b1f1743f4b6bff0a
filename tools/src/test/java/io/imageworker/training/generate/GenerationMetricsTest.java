package io.imageworker.training.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GenerationMetricsTest {

    @Test
    void inceptionScoreIsOneForUniformAndKForConfidentBalancedClasses() {
        List<float[]> uniform = new ArrayList<>();
        List<float[]> confident = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            float[] u = new float[10];
            java.util.Arrays.fill(u, 0.1f);
            uniform.add(u);
            float[] c = new float[10];
            c[i % 10] = 1f;
            confident.add(c);
        }
        assertThat(InceptionScore.of(uniform)).isCloseTo(1.0, within(1e-6));
        assertThat(InceptionScore.of(confident)).isCloseTo(10.0, within(1e-6));
        // Confident but all the same class: no diversity, score 1.
        List<float[]> collapsed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            float[] c = new float[10];
            c[3] = 1f;
            collapsed.add(c);
        }
        assertThat(InceptionScore.of(collapsed)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void frechetDistanceOfASetWithItselfIsZero() {
        FeatureStats a = gaussian(new Random(1), 2000, 5, 0, 1);
        assertThat(FeatureStats.frechet(a, a)).isCloseTo(0, within(1e-8));
    }

    @Test
    void frechetDistanceInOneDimensionIsMeanGapSquaredPlusStdGapSquared() {
        FeatureStats a = new FeatureStats(1);
        FeatureStats b = new FeatureStats(1);
        for (float v : new float[] {1, 3}) {
            a.add(new float[] {v}); // mean 2, variance 2
        }
        for (float v : new float[] {4, 8}) {
            b.add(new float[] {v}); // mean 6, variance 8
        }
        double expected = 16 + Math.pow(Math.sqrt(2) - Math.sqrt(8), 2);
        assertThat(FeatureStats.frechet(a, b)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void frechetDistanceOfShiftedGaussiansIsTheShiftSquared() {
        FeatureStats a = gaussian(new Random(2), 20_000, 4, 0, 1);
        FeatureStats b = gaussian(new Random(3), 20_000, 4, 1, 1);
        // |mu gap|^2 = 4 x 1; equal covariances contribute ~0.
        assertThat(FeatureStats.frechet(a, b)).isCloseTo(4, within(0.15));
    }

    @Test
    void matrixSquareRootSquaresBack() {
        double[][] s = {{4, 1, 0}, {1, 3, 1}, {0, 1, 2}};
        double[][] r = FeatureStats.sqrtPsd(s);
        double[][] back = FeatureStats.multiply(r, r);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(back[i][j]).isCloseTo(s[i][j], within(1e-9));
            }
        }
    }

    private static FeatureStats gaussian(Random rnd, int n, int dim, double mean, double std) {
        FeatureStats s = new FeatureStats(dim);
        for (int i = 0; i < n; i++) {
            float[] row = new float[dim];
            for (int d = 0; d < dim; d++) {
                row[d] = (float) (mean + std * rnd.nextGaussian());
            }
            s.add(row);
        }
        return s;
    }
}
