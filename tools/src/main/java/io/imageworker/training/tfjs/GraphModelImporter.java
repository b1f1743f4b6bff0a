package io.imageworker.training.tfjs;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.arch.Architectures;
import io.imageworker.models.graph.TfGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Imports a TF.js graph model folder ({@code model.json} with {@code format: graph-model}: a
 * GraphDef as JSON and a weights manifest, plus its shards) as a model of the repository: a
 * {@link TfGraph} whose nodes go to {@code graph.json}, its DJL MXNet parameters
 * ({@code <name>-0000.params}, one per constant) and a card ({@code model.json}, architecture
 * {@value Architectures#TF_GRAPH}) with the source's provenance. Serving it needs no importer.
 *
 * <p>The outputs are the signature's, in the order of their names (nanodet: {@code Identity},
 * {@code Identity_1}, ... {@code Identity_5}); the input is the Placeholder as declared, pixels
 * scaled to [0, 1] with no mean (TF.js graph models carry no preprocessing: the card's input says
 * what the importer assumed, and a task can set its own).
 */
public final class GraphModelImporter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GraphModelImporter() {}

    /** True when {@code dir}'s model.json is a graph model ({@code format: graph-model} or GraphDef nodes). */
    public static boolean isGraphModel(Path dir) throws IOException {
        Path modelJson = dir.resolve("model.json");
        if (!Files.isRegularFile(modelJson)) {
            return false;
        }
        JsonNode root = JSON.readTree(modelJson.toFile());
        return "graph-model".equals(root.path("format").asText("")) || root.path("modelTopology").has("node");
    }

    /**
     * Reads a graph model folder.
     *
     * @return the converted graph and the files read (name in the folder to path)
     * @throws IOException when model.json or a shard cannot be read
     * @throws GraphConverter.UnsupportedOpException for an op the importer does not support (named with its node)
     */
    public static Read read(Path dir) throws IOException {
        Path modelJson = dir.resolve("model.json");
        JsonNode root = JSON.readTree(modelJson.toFile());
        JsonNode manifest = root.path("weightsManifest");
        Map<String, Path> files = new TreeMap<>(Map.of("model.json", modelJson));
        Set<String> integers = new HashSet<>();
        for (JsonNode g : manifest) {
            for (JsonNode p : g.path("paths")) {
                files.put(p.asText(), dir.resolve(p.asText()));
            }
            for (JsonNode w : g.path("weights")) {
                if (w.path("dtype").asText().startsWith("int")) {
                    integers.add(w.path("name").asText());
                }
            }
        }
        List<String> outputs = new ArrayList<>();
        root.path("signature").path("outputs").fieldNames().forEachRemaining(outputs::add);
        if (outputs.isEmpty()) {
            throw new IOException("model.json has no signature outputs: name the graph's outputs");
        }
        outputs.sort(GraphModelImporter::natural);
        GraphConverter.Result graph = GraphConverter.convert(root.path("modelTopology"), TfjsWeights.read(dir, manifest),
                integers, outputs);
        return new Read(graph, files, root.path("convertedBy").asText(""), root.path("generatedBy").asText(""));
    }

    /**
     * A graph model, read.
     *
     * @param graph the converted graph
     * @param files the files read, by name in the folder
     * @param convertedBy model.json's {@code convertedBy}
     * @param generatedBy model.json's {@code generatedBy}
     */
    public record Read(GraphConverter.Result graph, Map<String, Path> files, String convertedBy, String generatedBy) {}

    /** Names by their text, with a trailing number compared as a number ({@code Identity_2} before {@code Identity_10}). */
    static int natural(String a, String b) {
        String ta = a.replaceAll(":\\d+$", "").replaceAll("_\\d+$", "");
        String tb = b.replaceAll(":\\d+$", "").replaceAll("_\\d+$", "");
        int c = ta.compareTo(tb);
        if (c != 0) {
            return c;
        }
        return Long.compare(number(a), number(b));
    }

    private static long number(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("_(\\d+)(:\\d+)?$").matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Reads the graph model, writes the repository model and returns its card.
     *
     * @throws IOException when the folder cannot be read or the result cannot be written
     * @throws GraphConverter.UnsupportedOpException for an op the importer does not support (named with its node)
     */
    public static ModelCard importModel(TfjsImporter.Request r) throws IOException {
        Read read = read(r.tfjsDir());
        GraphConverter.Result graph = read.graph();
        Path dir = r.out().resolve(r.name()).resolve(r.version());
        Files.createDirectories(dir);
        try (Model model = Model.newInstance(r.name(), Device.cpu(), "MXNet")) {
            TfGraph block = new TfGraph(graph.nodes(), graph.outputs());
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(graph.inputShape()));
            graph.constants().forEach(block::setConstant);
            model.save(dir, r.name());
        }
        JSON.writeValue(dir.resolve(TfjsImporter.GRAPH_FILE).toFile(), graph.nodes());

        long[] s = graph.inputShape();
        boolean nchw = s.length == 4 && s[1] <= 4 && s[3] > 4;
        int channels = (int) (nchw ? s[1] : s[3]);
        int height = (int) (nchw ? s[2] : s[1]);
        int width = (int) (nchw ? s[3] : s[2]);
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put(Architectures.GRAPH_FILE, TfjsImporter.GRAPH_FILE);
        arch.put("nodes", graph.nodes().size());
        arch.put(TfGraph.OUTPUTS, graph.outputs());
        arch.put("graphDefOps", graph.ops());
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("recipe", "tfjs-import");
        recipe.put("description", "imported from a TF.js graph model (GraphDef " + graph.ops().values().stream()
                .mapToInt(Integer::intValue).sum() + " nodes the outputs need, " + graph.ops().size() + " op types): "
                + "integer constants folded into the ops that read them, Conv2D filters HWIO to OIHW, the rest as in TF.js");
        if (r.command() != null) {
            recipe.put("command", r.command());
        }
        ModelCard card = ModelCard.builder(r.name(), r.version(), r.task(), ModelCard.FORMAT_DJL_BLOCK)
                .architecture(Architectures.TF_GRAPH).architectureOptions(arch).weights(r.name())
                .input(new ModelCard.Input(width, height, channels, new float[] {0f}, new float[] {1f}, null, null,
                        nchw ? ModelCard.Input.NCHW : ModelCard.Input.NHWC, null))
                .labels(r.labels() == null ? List.of() : r.labels()).metrics(List.of()).recipe(recipe)
                .options(r.options())
                .output(new ModelCard.Output(null, ModelCard.Output.LINEAR))
                .provenance(provenance(r.tfjsDir(), read, dir)).build();
        ModelLoader.writeCard(dir, card);
        io.imageworker.training.onnx.OnnxExport.writeBesideOrSayWhy(dir); // the same graph for ONNX Runtime
        return card;
    }

    /** The source's record ({@link TfjsImporter#provenance}), with the converter's own fields. */
    private static Map<String, Object> provenance(Path src, Read read, Path dir) throws IOException {
        Map<String, String> extra = new LinkedHashMap<>();
        if (!read.convertedBy().isEmpty()) {
            extra.put("convertedBy", read.convertedBy());
        }
        if (!read.generatedBy().isEmpty()) {
            extra.put("generatedBy", read.generatedBy());
        }
        return TfjsImporter.provenance(src, "tfjs-graph-model", extra, read.files(), dir);
    }
}
