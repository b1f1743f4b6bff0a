package io.imageworker.training.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.models.graph.TfGraph;
import io.imageworker.testing.Repo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each op of the graph-model importer against TF.js itself: one-op graph models (GraphDef JSON and
 * weights as a converter writes them) that {@code deploy/tfjs-parity/graphmodel.js ops} ran through
 * TF.js 4.22.0's GraphModel on seeded random inputs ({@code graph-ops.json}), converted here and run
 * by {@link TfGraph} on MXNet.
 */
class GraphOpsParityTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode fixture() throws IOException {
        return JSON.readTree(Repo.path("tools/src/test/resources/tfjs/graph-ops.json").toFile());
    }

    static Stream<String> cases() throws IOException {
        List<String> names = new ArrayList<>();
        fixture().path("cases").forEach(c -> names.add(c.path("name").asText()));
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void anOpGivesWhatTfjsGives(String name) throws IOException {
        JsonNode c = null;
        for (JsonNode x : fixture().path("cases")) {
            c = name.equals(x.path("name").asText()) ? x : c;
        }
        Map<String, TfjsWeights.Weight> weights = new LinkedHashMap<>();
        Set<String> integers = new HashSet<>();
        for (JsonNode w : c.path("weights")) {
            weights.put(w.path("name").asText(), new TfjsWeights.Weight(w.path("name").asText(), ints(w.path("shape")),
                    floats(w.path("values"))));
            if ("int32".equals(w.path("dtype").asText())) {
                integers.add(w.path("name").asText());
            }
        }
        List<String> outputs = new ArrayList<>();
        c.path("outputs").forEach(o -> outputs.add(o.path("name").asText()));
        GraphConverter.Result graph = GraphConverter.convert(JSON.createObjectNode().set("node", c.path("nodes")), weights,
                integers, outputs);
        try (NDManager m = NDManager.newBaseManager()) {
            TfGraph block = new TfGraph(graph.nodes(), graph.outputs());
            Shape in = new Shape(longs(c.path("input").path("shape")));
            block.initialize(m, DataType.FLOAT32, in);
            graph.constants().forEach(block::setConstant);
            NDList y = block.forward(new ParameterStore(m, false),
                    new NDList(m.create(floats(c.path("input").path("values")), in)), false);
            assertThat(y).hasSize(outputs.size());
            for (int k = 0; k < outputs.size(); k++) {
                JsonNode want = c.path("outputs").get(k);
                NDArray got = y.get(k);
                assertThat(got.getShape().getShape()).as("shape of %s", want.path("name").asText())
                        .containsExactly(longs(want.path("shape")));
                float[] g = got.toFloatArray();
                float[] w = floats(want.path("values"));
                double max = 0;
                for (int i = 0; i < g.length; i++) {
                    max = Math.max(max, Math.abs(g[i] - w[i]));
                }
                assertThat(max).as("largest difference from TF.js, %s", want.path("name").asText()).isLessThan(1e-5);
            }
        }
    }

    @Test
    void theCasesCoverEverySupportedOp() throws IOException {
        Set<String> covered = new TreeSet<>();
        fixture().path("cases").forEach(c -> c.path("nodes").forEach(n -> covered.add(n.path("op").asText())));
        assertThat(covered).containsAll(GraphConverter.supported());
    }

    @Test
    void anIntegerTensorAtRunTimeIsRefusedNamingTheNode() {
        JsonNode nodes = JSON.createArrayNode()
                .add(JSON.createObjectNode().put("name", "x").put("op", "Placeholder"))
                .add(JSON.createObjectNode().put("name", "k").put("op", "Const"))
                .add(JSON.createObjectNode().put("name", "y").put("op", "Add").set("input", JSON.createArrayNode().add("x").add("k")));
        Map<String, TfjsWeights.Weight> weights = Map.of("k", new TfjsWeights.Weight("k", new int[] {1}, new float[] {2}));
        assertThatThrownBy(() -> GraphConverter.convert(JSON.createObjectNode().set("node", nodes), weights, Set.of("k"),
                List.of("y:0"))).isInstanceOf(GraphConverter.UnsupportedOpException.class)
                .hasMessageContaining("node 'y' reads integer tensor 'k'");
    }

    @Test
    void outputsAreOrderedByTheirNumber() {
        List<String> names = new ArrayList<>(List.of("Identity_10:0", "Identity_2:0", "Identity:0", "Identity_1:0"));
        names.sort(GraphModelImporter::natural);
        assertThat(names).containsExactly("Identity:0", "Identity_1:0", "Identity_2:0", "Identity_10:0");
    }

    static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) a.get(i).asDouble();
        }
        return v;
    }

    static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asInt();
        }
        return v;
    }

    static long[] longs(JsonNode a) {
        long[] v = new long[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asLong();
        }
        return v;
    }
}
