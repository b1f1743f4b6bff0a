package io.imageworker.models.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The graph's own rules: what it refuses, and that it runs a small graph as TensorFlow would. */
class TfGraphTest {

    static List<Map<String, Object>> spec(long batch) {
        return List.of(
                Map.of("name", "x", "op", "Placeholder", "shape", List.of(1, 2, 3), "batch", batch),
                Map.of("name", "b", "op", "Const", "shape", List.of(3)),
                Map.of("name", "y", "op", "Add", "inputs", List.of("x", "b")),
                Map.of("name", "z", "op", "Reshape", "inputs", List.of("y"), "shape", List.of(1, -1)),
                Map.of("name", "parts", "op", "SplitV", "inputs", List.of("z"), "sizes", List.of(4, -1), "axis", 1));
    }

    @Test
    void runsItsNodesAndReturnsTheNamedOutputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            TfGraph g = new TfGraph(spec(1), List.of("parts:1", "y"));
            g.initialize(m, DataType.FLOAT32, new Shape(1, 2, 3));
            g.setConstant("b", new float[] {10, 20, 30});
            NDList out = g.forward(new ParameterStore(m, false), new NDList(m.arange(6f).reshape(1, 2, 3)), false);
            assertThat(out.get(0).toFloatArray()).containsExactly(24, 35);
            assertThat(out.get(1).getShape()).isEqualTo(new Shape(1, 2, 3));
            assertThat(g.getOutputShapes(new Shape[] {new Shape(1, 2, 3)})).containsExactly(new Shape(1, 2), new Shape(1, 2, 3));
        }
    }

    @Test
    void aGraphWithAFixedBatchRefusesAnother() {
        try (NDManager m = NDManager.newBaseManager()) {
            TfGraph g = new TfGraph(spec(1), List.of("z"));
            g.initialize(m, DataType.FLOAT32, new Shape(1, 2, 3));
            assertThatThrownBy(() -> g.forward(new ParameterStore(m, false), new NDList(m.zeros(new Shape(2, 2, 3))), false))
                    .hasMessageContaining("fixed batch of 1").hasMessageContaining("given 2");
        }
    }

    @Test
    void anOpItDoesNotRunIsNamedWithItsNode() {
        List<Map<String, Object>> spec = List.of(Map.of("name", "x", "op", "Placeholder", "shape", List.of(1, 3)),
                Map.of("name", "act/gelu", "op", "Gelu", "inputs", List.of("x")));
        assertThatThrownBy(() -> new TfGraph(spec, List.of("act/gelu")))
                .hasMessageContaining("node 'act/gelu' has op Gelu");
    }

    @Test
    void aNodeReadingALaterOneIsRefused() {
        List<Map<String, Object>> spec = List.of(Map.of("name", "x", "op", "Placeholder", "shape", List.of(1, 3)),
                Map.of("name", "a", "op", "Sigmoid", "inputs", List.of("b")),
                Map.of("name", "b", "op", "Sigmoid", "inputs", List.of("x")));
        assertThatThrownBy(() -> new TfGraph(spec, List.of("b"))).hasMessageContaining("reads 'b', which is not an earlier node");
    }
}
