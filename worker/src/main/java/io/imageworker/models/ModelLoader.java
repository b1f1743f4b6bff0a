package io.imageworker.models;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imageworker.models.arch.Architectures;
import io.imageworker.models.graph.TfGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a model version folder ({@code model.json} + weights) into native memory. */
public final class ModelLoader {

    /** The file every model version folder holds. */
    public static final String CARD_FILE = "model.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ModelLoader() {}

    /**
     * Reads the card ({@value #CARD_FILE}) of a model version folder; unknown JSON properties are
     * ignored.
     *
     * @throws IOException when the folder has no {@value #CARD_FILE}, or it cannot be read or
     *     parsed
     */
    public static ModelCard readCard(Path versionDir) throws IOException {
        Path file = versionDir.resolve(CARD_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + CARD_FILE + " in " + versionDir);
        }
        return JSON.readValue(file.toFile(), ModelCard.class);
    }

    /**
     * Writes {@code card} as indented JSON to {@value #CARD_FILE} in {@code versionDir}, creating
     * the folder and replacing any card there.
     */
    public static void writeCard(Path versionDir, ModelCard card) throws IOException {
        Files.createDirectories(versionDir);
        JSON.writeValue(versionDir.resolve(CARD_FILE).toFile(), card);
    }

    /** Loads the model in {@code versionDir} on {@code device}; the caller closes it. */
    public static LoadedModel load(Path versionDir, Device device) throws IOException {
        return load(versionDir, device, LoadOptions.DEFAULT);
    }

    /**
     * How ONNX Runtime runs a graph.
     *
     * @param intraOpThreads threads one ONNX Runtime call uses (its intra-op pool), at least 1. One
     *     is the default: on a small CPU, two callers sharing a session with one thread each served
     *     1.7-1.8x one caller, and one caller with two threads 1.2-1.3x (field notes, PP-OCRv4 and
     *     BlazeFace, 2026-11-30); the batcher's number of callers is measured at warm-up
     * @param cpuArena ONNX Runtime's CPU memory arena: it keeps the largest memory a call ever used
     *     for the session's life and grows in powers of two, so a detector that saw one large input
     *     holds that memory for good; without it each call's tensors are allocated and freed
     */
    public record LoadOptions(int intraOpThreads, boolean cpuArena) {

        /** One intra-op thread, no arena. */
        public static final LoadOptions DEFAULT = new LoadOptions(1, false);

        /** No arena. */
        public LoadOptions(int intraOpThreads) {
            this(intraOpThreads, false);
        }

        /** The same with {@code threads} intra-op threads. */
        public LoadOptions withIntraOpThreads(int threads) {
            return new LoadOptions(threads, cpuArena);
        }

        /** @throws IllegalArgumentException when {@code intraOpThreads} is below 1 */
        public LoadOptions {
            if (intraOpThreads < 1) {
                throw new IllegalArgumentException("intra-op threads must be at least 1, was " + intraOpThreads);
            }
        }
    }

    /**
     * Loads the model in {@code versionDir} on {@code device} with the engine its card's format
     * names (MXNet for {@code djl-block} and {@code mxnet-symbol}, ONNX Runtime for {@code onnx});
     * the caller closes it. A card's {@code labelsFile} is read into its labels.
     *
     * @throws IOException when the card is missing or unknown, the weights cannot be read, or an
     *     ONNX card does not match its graph (the message says what the file has)
     */
    public static LoadedModel load(Path versionDir, Device device, LoadOptions options) throws IOException {
        return load(versionDir, card -> device, options);
    }

    /**
     * As {@link #load(Path, Device, LoadOptions)}, the device chosen from the model's card (its
     * engine, its name): ONNX Runtime runs an ONNX model on a GPU through its CUDA execution
     * provider, MXNet through a CUDA build of libmxnet.
     *
     * @throws IOException as above, also when {@code device} refuses the card (its message says why)
     *     or the engine cannot create the model on the chosen device
     */
    public static LoadedModel load(Path versionDir, java.util.function.Function<ModelCard, Device> devices,
            LoadOptions options) throws IOException {
        return load(versionDir, devices, card -> false, options);
    }

    /** The file name of a {@code djl-block} model's exported ONNX form, beside its parameters. */
    public static String onnxFormFile(ModelCard card) {
        return card.weights() + ".onnx";
    }

    /**
     * As {@link #load(Path, java.util.function.Function, LoadOptions)}, serving a {@code djl-block}
     * model's exported ONNX form ({@link #onnxFormFile}: the same network, its outputs in the MXNet
     * form's order, the classifier's penultimate features as its second output) through ONNX Runtime
     * where {@code onnxForm} says so; the loaded card then says {@code onnx}.
     *
     * @throws IOException as above, also when the ONNX form is asked for and the folder has none
     */
    public static LoadedModel load(Path versionDir, java.util.function.Function<ModelCard, Device> devices,
            java.util.function.Predicate<ModelCard> onnxForm, LoadOptions options) throws IOException {
        ModelCard card = withLabelsFile(readCard(versionDir), versionDir);
        boolean exported = ModelCard.FORMAT_DJL_BLOCK.equals(card.formatOrDefault()) && onnxForm.test(card);
        if (exported) {
            if (!Files.isRegularFile(versionDir.resolve(onnxFormFile(card)))) {
                throw new IOException("model " + card.id() + " is to serve its ONNX form but " + versionDir.getFileName()
                        + " has no " + onnxFormFile(card) + " (export it: docs/models.md)");
            }
            card = card.toBuilder().format(ModelCard.FORMAT_ONNX).build();
        }
        Device device;
        try {
            device = devices.apply(card);
        } catch (RuntimeException e) {
            throw new IOException("cannot load model " + card.id() + ": " + e.getMessage(), e);
        }
        String format = card.formatOrDefault();
        int fixedBatch = 0;
        if (ModelCard.FORMAT_ONNX.equals(format)) {
            // An exported form is the card's own network written out (OnnxParityTest holds the two equal): its
            // input is checked against the card's image declaration only where the card declares an image (the
            // generator takes (N, latent + classes) vectors)
            boolean declared = !exported || card.input() != null && card.input().width() > 0 && card.input().height() > 0;
            long b = checkOnnx(card, versionDir, declared).fixedBatch();
            fixedBatch = b > 0 ? (int) b : 0;
        }
        Model model = switch (format) {
            case ModelCard.FORMAT_DJL_BLOCK, ModelCard.FORMAT_MXNET_SYMBOL -> Model.newInstance(card.name(), device);
            // On a GPU, DJL appends ONNX Runtime's CUDA execution provider to the session; MXNet
            // (the helper engine for array work) stays on the CPU unless it has CUDA itself.
            case ModelCard.FORMAT_ONNX -> Model.newInstance(card.name(), device, ONNX_RUNTIME);
            default -> throw new IOException("model " + card.id() + " has unknown format '" + format + "' (known: "
                    + ModelCard.FORMAT_DJL_BLOCK + ", " + ModelCard.FORMAT_MXNET_SYMBOL + ", " + ModelCard.FORMAT_ONNX + ")");
        };
        try {
            switch (format) {
                case ModelCard.FORMAT_DJL_BLOCK -> {
                    Block block = Architectures.build(card.architecture(), architectureOptions(card, versionDir));
                    model.setBlock(block);
                    model.load(versionDir, card.weights());
                    if (block instanceof TfGraph graph) {
                        fixedBatch = graph.fixedBatch(); // nanodet: 1, its Reshape targets hold it
                    }
                }
                case ModelCard.FORMAT_ONNX -> model.load(versionDir, card.weights(),
                        java.util.Map.of("intraOpNumThreads", String.valueOf(options.intraOpThreads()),
                                "interOpNumThreads", "1", "cpuArenaAllocator", String.valueOf(options.cpuArena())));
                // The graph comes from the symbol file: no code knows this network.
                default -> model.load(versionDir, card.weights());
            }
            return new LoadedModel(card, model, model.getNDManager().getDevice(), versionDir, fixedBatch, exported);
        } catch (MalformedModelException | RuntimeException | IOException e) {
            model.close();
            throw e instanceof IOException io ? io : new IOException("cannot load model " + card.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The card's architecture options, with the nodes of a {@code layer-graph} read from the file
     * its {@code graphFile} option names (a file in the version folder).
     */
    static java.util.Map<String, Object> architectureOptions(ModelCard card, Path versionDir) throws IOException {
        java.util.Map<String, Object> options = card.architectureOptions();
        Object file = options == null ? null : options.get(Architectures.GRAPH_FILE);
        if (file == null) {
            return options;
        }
        Path graph = versionDir.resolve(file.toString()).normalize();
        if (!graph.startsWith(versionDir.normalize()) || !Files.isRegularFile(graph)) {
            throw new IOException("model " + card.id() + " names graph file '" + file
                    + "', which is not a file in its version folder");
        }
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>(options);
        all.put(Architectures.GRAPH, JSON.readValue(graph.toFile(), java.util.List.class));
        return all;
    }

    /** DJL's name of the ONNX Runtime engine. */
    public static final String ONNX_RUNTIME = "OnnxRuntime";

    private static OnnxDeclaration.Graph checkOnnx(ModelCard card, Path versionDir, boolean declared) throws IOException {
        if (card.weights() == null) {
            throw new IOException("model " + card.id() + " (onnx) names no weights file stem");
        }
        Path file = versionDir.resolve(card.weights() + ".onnx");
        if (!Files.isRegularFile(file)) {
            throw new IOException("model " + card.id() + " names weights '" + card.weights() + "' but "
                    + versionDir.getFileName() + " has no " + file.getFileName());
        }
        OnnxDeclaration.Graph graph = OnnxDeclaration.read(file);
        if (declared) {
            OnnxDeclaration.check(card, graph, file.getFileName().toString());
        }
        return graph;
    }

    private static ModelCard withLabelsFile(ModelCard card, Path versionDir) throws IOException {
        if (card.labelsFile() == null) {
            return card;
        }
        Path file = versionDir.resolve(card.labelsFile()).normalize();
        if (!file.startsWith(versionDir.normalize()) || !Files.isRegularFile(file)) {
            throw new IOException("model " + card.id() + " names labels file '" + card.labelsFile()
                    + "', which is not a file in its version folder");
        }
        // One label per line, kept verbatim (a recognizer's dictionary holds symbols such as a lone space).
        java.util.List<String> labels = new java.util.ArrayList<>(
                java.util.Arrays.asList(Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).split("\r?\n", -1)));
        if (!labels.isEmpty() && labels.get(labels.size() - 1).isEmpty()) {
            labels.remove(labels.size() - 1); // the file's final newline
        }
        return card.withLabels(labels);
    }
}
