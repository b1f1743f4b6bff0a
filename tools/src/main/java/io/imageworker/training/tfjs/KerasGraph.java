package io.imageworker.training.tfjs;

import static io.imageworker.training.tfjs.TfLayouts.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.models.arch.LayerGraph;
import io.imageworker.training.tfjs.TfjsWeights.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras topology (a TF.js layers model) turned into {@link LayerGraph} nodes and their NCHW
 * parameters. TensorFlow's conventions are made explicit here: kernels go from HWIO to OIHW
 * (depthwise ones from [h, w, in, multiplier] to [in * multiplier, 1, h, w], so that output channel
 * {@code c * m + j} is input channel {@code c}'s {@code j}-th filter, as in TensorFlow); "same"
 * padding becomes explicit pads that put the odd row and column at the bottom and right; dense
 * kernels go from [in, out] to [out, in]; a batch norm that follows a convolution or dense layer
 * with no activation is folded into its weights and bias ({@code w * g / sqrt(v + eps)}, {@code
 * (b - mean) * g / sqrt(v + eps) + beta}); one that cannot be folded stays a batch-norm node.
 *
 * <p>Layers: InputLayer, Conv2D, DepthwiseConv2D, SeparableConv2D, Dense, BatchNormalization,
 * Activation, ReLU, LeakyReLU, Softmax, ZeroPadding2D, MaxPooling2D, AveragePooling2D,
 * GlobalAveragePooling2D, GlobalMaxPooling2D, Add, Concatenate, Flatten, Reshape, Dropout (an
 * identity at inference). Anything else is refused with the layer's class and name.
 */
public final class KerasGraph {

    /** The Keras layer classes this converter knows. */
    public static final List<String> LAYERS = List.of("InputLayer", "Conv2D", "DepthwiseConv2D", "SeparableConv2D",
            "Dense", "BatchNormalization", "Activation", "ReLU", "LeakyReLU", "Softmax", "ZeroPadding2D",
            "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Add", "Concatenate",
            "Flatten", "Reshape", "Dropout");

    /** Thrown for a topology this converter cannot express; the message names the layer. */
    public static final class UnsupportedLayerException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnsupportedLayerException(String message) {
            super(message);
        }
    }

    /**
     * The converted network.
     *
     * @param nodes the {@link LayerGraph} nodes, input first, output last
     * @param parameters by node index: parameter name to values in the layout the node's block has
     * @param inputShape channels, height, width
     * @param outputs the width of the output (class count of a classifier)
     * @param outputActivation the activation of the last node ({@code softmax} for a classifier that
     *     returns probabilities)
     * @param foldedBatchNorms how many batch norms were folded into the layer before them
     */
    public record Result(List<Map<String, Object>> nodes, Map<Integer, Map<String, float[]>> parameters,
            int[] inputShape, int outputs, String outputActivation, int foldedBatchNorms) {}

    private final List<Map<String, Object>> nodes = new ArrayList<>();
    private final Map<Integer, Map<String, float[]>> params = new HashMap<>();
    /** Output shape of each node: [C, H, W] or [F]. */
    private final List<int[]> shapes = new ArrayList<>();
    private final Map<String, Integer> nodeOf = new HashMap<>();
    private final ManifestWeights weights;
    private final Map<String, Integer> consumers = new HashMap<>();
    private int folded;

    private KerasGraph(Map<String, Weight> weights) {
        this.weights = new ManifestWeights(weights);
    }

    /**
     * Converts {@code topology} (model.json's {@code modelTopology}) with {@code weights}.
     *
     * @throws UnsupportedLayerException for a layer class, option or wiring not supported (shared
     *     layers, several inputs or outputs, channels-first data, nested models), naming it
     * @throws IllegalArgumentException when a weight is missing, has the wrong size, or is not used
     */
    public static Result convert(JsonNode topology, Map<String, Weight> weights) {
        KerasTopology t = KerasTopology.read(topology);
        String cls = t.modelClass();
        List<JsonNode> layers = t.layers();
        List<List<String>> inbound = t.inbound();
        KerasGraph g = new KerasGraph(weights);
        for (List<String> in : inbound) {
            in.forEach(n -> g.consumers.merge(n, 1, Integer::sum));
        }
        if ("Sequential".equals(cls) && !"InputLayer".equals(layers.get(0).path("class_name").asText())) {
            // A Sequential model may declare its input on its first layer instead of an InputLayer.
            g.input(layers.get(0).path("config").path("batch_input_shape"), "input");
            inbound.set(0, List.of("input"));
        }
        for (int i = 0; i < layers.size(); i++) {
            g.layer(layers.get(i), inbound.get(i));
        }
        g.weights.requireAllUsed();
        int last = g.nodes.size() - 1;
        int[] out = g.shapes.get(last);
        String act = String.valueOf(g.nodes.get(last).getOrDefault("activation", "linear"));
        return new Result(g.nodes, g.params, g.shapes.get(0), out[0], act, g.folded);
    }

    private void layer(JsonNode layer, List<String> inbound) {
        String cls = layer.path("class_name").asText();
        JsonNode c = layer.path("config");
        String name = c.path("name").asText(layer.path("name").asText());
        if ("InputLayer".equals(cls)) {
            input(c.has("batch_input_shape") ? c.path("batch_input_shape") : c.path("batch_shape"), name);
            return;
        }
        if (!LAYERS.contains(cls)) {
            throw new UnsupportedLayerException("layer " + name + " is a " + cls + ", which the importer does not support;"
                    + " supported: " + LAYERS);
        }
        if (c.has("data_format") && !"channels_last".equals(c.path("data_format").asText())) {
            throw new UnsupportedLayerException("layer " + name + " (" + cls + ") has data_format "
                    + c.path("data_format").asText() + "; only channels_last is supported");
        }
        List<Integer> in = new ArrayList<>();
        for (String n : inbound) {
            Integer idx = nodeOf.get(n);
            if (idx == null) {
                throw new UnsupportedLayerException("layer " + name + " reads " + n + ", which is not defined before it");
            }
            in.add(idx);
        }
        int x = in.isEmpty() ? -1 : in.get(0);
        int out = switch (cls) {
            case "Conv2D" -> conv(name, c, x, false);
            case "DepthwiseConv2D" -> conv(name, c, x, true);
            case "SeparableConv2D" -> separable(name, c, x);
            case "Dense" -> dense(name, c, x);
            case "BatchNormalization" -> batchNorm(name, c, x);
            case "Activation" -> node(name, "activation", List.of(x), shapes.get(x), Map.of("activation",
                    activation(name, c.path("activation").asText())));
            case "ReLU" -> node(name, "activation", List.of(x), shapes.get(x), Map.of("activation", relu(name, c)));
            case "LeakyReLU" -> node(name, "activation", List.of(x), shapes.get(x),
                    Map.of("activation", "leaky-relu:" + c.path("alpha").asDouble(c.path("negative_slope").asDouble(0.3))));
            case "Softmax" -> {
                int axis = c.path("axis").asInt(-1);
                if (axis != -1 && axis != shapes.get(x).length) {
                    throw new UnsupportedLayerException("layer " + name + " (Softmax) on axis " + axis
                            + "; only the channel axis is supported");
                }
                yield node(name, "activation", List.of(x), shapes.get(x), Map.of("activation", "softmax"));
            }
            case "ZeroPadding2D" -> node(name, List.of(x), ShapeLayers.zeroPad(name, c, shapes.get(x)));
            case "MaxPooling2D", "AveragePooling2D" -> node(name, List.of(x),
                    ShapeLayers.pool(name, c, shapes.get(x), "MaxPooling2D".equals(cls) ? "maxpool" : "avgpool"));
            case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
                if (c.path("keepdims").asBoolean(false)) {
                    throw new UnsupportedLayerException("layer " + name + " (" + cls + ") with keepdims is not supported");
                }
                yield node(name, cls.startsWith("GlobalAverage") ? "globalavgpool" : "globalmaxpool", List.of(x),
                        new int[] {shapes.get(x)[0]}, Map.of());
            }
            case "Add" -> {
                for (int i : in) {
                    if (!java.util.Arrays.equals(shapes.get(i), shapes.get(x))) {
                        throw new UnsupportedLayerException("layer " + name + " (Add) adds different shapes");
                    }
                }
                yield node(name, "add", in, shapes.get(x), Map.of());
            }
            case "Concatenate" -> node(name, in, ShapeLayers.concat(name, c, in.stream().map(shapes::get).toList()));
            case "Flatten" -> node(name, "flatten", List.of(x), new int[] {size(shapes.get(x))}, Map.of());
            case "Reshape" -> node(name, List.of(x), ShapeLayers.reshape(name, c, shapes.get(x)));
            case "Dropout" -> node(name, "identity", List.of(x), shapes.get(x), Map.of());
            default -> throw new UnsupportedLayerException("layer " + name + " is a " + cls + ", not supported");
        };
        nodeOf.put(name, out);
    }

    private void input(JsonNode batchShape, String name) {
        if (!nodes.isEmpty()) {
            throw new UnsupportedLayerException("a second input (" + name + ") is not supported");
        }
        if (batchShape.size() != 4 || batchShape.get(1).isNull() || batchShape.get(2).isNull()) {
            throw new UnsupportedLayerException("input " + name + " has shape " + batchShape
                    + "; an image input of fixed size [null, H, W, C] is needed");
        }
        int[] chw = {batchShape.get(3).asInt(), batchShape.get(1).asInt(), batchShape.get(2).asInt()};
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("name", name);
        n.put("op", "input");
        n.put("shape", List.of(chw[0], chw[1], chw[2]));
        nodes.add(n);
        shapes.add(chw);
        nodeOf.put(name, 0);
    }

    private int node(String name, String op, List<Integer> inputs, int[] shape, Map<String, Object> keys) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("name", name);
        n.put("op", op);
        n.put("inputs", List.copyOf(inputs));
        n.putAll(keys);
        nodes.add(n);
        shapes.add(shape);
        return nodes.size() - 1;
    }

    private int conv(String name, JsonNode c, int x, boolean depthwise) {
        int[] in = chw(name, x);
        int[] k = pair(c.path("kernel_size"));
        int[] s = pair(c.path("strides"));
        int[] d = pair(c.path("dilation_rate"));
        String padding = c.path("padding").asText("valid");
        int[] pads = pads(name, padding, in, k, s, d);
        int groups;
        int filters;
        float[] w;
        if (depthwise) {
            int m = c.path("depth_multiplier").asInt(1);
            Weight kernel = weights.take(name, "depthwise_kernel", k[0], k[1], in[0], m);
            w = depthwiseToOihw(kernel.values(), k[0], k[1], in[0], m);
            groups = in[0];
            filters = in[0] * m;
        } else {
            groups = c.path("groups").asInt(1);
            filters = c.path("filters").asInt();
            Weight kernel = weights.take(name, "kernel", k[0], k[1], in[0] / groups, filters);
            w = hwioToOihw(kernel.values(), k[0], k[1], in[0] / groups, filters);
        }
        boolean bias = c.path("use_bias").asBoolean(true);
        Map<String, float[]> p = new HashMap<>();
        p.put("weight", w);
        if (bias) {
            p.put("bias", weights.take(name, "bias", filters).values());
        }
        int[] outShape = {filters, outSize(in[1], k[0], s[0], d[0], pads[0] + pads[1]),
            outSize(in[2], k[1], s[1], d[1], pads[2] + pads[3])};
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("filters", filters);
        keys.put("kernel", List.of(k[0], k[1]));
        keys.put("strides", List.of(s[0], s[1]));
        keys.put("dilation", List.of(d[0], d[1]));
        keys.put("pads", List.of(pads[0], pads[1], pads[2], pads[3]));
        keys.put("groups", groups);
        keys.put("bias", bias);
        keys.put("activation", activation(name, c.path("activation").asText("linear")));
        int idx = node(name, "conv2d", List.of(x), outShape, keys);
        params.put(idx, p);
        return idx;
    }

    private int separable(String name, JsonNode c, int x) {
        int[] in = chw(name, x);
        int[] k = pair(c.path("kernel_size"));
        int[] s = pair(c.path("strides"));
        int[] d = pair(c.path("dilation_rate"));
        int[] pads = pads(name, c.path("padding").asText("valid"), in, k, s, d);
        int m = c.path("depth_multiplier").asInt(1);
        int filters = c.path("filters").asInt();
        Map<String, Object> dw = new LinkedHashMap<>();
        dw.put("filters", in[0] * m);
        dw.put("kernel", List.of(k[0], k[1]));
        dw.put("strides", List.of(s[0], s[1]));
        dw.put("dilation", List.of(d[0], d[1]));
        dw.put("pads", List.of(pads[0], pads[1], pads[2], pads[3]));
        dw.put("groups", in[0]);
        dw.put("bias", false);
        int[] mid = {in[0] * m, outSize(in[1], k[0], s[0], d[0], pads[0] + pads[1]),
            outSize(in[2], k[1], s[1], d[1], pads[2] + pads[3])};
        int depth = node(name + "_depthwise", "conv2d", List.of(x), mid, dw);
        params.put(depth, Map.of("weight", depthwiseToOihw(weights.take(name, "depthwise_kernel", k[0], k[1], in[0], m).values(),
                k[0], k[1], in[0], m)));
        boolean bias = c.path("use_bias").asBoolean(true);
        Map<String, Object> pw = new LinkedHashMap<>();
        pw.put("filters", filters);
        pw.put("kernel", List.of(1, 1));
        pw.put("bias", bias);
        pw.put("activation", activation(name, c.path("activation").asText("linear")));
        int point = node(name, "conv2d", List.of(depth), new int[] {filters, mid[1], mid[2]}, pw);
        Map<String, float[]> p = new HashMap<>();
        p.put("weight", hwioToOihw(weights.take(name, "pointwise_kernel", 1, 1, mid[0], filters).values(), 1, 1, mid[0], filters));
        if (bias) {
            p.put("bias", weights.take(name, "bias", filters).values());
        }
        params.put(point, p);
        return point;
    }

    private int dense(String name, JsonNode c, int x) {
        int[] in = shapes.get(x);
        if (in.length != 1) {
            throw new UnsupportedLayerException("layer " + name + " (Dense) on a " + in.length
                    + "-D input; flatten or pool first");
        }
        int units = c.path("units").asInt();
        float[] kernel = weights.take(name, "kernel", in[0], units).values();
        float[] w = new float[kernel.length];
        for (int i = 0; i < in[0]; i++) {
            for (int o = 0; o < units; o++) {
                w[o * in[0] + i] = kernel[i * units + o];
            }
        }
        boolean bias = c.path("use_bias").asBoolean(true);
        Map<String, float[]> p = new HashMap<>();
        p.put("weight", w);
        if (bias) {
            p.put("bias", weights.take(name, "bias", units).values());
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("units", units);
        keys.put("bias", bias);
        keys.put("activation", activation(name, c.path("activation").asText("linear")));
        int idx = node(name, "dense", List.of(x), new int[] {units}, keys);
        params.put(idx, p);
        return idx;
    }

    private int batchNorm(String name, JsonNode c, int x) {
        int[] in = shapes.get(x);
        int axis = c.path("axis").isArray() ? c.path("axis").get(0).asInt() : c.path("axis").asInt(-1);
        if (axis != -1 && axis != in.length) {
            throw new UnsupportedLayerException("layer " + name + " (BatchNormalization) on axis " + axis
                    + "; only the channel axis is supported");
        }
        int ch = in[0];
        double eps = c.path("epsilon").asDouble(1e-3);
        float[] gamma = c.path("scale").asBoolean(true) ? weights.take(name, "gamma", ch).values() : filled(ch, 1f);
        float[] beta = c.path("center").asBoolean(true) ? weights.take(name, "beta", ch).values() : filled(ch, 0f);
        float[] mean = weights.take(name, "moving_mean", ch).values();
        float[] var = weights.take(name, "moving_variance", ch).values();
        Map<String, Object> prev = nodes.get(x);
        String prevName = String.valueOf(prev.get("name"));
        boolean foldable = ("conv2d".equals(prev.get("op")) || "dense".equals(prev.get("op")))
                && "linear".equals(prev.get("activation")) && consumers.getOrDefault(prevName, 0) == 1
                && nodeOf.get(prevName) != null && nodeOf.get(prevName) == x;
        if (!foldable) {
            Map<String, float[]> p = new HashMap<>();
            p.put("gamma", gamma);
            p.put("beta", beta);
            p.put("runningMean", mean);
            p.put("runningVar", var);
            int idx = node(name, "batchnorm", List.of(x), in, Map.of("epsilon", eps));
            params.put(idx, p);
            return idx;
        }
        Map<String, float[]> p = params.get(x);
        float[] nb = foldBatchNorm(p.get("weight"), p.containsKey("bias") ? p.get("bias") : new float[ch], gamma, beta, mean, var, eps);
        p.put("bias", nb);
        prev.put("bias", true);
        folded++;
        return x;
    }

    /** Adds the node of a layer with no weights, read by {@code inputs}. */
    private int node(String name, List<Integer> inputs, ShapeLayers.Spec spec) {
        return node(name, spec.op(), inputs, spec.shape(), spec.keys());
    }

    private int[] chw(String name, int x) {
        return ShapeLayers.chw(name, shapes.get(x));
    }
}
