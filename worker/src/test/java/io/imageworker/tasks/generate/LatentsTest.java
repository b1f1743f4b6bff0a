package io.imageworker.tasks.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatentsTest {

    @Test
    void sameSeedSameVector() {
        assertThat(Latents.fromSeed(123, 64)).containsExactly(Latents.fromSeed(123, 64));
        assertThat(Latents.fromSeed(123, 64)).isNotEqualTo(Latents.fromSeed(124, 64));
        // Fixed by the Java specification of java.util.Random: pinned so a change of generator shows.
        assertThat(Latents.fromSeed(42, 2)).containsExactly(1.1419053f, 0.91940796f);
    }

    @Test
    void vectorsLookStandardNormal() {
        float[] z = Latents.fromSeed(7, 100_000);
        double mean = 0;
        double sq = 0;
        for (float v : z) {
            mean += v;
            sq += v * v;
        }
        mean /= z.length;
        assertThat(mean).isCloseTo(0, within(0.02));
        assertThat(sq / z.length - mean * mean).isCloseTo(1, within(0.02));
    }

    @Test
    void walkStartsAndEndsAtTheSeedsAndKeepsTheNorm() {
        List<float[]> walk = Latents.walk(1, 2, 64, 9, 0);
        assertThat(walk).hasSize(9);
        float[] a = Latents.fromSeed(1, 64);
        float[] b = Latents.fromSeed(2, 64);
        for (int i = 0; i < 64; i++) {
            assertThat(walk.get(0)[i]).isCloseTo(a[i], within(1e-5f));
            assertThat(walk.get(8)[i]).isCloseTo(b[i], within(1e-5f));
        }
        double na = norm(a);
        double nb = norm(b);
        double mid = norm(walk.get(4));
        assertThat(mid).isBetween(Math.min(na, nb) * 0.95, Math.max(na, nb) * 1.05);
        assertThatThrownBy(() -> Latents.walk(1, 2, 64, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeAppendsTheOneHotClass() {
        float[] x = GenerateTranslator.encode(new GeneratorInput(new float[] {0.5f, -1f}, 3), 2, 4);
        assertThat(x).containsExactly(0.5f, -1f, 0f, 0f, 0f, 1f);
        assertThatThrownBy(() -> GenerateTranslator.encode(new GeneratorInput(new float[] {0f}, 0), 2, 4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GenerateTranslator.encode(new GeneratorInput(new float[] {0f, 0f}, 4), 2, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void truncationRedrawsValuesBeyondItAndIsReproducible() {
        float[] free = Latents.fromSeed(7, 4096);
        float[] cut = Latents.fromSeed(7, 4096, 1.0);
        assertThat(cut).isEqualTo(Latents.fromSeed(7, 4096, 1.0));
        float maxFree = 0;
        for (float v : free) {
            maxFree = Math.max(maxFree, Math.abs(v));
        }
        assertThat(maxFree).as("a free draw of 4096 values goes past 1").isGreaterThan(1f);
        for (float v : cut) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(1f);
        }
        assertThat(Latents.fromSeed(7, 4096, 0)).isEqualTo(free);
    }
}
