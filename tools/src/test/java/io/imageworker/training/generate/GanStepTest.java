package io.imageworker.training.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Field-notes pitfall 7: each network's step moves only its own weights. */
class GanStepTest {

    static final GanRecipe RECIPE = new GanRecipe("dcgan-test", "tiny", Map.of("latent", 8, "classes", 10, "width", 8),
            8, 1, 16, 0.001f, 0.001f, 1f, 0.5f, 0.9f, 3f);

    @Test
    void discriminatorStepLeavesGeneratorUnchangedAndViceVersa() {
        try (GanTraining.Pair p = new GanTraining.Pair(RECIPE, 10)) {
            Random rnd = new Random(1);
            float[] x = new float[16 * 28 * 28];
            float[] y = new float[16];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextFloat() * 2 - 1;
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = rnd.nextInt(10);
            }
            float[] z = new float[16 * 18];
            float[] yf = new float[16];
            GanTraining.noise(rnd, 8, 10, z, yf);
            try (NDManager m = p.tg.getManager().newSubManager()) {
                NDArray real = m.create(x, new Shape(16, 1, 28, 28));
                NDArray realLabels = m.create(y);
                NDArray noise = m.create(z, new Shape(16, 18));
                NDArray fakeLabels = m.create(yf);

                Map<String, float[]> g0 = snapshot(p.g.getBlock().getParameters());
                Map<String, float[]> d0 = snapshot(p.d.getBlock().getParameters());
                GanTraining.discriminatorStep(p, RECIPE, real, realLabels, noise);
                assertUnchanged(g0, p.g.getBlock().getParameters(), "generator weights after a D step");
                assertChanged(d0, p.d.getBlock().getParameters(), "discriminator weights after a D step");

                Map<String, float[]> g1 = snapshot(p.g.getBlock().getParameters());
                Map<String, float[]> d1 = snapshot(p.d.getBlock().getParameters());
                GanTraining.generatorStep(p, RECIPE, noise, fakeLabels);
                assertChanged(g1, p.g.getBlock().getParameters(), "generator weights after a G step");
                assertUnchanged(d1, p.d.getBlock().getParameters(), "discriminator weights after a G step");
            }
        }
    }

    /** Trainable weights only: batch norm's running statistics move whenever a network runs in training mode. */
    private static Map<String, float[]> snapshot(ai.djl.nn.ParameterList params) {
        Map<String, float[]> out = new HashMap<>();
        for (Pair<String, Parameter> p : params) {
            if (p.getValue().requiresGradient()) {
                out.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
        }
        return out;
    }

    private static void assertUnchanged(Map<String, float[]> before, ai.djl.nn.ParameterList now, String what) {
        assertThat(before).isNotEmpty();
        before.forEach((name, v) -> assertThat(now.get(name).getArray().toFloatArray()).as(what + ": " + name)
                .containsExactly(v));
    }

    private static void assertChanged(Map<String, float[]> before, ai.djl.nn.ParameterList now, String what) {
        long changed = before.entrySet().stream()
                .filter(e -> !java.util.Arrays.equals(e.getValue(), now.get(e.getKey()).getArray().toFloatArray()))
                .count();
        assertThat(changed).as(what).isEqualTo(before.size());
    }
}
