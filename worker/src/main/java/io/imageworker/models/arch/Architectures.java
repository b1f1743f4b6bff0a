package io.imageworker.models.arch;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a network from the architecture name and options a {@code model.json} records, so that
 * DJL {@code .params} files (which hold weights but no graph) can be loaded back. Every architecture
 * the training recipes produce is known here; models exported with their graph use the
 * {@code mxnet-symbol} format instead and need no entry.
 */
public final class Architectures {

    private Architectures() {}

    /**
     * A network given as data, {@link LayerGraph}: imported models (TF.js). Its nodes are option
     * {@value #GRAPH}, which the model loader reads from the file option {@value #GRAPH_FILE} names.
     */
    public static final String LAYER_GRAPH = "layer-graph";

    /**
     * The option of {@link #LAYER_GRAPH} naming the network a model imported by name is (a face-api
     * network: {@code face-api-landmark-68}): what its outputs mean, for the task that serves it.
     */
    public static final String NETWORK = "network";

    /** The option of {@link #LAYER_GRAPH} that holds its nodes. */
    public static final String GRAPH = "graph";

    /** The option naming a JSON file in the version folder that holds the nodes ({@value #GRAPH}). */
    public static final String GRAPH_FILE = "graphFile";

    /**
     * A TensorFlow graph given as data, {@link io.imageworker.models.graph.TfGraph}: TF.js graph
     * models. Its nodes are option {@value #GRAPH} (read from {@value #GRAPH_FILE}), its outputs
     * option {@value io.imageworker.models.graph.TfGraph#OUTPUTS}.
     */
    public static final String TF_GRAPH = "tf-graph";

    /** Architecture names this build can construct. */
    public static Set<String> names() {
        return new TreeSet<>(List.of("softmax", "mlp", "cnn", "cnn-bn", "seg-fcn", "seg-deconvnet", "seg-deeplab", "cam",
                "dcgan-generator", LAYER_GRAPH, TF_GRAPH));
    }

    /**
     * A fresh, uninitialised block.
     *
     * @throws IllegalArgumentException for an unknown name or missing option
     */
    public static Block build(String architecture, Map<String, Object> options) {
        Options o = new Options(architecture, options == null ? Map.of() : options);
        return switch (architecture) {
            case "softmax" -> ClassifierNets.softmax(o.integer("classes", 10));
            case "mlp" -> ClassifierNets.mlp(
                    "sigmoid".equals(o.string("activation", "relu")) ? Activation::sigmoidBlock : Activation::reluBlock,
                    o.real("dropout", 0), o.integer("classes", 10));
            case "cnn" -> ClassifierNets.cnn(o.ints("channels"), o.integer("firstKernel", 5),
                    o.real("dropout", 0), o.integer("classes", 10));
            case "cnn-bn" -> ClassifierNets.cnnBatchNorm(o.real("dropout", 0.25f), o.integer("classes", 10));
            case "seg-fcn" -> SegmentNets.fcn(o.integer("classes", 11), o.integer("width", 16), o.integer("fc", 256),
                    o.integer("fcKernel", 5));
            case "seg-deconvnet" -> SegmentNets.deconvnet(o.integer("classes", 11), o.integer("width", 16),
                    o.integer("fc", 128), o.integer("fcKernel", 5));
            case "seg-deeplab" -> SegmentNets.deeplab(o.integer("classes", 11), o.integer("width", 16));
            case "cam" -> CamNets.cam(o.integer("classes", 10), o.integer("width", 16));
            case "dcgan-generator" -> GanNets.generator(o.integer("width", 64));
            case LAYER_GRAPH -> new LayerGraph(o.nodes(GRAPH));
            case TF_GRAPH -> new io.imageworker.models.graph.TfGraph(o.nodes(GRAPH), o.strings(io.imageworker.models.graph.TfGraph.OUTPUTS));
            default -> throw new IllegalArgumentException(
                    "unknown architecture '" + architecture + "'; known: " + names());
        };
    }

    /** Typed reads of a model card's architecture options, with the architecture named in errors. */
    record Options(String architecture, Map<String, Object> values) {

        int integer(String key, int fallback) {
            Object v = values.get(key);
            return v == null ? fallback : ((Number) v).intValue();
        }

        float real(String key, float fallback) {
            Object v = values.get(key);
            return v == null ? fallback : ((Number) v).floatValue();
        }

        String string(String key, String fallback) {
            Object v = values.get(key);
            return v == null ? fallback : v.toString();
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes(String key) {
            Object v = values.get(key);
            if (!(v instanceof List<?>)) {
                throw new IllegalArgumentException(architecture + " needs option '" + key + "' (a list of nodes)");
            }
            return (List<Map<String, Object>>) v;
        }

        List<String> strings(String key) {
            Object v = values.get(key);
            if (!(v instanceof List<?> list)) {
                throw new IllegalArgumentException(architecture + " needs option '" + key + "' (a list of names)");
            }
            return list.stream().map(String::valueOf).toList();
        }

        int[] ints(String key) {
            Object v = values.get(key);
            if (!(v instanceof List<?> list)) {
                throw new IllegalArgumentException(architecture + " needs option '" + key + "' (a list of integers)");
            }
            return list.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        }
    }
}
