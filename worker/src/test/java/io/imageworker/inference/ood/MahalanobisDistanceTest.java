package io.imageworker.inference.ood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MahalanobisDistanceTest {

    /** The definition, written out: {@code min_c (f - mu_c)^T P (f - mu_c)}. */
    static double direct(float[] f, double[][] means, double[][] p) {
        double best = Double.POSITIVE_INFINITY;
        for (double[] mu : means) {
            double q = 0;
            for (int i = 0; i < f.length; i++) {
                for (int j = 0; j < f.length; j++) {
                    q += (f[i] - mu[i]) * p[i][j] * (f[j] - mu[j]);
                }
            }
            best = Math.min(best, q);
        }
        return best;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 40, 41, 143})
    void theExpandedFormEqualsTheDefinitionEvenForAnAsymmetricPrecision(int dim) {
        Random rnd = new Random(7);
        double[][] means = new double[10][dim];
        double[][] p = new double[dim][dim];
        for (double[] m : means) {
            for (int i = 0; i < dim; i++) {
                m[i] = rnd.nextGaussian() * 3;
            }
        }
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                p[i][j] = (i == j ? dim : 0) + rnd.nextGaussian(); // positive definite part plus noise
            }
        }
        MahalanobisDistance d = new MahalanobisDistance(means, p);
        for (int n = 0; n < 50; n++) {
            float[] f = new float[dim];
            for (int i = 0; i < dim; i++) {
                f[i] = (float) (rnd.nextGaussian() * 3);
            }
            double expected = direct(f, means, p);
            assertThat(d.nearest(f)).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
        }
        float[] atMean = new float[dim];
        for (int i = 0; i < dim; i++) {
            atMean[i] = (float) means[3][i];
        }
        assertThat(d.nearest(atMean)).isCloseTo(direct(atMean, means, p), within(1e-6));
    }

    @Test
    void shapesThatDisagreeAreRefused() {
        assertThatThrownBy(() -> new MahalanobisDistance(new double[][] {{0, 0, 0}}, new double[2][2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class mean 0");
        MahalanobisDistance d = new MahalanobisDistance(new double[][] {{0, 0}}, new double[][] {{1, 0}, {0, 1}});
        assertThatThrownBy(() -> d.nearest(new float[3])).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.nearest(new float[] {3, 4})).isCloseTo(25, within(1e-12));
    }
}
