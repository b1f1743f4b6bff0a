package io.imageworker.training.ood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.inference.ood.FeatureProbe;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticProbeTest {

    /** {@code n} points around {@code centre} on the first axis, noise on the other two. */
    static float[][] cloud(Random r, int n, float centre) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new float[] {centre + (float) r.nextGaussian(), (float) r.nextGaussian() * 5, 100 + (float) r.nextGaussian()};
        }
        return out;
    }

    @Test
    void separatesTwoCloudsAlongTheAxisThatTellsThemApart() {
        Random r = new Random(5);
        // unequal counts: the classes weigh the same, so the boundary stays between the clouds
        float[][] digits = cloud(r, 2000, 0f);
        float[][] others = cloud(r, 100, 6f);
        FeatureProbe p = LogisticProbe.fit(digits, others);

        int wrong = 0;
        for (float[] f : cloud(new Random(6), 500, 0f)) {
            wrong += p.logit(f) > 0 ? 1 : 0;
        }
        for (float[] f : cloud(new Random(7), 500, 6f)) {
            wrong += p.logit(f) < 0 ? 1 : 0;
        }
        assertThat(wrong).as("of 1000 held-out points").isLessThan(20);
        // the first feature carries the difference: its standardised weight dominates
        assertThat(Math.abs(p.weights()[0])).isGreaterThan(3 * Math.abs(p.weights()[1]));
        assertThat(LogisticProbe.fit(digits, others).weights()).containsExactly(p.weights());
        assertThatThrownBy(() -> LogisticProbe.fit(digits, new float[0][])).isInstanceOf(IllegalArgumentException.class);
    }
}
