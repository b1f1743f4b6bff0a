package io.imageworker.training.tfjs;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The importer against TF.js itself on small models that use every supported layer beyond
 * nsfwjs's (src/test/resources/tfjs, made by deploy/tfjs-parity/fixtures.js with random weights in
 * all four encodings, and the outputs TF.js's pure-JS backend gives for random inputs): imported,
 * loaded back by the model loader alone (graph.json + params) and run on MXNet, they give TF.js's
 * outputs.
 */
class TfjsImporterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path FIXTURES = Repo.path("worker/src/test/resources/tfjs");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"graph", "sequential"})
    void anImportedModelGivesTfjsOutputs(String fixture) throws Exception {
        ModelCard card = TfjsImporter.importModel(new TfjsImporter.Request(FIXTURES.resolve(fixture), tmp, "classify",
                fixture, "1", null, null, null, false));
        JsonNode io = JSON.readTree(FIXTURES.resolve(fixture).resolve("io.json").toFile());
        int[] nhwc = ints(io.path("inputShape"));
        float[] in = floats(io.path("input"));
        float[] expected = floats(io.path("output"));
        Path dir = tmp.resolve(fixture).resolve("1");
        assertThat(dir.resolve("graph.json")).isRegularFile();
        assertThat(card.architecture()).isEqualTo("layer-graph");
        assertThat(card.provenance()).containsKey("importedFiles");

        float[] got;
        try (LoadedModel model = ModelLoader.load(dir, Device.cpu());
                Predictor<NDList, NDList> p = model.model().newPredictor(new NoopTranslator());
                NDManager m = NDManager.newBaseManager()) {
            NDList out = p.predict(new NDList(m.create(in, new Shape(nhwc[0], nhwc[1], nhwc[2], nhwc[3])).transpose(0, 3, 1, 2)));
            got = out.singletonOrThrow().toFloatArray();
        }
        assertThat(got).hasSameSizeAs(expected);
        double max = 0;
        for (int i = 0; i < got.length; i++) {
            max = Math.max(max, Math.abs(got[i] - expected[i]));
        }
        System.out.printf("TF.js fixture %s: max |MXNet - TF.js| = %.2e over %d outputs%n", fixture, max, got.length);
        assertThat(max).as("largest difference from TF.js on fixture " + fixture).isLessThan(1e-5);

        // import writes the ONNX form beside: ONNX Runtime on it, served as the loader serves it, gives TF.js's outputs too
        assertThat(dir.resolve(fixture + ".onnx")).isNotEmptyFile();
        try (LoadedModel model = ModelLoader.load(dir, c -> Device.cpu(), c -> true, ModelLoader.LoadOptions.DEFAULT);
                Predictor<NDList, NDList> p = model.model().newPredictor(new NoopTranslator());
                NDManager m = NDManager.newBaseManager()) {
            assertThat(model.onnxForm()).isTrue();
            got = p.predict(new NDList(m.create(in, new Shape(nhwc[0], nhwc[1], nhwc[2], nhwc[3])).transpose(0, 3, 1, 2)))
                    .singletonOrThrow().toFloatArray();
        }
        double maxOnnx = 0;
        for (int i = 0; i < got.length; i++) {
            maxOnnx = Math.max(maxOnnx, Math.abs(got[i] - expected[i]));
        }
        System.out.printf("TF.js fixture %s: max |ONNX form - TF.js| = %.2e%n", fixture, maxOnnx);
        assertThat(maxOnnx).as("ONNX form against TF.js on fixture " + fixture).isLessThan(1e-5);
    }

    @Test
    void stride2SamePaddingPutsTheOddRowAndColumnAtTheBottomAndRightAndBatchNormsFold() throws Exception {
        TfjsImporter.importModel(new TfjsImporter.Request(FIXTURES.resolve("graph"), tmp, "classify", "graph", "1", null,
                null, null, false));
        List<Map<String, Object>> nodes = JSON.readValue(tmp.resolve("graph/1/graph.json").toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<>() {});
        Map<String, Object> stem = nodes.stream().filter(n -> "stem".equals(n.get("name"))).findFirst().orElseThrow();
        // 9 x 8 input, 3 x 3 kernel, stride 2: 5 x 4 out; rows pad 2 (1 top, 1 bottom), columns 1 (0 left, 1 right)
        assertThat(stem.get("pads")).isEqualTo(List.of(1, 1, 0, 1));
        Map<String, Object> dw = nodes.stream().filter(n -> "dw".equals(n.get("name"))).findFirst().orElseThrow();
        assertThat(dw.get("groups")).as("depthwise: one group per input channel").isEqualTo(4);
        assertThat(dw.get("filters")).as("depth multiplier 2").isEqualTo(8);
        assertThat(dw.get("bias")).as("the folded batch norm's bias").isEqualTo(true);
        assertThat(nodes).filteredOn(n -> "batchnorm".equals(n.get("op"))).extracting(n -> n.get("name"))
                .as("the batch norm after an add cannot fold").containsExactly("sum_bn");
    }

    @Test
    void anUnsupportedLayerIsRefusedByNameAndClass() throws Exception {
        Path dir = copy("graph");
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve("model.json").toFile());
        for (JsonNode l : root.path("modelTopology").path("config").path("layers")) {
            if ("flat".equals(l.path("name").asText())) {
                ((ObjectNode) l).put("class_name", "LSTM");
            }
        }
        JSON.writeValue(dir.resolve("model.json").toFile(), root);
        assertThatThrownBy(() -> TfjsImporter.importModel(new TfjsImporter.Request(dir, tmp, "classify", "x", "1", null,
                null, null, false))).isInstanceOf(KerasGraph.UnsupportedLayerException.class)
                .hasMessageContaining("layer flat is a LSTM").hasMessageContaining("supported:");
        assertThat(tmp.resolve("x")).as("nothing written").doesNotExist();
    }

    @Test
    void anUnsupportedActivationIsRefusedByName() throws Exception {
        Path dir = copy("graph");
        String json = Files.readString(dir.resolve("model.json")).replace("\"activation\":\"tanh\"", "\"activation\":\"selu\"");
        Files.writeString(dir.resolve("model.json"), json);
        assertThatThrownBy(() -> TfjsImporter.importModel(new TfjsImporter.Request(dir, tmp, "classify", "x", "1", null,
                null, null, false))).isInstanceOf(KerasGraph.UnsupportedLayerException.class)
                .hasMessageContaining("layer fc uses activation 'selu'");
    }

    @Test
    void aGraphModelWithAnUnsupportedOpIsRefusedNamingOpAndNode() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("graph-model"));
        Files.writeString(dir.resolve("model.json"), "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":["
                + "{\"name\":\"x\",\"op\":\"Placeholder\",\"attr\":{\"shape\":{\"shape\":{\"dim\":[{\"size\":\"4\"}]}}}},"
                + "{\"name\":\"gelu/erf\",\"op\":\"Erf\",\"input\":[\"x\"]}]},"
                + "\"signature\":{\"outputs\":{\"gelu/erf:0\":{}}},\"weightsManifest\":[]}");
        assertThatThrownBy(() -> TfjsImporter.importModel(new TfjsImporter.Request(dir, tmp, "classify", "x", "1", null,
                null, null, false))).isInstanceOf(io.imageworker.training.tfjs.GraphConverter.UnsupportedOpException.class)
                .hasMessageContaining("node 'gelu/erf' has op Erf").hasMessageContaining("Conv2D");
    }

    @Test
    void aShortShardIsAnErrorNamingTheWeight() throws Exception {
        Path dir = copy("sequential");
        byte[] shard = Files.readAllBytes(dir.resolve("group1-shard1of1"));
        Files.write(dir.resolve("group1-shard1of1"), java.util.Arrays.copyOf(shard, shard.length - 8));
        assertThatThrownBy(() -> TfjsImporter.importModel(new TfjsImporter.Request(dir, tmp, "classify", "x", "1", null,
                null, null, false))).isInstanceOf(java.io.IOException.class).hasMessageContaining("the shards end inside weight");
    }

    @Test
    void halfFloatsDecodeAsIeeeBinary16() {
        assertThat(TfjsWeights.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(TfjsWeights.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(TfjsWeights.halfToFloat((short) 0x3555)).isEqualTo(0.33325195f);
        assertThat(TfjsWeights.halfToFloat((short) 0x0001)).isEqualTo(5.9604645e-8f);
        assertThat(TfjsWeights.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    private Path copy(String fixture) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src-" + fixture));
        try (var files = Files.list(FIXTURES.resolve(fixture))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).asInt();
        }
        return r;
    }

    private static float[] floats(JsonNode a) {
        float[] r = new float[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) a.get(i).asDouble();
        }
        return r;
    }
}
