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
import io.imageworker.models.arch.LayerGraph;
import io.imageworker.training.checksums.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Imports a TF.js layers model folder ({@code model.json} with a Keras topology and a weights
 * manifest, plus its binary shards) as a model of the repository: a {@link LayerGraph} whose nodes
 * go to {@code graph.json}, its DJL MXNet parameters ({@code <name>-0000.params}) and a card
 * ({@code model.json}) with the source's provenance. Serving it then needs no importer: the card
 * names architecture {@code layer-graph}, which the model loader builds from {@code graph.json}.
 *
 * <p>A folder without a model.json whose network is code in its package (face-api's
 * {@code <model>-weights_manifest.json} and shards) is imported by naming its architecture
 * ({@link Request#architecture}, one of {@link FaceApiTopology#ARCHITECTURES}): the weights are read
 * the same way and the named topology takes the place of the Keras one.
 *
 * <p>TF.js graph models (GraphDef ops, {@code format: graph-model}) go to
 * {@link io.imageworker.training.tfjs.GraphModelImporter}.
 */
public final class TfjsImporter {

    /** The file the graph's nodes are written to. */
    public static final String GRAPH_FILE = "graph.json";

    /** A TF.js folder may carry this file: what the files are and where they come from (the card's provenance). */
    public static final String SOURCE_FILE = "SOURCE.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TfjsImporter() {}

    /**
     * What to import and how to name it.
     *
     * @param tfjsDir the TF.js model folder
     * @param out the model repository root; the model goes to {@code out/name/version/}
     * @param task the task the card names
     * @param name the model name
     * @param version the version folder
     * @param labels class names in output order; null or empty: {@code class-0 ...}
     * @param options task defaults the card records (may be null)
     * @param command the command line to record on the card
     * @param evaluate measure the imported model by its task's evaluation and record the metrics on
     *     its card (for safe-search: parity with the recorded TF.js original)
     * @param architecture null for a layers model (model.json with its Keras topology); else the
     *     name of the network a weights manifest holds ({@link FaceApiTopology#ARCHITECTURES})
     */
    public record Request(Path tfjsDir, Path out, String task, String name, String version, List<String> labels,
            Map<String, Object> options, String command, boolean evaluate, String architecture) {

        /** A layers model (model.json with its Keras topology). */
        public Request(Path tfjsDir, Path out, String task, String name, String version, List<String> labels,
                Map<String, Object> options, String command, boolean evaluate) {
            this(tfjsDir, out, task, name, version, labels, options, command, evaluate, null);
        }
    }

    /**
     * What a source folder holds, read.
     *
     * @param topology the Keras topology
     * @param weights the weights under the names the topology reads
     * @param files the files read (name in the folder to path), for their SHA-256
     * @param format the source's format for the card's provenance
     * @param description what the import did, for the card's recipe
     * @param mean per channel, subtracted from pixels scaled to [0, 1]
     * @param std per channel, the divisor after the mean
     * @param regression the outputs are values (coordinates), not class scores
     */
    private record Source(JsonNode topology, Map<String, TfjsWeights.Weight> weights, Map<String, Path> files,
            String format, String description, float[] mean, float[] std, boolean regression) {}

    /**
     * Reads the TF.js model, writes the repository model and returns its card.
     *
     * @throws IOException when the folder cannot be read, is not a layers model, or the result
     *     cannot be written
     * @throws KerasGraph.UnsupportedLayerException for a layer or option the importer does not
     *     support (its message names the layer and its class)
     */
    public static ModelCard importModel(Request r) throws IOException {
        if (r.architecture() == null && io.imageworker.training.tfjs.GraphModelImporter.isGraphModel(r.tfjsDir())) {
            return io.imageworker.training.tfjs.GraphModelImporter.importModel(r);
        }
        Source source = r.architecture() == null ? layersModel(r.tfjsDir()) : weightsManifest(r.tfjsDir(), r.architecture());
        KerasGraph.Result graph = KerasGraph.convert(source.topology(), source.weights());

        List<String> labels = r.labels() == null || r.labels().isEmpty()
                ? java.util.stream.IntStream.range(0, graph.outputs()).mapToObj(i -> "class-" + i).toList()
                : r.labels();
        boolean anchors = FaceApiTopology.SSD_MOBILENET_V1.equals(r.architecture()); // outputs are anchors' values, not labels'
        if (labels.size() != graph.outputs() && !anchors) {
            throw new IllegalArgumentException("the model has " + graph.outputs() + " outputs but " + labels.size()
                    + " labels were given");
        }
        Path dir = r.out().resolve(r.name()).resolve(r.version());
        Files.createDirectories(dir);
        int[] chw = graph.inputShape();
        try (Model model = Model.newInstance(r.name(), Device.cpu(), "MXNet")) {
            LayerGraph block = new LayerGraph(graph.nodes());
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, chw[0], chw[1], chw[2]));
            graph.parameters().forEach((node, ps) -> ps.forEach((p, values) -> block.setParameter(node, p, values)));
            model.save(dir, r.name());
        }
        JSON.writeValue(dir.resolve(GRAPH_FILE).toFile(), graph.nodes());

        Map<String, Object> provenance = provenance(r.tfjsDir(), source.format(), Map.of(), source.files(), dir);
        Map<String, Object> arch = new LinkedHashMap<>();
        arch.put(Architectures.GRAPH_FILE, GRAPH_FILE);
        arch.put("nodes", graph.nodes().size());
        arch.put("foldedBatchNorms", graph.foldedBatchNorms());
        if (r.architecture() != null) {
            arch.put(Architectures.NETWORK, r.architecture());
        }
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("recipe", "tfjs-import");
        recipe.put("description", source.description() + ": kernels HWIO to OIHW, 'same' padding made explicit, "
                + graph.foldedBatchNorms() + " batch norms folded into the convolution before them");
        if (r.command() != null) {
            recipe.put("command", r.command());
        }
        ModelCard card = ModelCard.builder(r.name(), r.version(), r.task(), ModelCard.FORMAT_DJL_BLOCK)
                .architecture(Architectures.LAYER_GRAPH).architectureOptions(arch).weights(r.name())
                .input(new ModelCard.Input(chw[2], chw[1], chw[0], source.mean(), source.std(), null))
                .labels(labels).metrics(List.of()).recipe(recipe)
                .options(FaceApiTopology.options(r.architecture(), r.options()))
                .output(new ModelCard.Output(null, source.regression() ? ModelCard.Output.LINEAR
                        : "softmax".equals(graph.outputActivation()) ? ModelCard.Output.SOFTMAX : ModelCard.Output.LOGITS))
                .companions(FaceApiTopology.companions(r.architecture())).provenance(provenance).build();
        ModelLoader.writeCard(dir, card);
        io.imageworker.training.onnx.OnnxExport.writeBesideOrSayWhy(dir); // the same network for ONNX Runtime
        List<ModelCard.Metric> metrics = r.evaluate() ? measure(dir, r.task()) : List.of();
        if (!metrics.isEmpty()) {
            card = card.toBuilder().metrics(metrics).build();
            ModelLoader.writeCard(dir, card);
        }
        return card;
    }

    /**
     * The imported model's metrics by its task's evaluation (for safe-search: parity with the
     * recorded original, when there is one); none for a task without an evaluation.
     */
    private static List<ModelCard.Metric> measure(Path dir, String task) throws IOException {
        io.imageworker.training.ModelEvaluation evaluation;
        try {
            evaluation = io.imageworker.training.Evaluations.forTask(task);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        try (io.imageworker.models.LoadedModel model = ModelLoader.load(dir, Device.cpu())) {
            return evaluation.evaluate(model, 0);
        }
    }

    /** A layers model: model.json's Keras topology and weights manifest; pixels scaled to [0, 1], no mean. */
    private static Source layersModel(Path dir) throws IOException {
        Path modelJson = dir.resolve("model.json");
        if (!Files.isRegularFile(modelJson)) {
            throw new IOException(dir + " has no model.json (a TF.js model folder holds model.json and its "
                    + "weight shards; a folder with only a weights manifest needs --architecture)");
        }
        JsonNode root = JSON.readTree(modelJson.toFile());
        JsonNode topology = root.path("modelTopology");
        String format = root.path("format").asText("");
        if ("graph-model".equals(format) || topology.has("node")) {
            throw new KerasGraph.UnsupportedLayerException("model.json holds a TF.js graph model (GraphDef ops); "
                    + "only layers models (a Keras topology) are supported");
        }
        if (!topology.has("model_config") && !topology.has("class_name")) {
            throw new IOException("model.json has no Keras modelTopology");
        }
        Map<String, Path> files = new TreeMap<>(Map.of("model.json", modelJson));
        shards(dir, root.path("weightsManifest"), files);
        return new Source(topology, TfjsWeights.read(dir, root.path("weightsManifest")), files, "tfjs-layers-model",
                "imported from a TF.js layers model (Keras " + topology.path("keras_version").asText("?") + " topology)",
                new float[] {0f}, new float[] {1f}, false);
    }

    /**
     * A weights manifest ({@code *-weights_manifest.json}, exactly one in the folder) of a network
     * known by name; the input as face-api feeds it: 112 x 112 RGB, (pixel - mean) / 255, or for the
     * SSD 512 x 512 RGB, pixel / 127.5 - 1 (mean and std 0.5 of pixels scaled to [0, 1]).
     */
    private static Source weightsManifest(Path dir, String architecture) throws IOException {
        List<Path> manifests;
        try (Stream<Path> list = Files.list(dir)) {
            manifests = list.filter(f -> f.getFileName().toString().endsWith("weights_manifest.json")).sorted().toList();
        }
        if (manifests.size() != 1) {
            throw new IOException(dir + " holds " + manifests.size() + " weights manifests (*weights_manifest.json); "
                    + "architecture " + architecture + " reads exactly one");
        }
        JsonNode manifest = JSON.readTree(manifests.get(0).toFile());
        Map<String, Path> files = new TreeMap<>(Map.of(manifests.get(0).getFileName().toString(), manifests.get(0)));
        shards(dir, manifest, files);
        FaceApiTopology.Network net = FaceApiTopology.of(architecture, TfjsWeights.read(dir, manifest));
        boolean ssd = FaceApiTopology.SSD_MOBILENET_V1.equals(architecture);
        float[] mean = new float[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = ssd ? 0.5f : (float) (FaceApiTopology.MEAN_RGB[c] / 255);
        }
        float[] std = ssd ? new float[] {0.5f, 0.5f, 0.5f} : new float[] {1f, 1f, 1f};
        return new Source(net.topology(), net.weights(), files, "tfjs-weights-manifest",
                "imported from a TF.js weights manifest with architecture " + architecture
                        + " (face-api's network, written out as its Keras topology)", mean, std,
                ssd || FaceApiTopology.LANDMARKS_68.equals(architecture));
    }

    private static void shards(Path dir, JsonNode manifest, Map<String, Path> files) {
        for (JsonNode g : manifest) {
            for (JsonNode path : g.path("paths")) {
                files.put(path.asText(), dir.resolve(path.asText()));
            }
        }
    }

    /**
     * The source's record, for layers and graph models alike: the folder's {@value #SOURCE_FILE} if any
     * (package, version, licence, upstream), the {@code format}, the converter's own fields
     * ({@code extra}), the SHA-256 of every file read, and the licence file copied beside the weights when
     * the folder has one ({@code LICENSE}).
     *
     * @param src the TF.js folder read
     * @param files every file read, by its name in the folder
     * @param dir the model folder written
     */
    static Map<String, Object> provenance(Path src, String format, Map<String, String> extra, Map<String, Path> files,
            Path dir) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        Path sourceFile = src.resolve(SOURCE_FILE);
        if (Files.isRegularFile(sourceFile)) {
            JSON.readValue(sourceFile.toFile(), LinkedHashMap.class).forEach((k, v) -> p.put(String.valueOf(k), v));
        }
        p.put("format", format);
        p.putAll(extra);
        Map<String, String> sums = new TreeMap<>();
        for (Map.Entry<String, Path> f : files.entrySet()) {
            sums.put(f.getKey(), Checksums.sha256(f.getValue()));
        }
        p.put("importedFiles", sums);
        try (Stream<Path> list = Files.list(src)) {
            Path licence = list.filter(f -> f.getFileName().toString().matches("(?i)licen[cs]e(\\.(txt|md))?"))
                    .findFirst().orElse(null);
            if (licence != null) {
                Files.copy(licence, dir.resolve("LICENSE"), StandardCopyOption.REPLACE_EXISTING);
                p.put("licenceFile", "LICENSE");
            }
        }
        return p;
    }
}
