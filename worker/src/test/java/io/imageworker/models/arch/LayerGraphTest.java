package io.imageworker.models.arch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An inference call of a layer graph keeps only the arrays it returns: each node's output is
 * closed once its last reader ran (an identity node passing its input on keeps it alive), and the
 * numbers are the same as a call that keeps everything (the training path).
 */
class LayerGraphTest {

    /** Input, a residual block (conv, batch norm, relu, padded conv, add), identity, concat, pooling, dense. */
    static List<Map<String, Object>> spec(boolean batchNorm) {
        return List.of(
            Map.of("op", "input", "shape", List.of(3, 16, 16)),
            Map.of("op", "conv2d", "inputs", List.of(0), "filters", 8, "kernel", List.of(3, 3), "pads", List.of(1, 1, 1, 1),
                    "bias", true, "activation", "relu"),
            batchNorm ? Map.of("op", "batchnorm", "inputs", List.of(1))
                    : Map.of("op", "activation", "inputs", List.of(1), "activation", "tanh"),
            Map.of("op", "conv2d", "inputs", List.of(2), "filters", 8, "kernel", List.of(3, 3), "pads", List.of(0, 2, 0, 2),
                    "activation", "relu6"),
            Map.of("op", "add", "inputs", List.of(1, 3)),
            Map.of("op", "identity", "inputs", List.of(4)),
            Map.of("op", "concat", "inputs", List.of(5, 2), "axis", 1),
            Map.of("op", "maxpool", "inputs", List.of(6), "pool", List.of(2, 2)),
            Map.of("op", "globalavgpool", "inputs", List.of(7)),
            Map.of("op", "dense", "inputs", List.of(8), "units", 4, "bias", true, "activation", "softmax"));
    }

    @Test
    void anInferenceCallKeepsOnlyItsOutput() throws Exception {
        assertThat(openAfterInference(true)).hasSize(2);
    }

    @Test
    void anInferenceCallComputesWhatAKeepEverythingCallDoes() throws Exception {
        // without batch norm, whose training path uses the batch's statistics and a gradient collector
        assertThat(openAfterInference(false)).hasSize(2);
    }

    /** Runs one inference call and one training call; returns the arrays left open by the inference call. */
    static List<NDArray> openAfterInference(boolean batchNorm) throws Exception {
        try (Model model = Model.newInstance("graph")) {
            LayerGraph graph = new LayerGraph(spec(batchNorm));
            model.setBlock(graph);
            graph.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2, 3, 16, 16));
            Random rnd = new Random(5);
            float[] pixels = new float[2 * 3 * 16 * 16];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = rnd.nextFloat();
            }
            float[] inference;
            List<NDArray> alive;
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDArray x = m.create(pixels, new Shape(2, 3, 16, 16));
                NDList out = graph.forward(new ParameterStore(m, false), new NDList(x), false);
                assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(2, 4));
                inference = out.singletonOrThrow().toFloatArray();
                alive = m.getManagedArrays().stream().filter(a -> !a.isReleased()).toList();
                assertThat(alive).as("arrays still open after an inference call: the input and the output")
                        .contains(x, out.singletonOrThrow());
                assertThat(x.isReleased()).as("the caller's input is the caller's").isFalse();
            }
            if (batchNorm) {
                return alive; // MXNet runs batch norm's training mode only under a gradient collector
            }
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList out = graph.forward(new ParameterStore(m, false), new NDList(m.create(pixels, new Shape(2, 3, 16, 16))),
                        true);
                assertThat(out.singletonOrThrow().toFloatArray()).containsExactly(inference);
                assertThat(m.getManagedArrays().stream().filter(a -> !a.isReleased()).count())
                        .as("the training path keeps every node's output for the gradient").isGreaterThan(9);
            }
            return alive;
        }
    }
}
