package io.imageworker.models.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.tasks.localize.CamResult;
import io.imageworker.tasks.localize.LocalizeTranslator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Field-notes pitfall 6: a class map averaged over its cells, plus the bias, is the class logit. */
class CamHeadTest {

    @Test
    void averagingAMapAndAddingTheBiasGivesTheLogit() throws Exception {
        try (Model model = Model.newInstance("cam")) {
            model.setBlock(Architectures.build("cam", Map.of("classes", 10, "width", 4)));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2, 1, 32, 32));
            Random rnd = new Random(3);
            float[] pixels = new float[2 * 32 * 32];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = rnd.nextFloat();
            }
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList out = model.getBlock().forward(new ParameterStore(m, false),
                        new NDList(m.create(pixels, new Shape(2, 1, 32, 32))), false);
                NDArray logits = out.get(0);
                NDArray maps = out.get(1);
                assertThat(logits.getShape()).isEqualTo(new Shape(2, 10));
                assertThat(maps.getShape()).isEqualTo(new Shape(2, 10, 8, 8));
                CamHead head = (CamHead) model.getBlock().getChildren().values().get(
                        model.getBlock().getChildren().size() - 1);
                float[] bias = head.getChildren().values().get(0).getParameters().get("bias").getArray().toFloatArray();
                float[] l = logits.toFloatArray();
                float[] mp = maps.toFloatArray();
                for (int n = 0; n < 2; n++) {
                    for (int c = 0; c < 10; c++) {
                        double mean = 0;
                        for (int p = 0; p < 64; p++) {
                            mean += mp[(n * 10 + c) * 64 + p];
                        }
                        mean /= 64;
                        assertThat(mean + bias[c]).isCloseTo(l[n * 10 + c], within(1e-4));
                    }
                }
                // The serving translator returns the same maps, split per image, and sigmoid scores.
                try (Predictor<ImageTensor, CamResult> p = model.newPredictor(new LocalizeTranslator())) {
                    float[] first = new float[32 * 32];
                    System.arraycopy(pixels, 0, first, 0, first.length);
                    CamResult r = p.predict(new ImageTensor(first, 1, 32, 32));
                    assertThat(r.mapHeight()).isEqualTo(8);
                    assertThat(r.map(4)[9]).isCloseTo(mp[4 * 64 + 9], within(1e-4f));
                    assertThat(r.scores()[2]).isCloseTo((float) (1 / (1 + Math.exp(-l[2]))), within(1e-5f));
                }
            }
        }
    }
}
