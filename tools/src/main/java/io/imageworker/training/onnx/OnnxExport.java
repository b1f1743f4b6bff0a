package io.imageworker.training.onnx;

import io.imageworker.training.checksums.Checksums;
import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the ONNX form of a model the project runs on MXNet from DJL blocks ({@code djl-block}
 * cards): the same network, from the block tree the card's architecture builds, with the trained
 * parameters, as {@code <weights>.onnx} beside {@code <weights>-0000.params}. The file is
 * deterministic (same parameters, same bytes) and carries its provenance: producer
 * {@value #PRODUCER} {@value #EXPORTER_VERSION}, the model's name, version and architecture, and the
 * SHA-256 of the parameters file, in the doc string and {@code metadata_props}.
 *
 * <p>Input {@value #INPUT}: float32 (N, C, H, W) (the generator: (N, latent + classes)), N
 * symbolic. Outputs by task: classify {@code logits} (N, classes) and {@code features} (the
 * penultimate layer, what the out-of-distribution detector reads); localize {@code logits} and
 * {@code maps} (N, classes, h, w); segment {@code logits} (N, classes, H, W); generate {@code image}
 * (N, 1, 28, 28) in [-1, 1].
 */
public final class OnnxExport {

    /** The ONNX {@code producer_name}. */
    public static final String PRODUCER = "image-worker";

    /**
     * The exporter's own version, the ONNX {@code producer_version}: it changes when the graph it
     * writes for the same parameters changes (not with every release, so that the files stay the same).
     */
    public static final String EXPORTER_VERSION = "1";

    /** The graph input's name. */
    public static final String INPUT = "input";

    private OnnxExport() {}

    /** The ONNX file's name in a version folder: {@code <weights>.onnx}. */
    public static String fileName(ModelCard card) {
        return card.weights() + ".onnx";
    }

    /** The graph's output names for the card's task (see the class comment). */
    public static List<String> outputNames(ModelCard card) {
        return switch (card.task()) {
            case "classify" -> List.of("logits", "features");
            case "localize" -> List.of("logits", "maps");
            case "segment" -> List.of("logits");
            case "generate" -> List.of("image");
            case "safe-search" -> List.of("probabilities");
            default -> List.of("output");
        };
    }

    /**
     * Loads the {@code djl-block} model in {@code versionDir} on the CPU and writes its ONNX form
     * beside it.
     *
     * @return the file written
     * @throws IOException when the model cannot be loaded or the file written
     * @throws UnsupportedBlockException when the network holds a block with no ONNX form here
     */
    public static Path writeBeside(Path versionDir) throws IOException {
        try (LoadedModel model = ModelLoader.load(versionDir, Device.cpu())) {
            return writeBeside(versionDir, model.model().getBlock(), model.card());
        }
    }

    /**
     * {@link #writeBeside(Path)}, or, for a network with a block that has no ONNX form here, a line
     * on standard error saying which (the MXNet model stays what serves by default).
     */
    public static void writeBesideOrSayWhy(Path versionDir) throws IOException {
        try {
            writeBeside(versionDir);
        } catch (UnsupportedBlockException e) {
            System.err.println("no ONNX form for " + versionDir + ": " + e.getMessage());
        }
    }

    /**
     * Writes the ONNX form of {@code block} (trained or loaded, with its parameters) beside the
     * parameters file the card names in {@code versionDir}.
     *
     * @return the file written
     */
    public static Path writeBeside(Path versionDir, Block block, ModelCard card) throws IOException {
        byte[] onnx = export(block, card, Checksums.sha256(paramsFile(versionDir, card)));
        Path file = versionDir.resolve(fileName(card));
        Files.write(file, onnx);
        return file;
    }

    /** The DJL parameters file of a {@code djl-block} card: {@code <weights>-0000.params}. */
    public static Path paramsFile(Path versionDir, ModelCard card) {
        return versionDir.resolve(card.weights() + "-0000.params");
    }

    /**
     * The serialized ONNX model of {@code block}.
     *
     * @param paramsSha256 hex SHA-256 of the parameters file the weights come from (provenance)
     * @throws UnsupportedBlockException naming the first block with no ONNX form
     * @throws IllegalStateException when the block has no input shapes (not initialised or loaded)
     */
    public static byte[] export(Block block, ModelCard card, String paramsSha256) {
        if (!ModelCard.FORMAT_DJL_BLOCK.equals(card.formatOrDefault())) {
            throw new IllegalArgumentException("model " + card.id() + " is " + card.formatOrDefault()
                    + ": only djl-block models are exported from their blocks");
        }
        Shape[] shapes = block.getInputShapes();
        if (shapes == null || shapes.length != 1) {
            throw new IllegalStateException("model " + card.id() + " has no single input shape: load or initialise it first");
        }
        OnnxGraph graph = new OnnxGraph();
        Object[] dims = new Object[shapes[0].dimension()];
        dims[0] = "N";
        for (int i = 1; i < dims.length; i++) {
            dims[i] = shapes[0].get(i);
        }
        BlockExporter exporter = new BlockExporter(graph);
        List<String> names = outputNames(card);
        List<String> outs = new ArrayList<>();
        if (block instanceof io.imageworker.models.graph.TfGraph tf) {
            if (tf.fixedBatch() > 0) {
                dims[0] = (long) tf.fixedBatch(); // its Reshape targets hold the batch it was converted with
            }
            outs.addAll(new TfGraphExporter(graph, tf).walk(INPUT, shapes[0]));
        } else if (block instanceof io.imageworker.models.arch.LayerGraph layers) {
            outs.add(new LayerGraphExporter(graph, layers).walk(INPUT));
        } else if (names.contains("features") && block instanceof SequentialBlock seq) {
            // The penultimate tap: everything but the last layer, then the last layer on it.
            var layers = seq.getChildren();
            List<String> h = List.of(INPUT);
            for (int i = 0; i < layers.size() - 1; i++) {
                h = exporter.walk(layers.get(i).getValue(), h, "/" + layers.get(i).getKey());
            }
            var last = layers.get(layers.size() - 1);
            outs.addAll(exporter.walk(last.getValue(), h, "/" + last.getKey()));
            outs.addAll(h);
        } else {
            outs.addAll(exporter.walk(block, List.of(INPUT), ""));
        }
        graph.input(INPUT, dims);
        if (outs.size() > names.size()) {
            names = new ArrayList<>(names);
            for (int i = names.size(); i < outs.size(); i++) {
                names.add("output_" + i);
            }
        }
        for (int i = 0; i < outs.size(); i++) {
            graph.alias(outs.get(i), names.get(i));
            graph.output(names.get(i));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source.model", card.name());
        meta.put("source.version", card.version());
        meta.put("source.architecture", card.architecture());
        meta.put("source.params", card.weights() + "-0000.params");
        meta.put("source.params.sha256", paramsSha256);
        String doc = card.name() + " version " + card.version() + " (" + card.task() + ", architecture "
                + card.architecture() + "), exported from " + card.weights() + "-0000.params sha256 " + paramsSha256
                + " by " + PRODUCER + " exporter " + EXPORTER_VERSION + " for inference (batch norm running statistics, no dropout)";
        return graph.toModel(PRODUCER, EXPORTER_VERSION, versionNumber(card.version()), card.name(), doc, meta);
    }

    private static long versionNumber(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
