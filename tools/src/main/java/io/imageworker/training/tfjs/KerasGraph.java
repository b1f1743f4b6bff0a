package io.imageworker.training.tfjs;

import static io.imageworker.training.tfjs.TfLayouts.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.models.arch.LayerGraph;
import io.imageworker.training.tfjs.TfjsWeights.Weight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final Map<String, Weight> weights;
    private final Set<String> used = new LinkedHashSet<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private int folded;

    private KerasGraph(Map<String, Weight> weights) {
        this.weights = weights;
    }

    /**
     * Converts {@code topology} (model.json's {@code modelTopology}) with {@code weights}.
     *
     * @throws UnsupportedLayerException for a layer class, option or wiring not supported (shared
     *     layers, several inputs or outputs, channels-first data, nested models), naming it
     * @throws IllegalArgumentException when a weight is missing, has the wrong size, or is not used
     */
    public static Result convert(JsonNode topology, Map<String, Weight> weights) {
        JsonNode config = topology.has("model_config") ? topology.get("model_config") : topology;
        String cls = config.path("class_name").asText();
        List<JsonNode> layers = new ArrayList<>();
        List<List<String>> inbound = new ArrayList<>();
        if ("Sequential".equals(cls)) {
            JsonNode list = config.path("config").isArray() ? config.path("config") : config.path("config").path("layers");
            String previous = null;
            for (JsonNode l : list) {
                layers.add(l);
                inbound.add(previous == null ? List.of() : List.of(previous));
                previous = l.path("config").path("name").asText(l.path("name").asText());
            }
        } else if ("Model".equals(cls) || "Functional".equals(cls)) {
            JsonNode c = config.path("config");
            if (c.path("input_layers").size() != 1 || c.path("output_layers").size() != 1) {
                throw new UnsupportedLayerException("models with " + c.path("input_layers").size() + " inputs and "
                        + c.path("output_layers").size() + " outputs are not supported (one of each)");
            }
            for (JsonNode l : c.path("layers")) {
                layers.add(l);
                inbound.add(inboundNames(l));
            }
        } else {
            throw new UnsupportedLayerException("model class '" + cls + "' is not supported (Sequential, Model, Functional)");
        }
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
        Set<String> unused = new LinkedHashSet<>(weights.keySet());
        unused.removeAll(g.used);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("weights not used by any layer (the topology and manifest disagree): "
                    + unused);
        }
        int last = g.nodes.size() - 1;
        int[] out = g.shapes.get(last);
        String act = String.valueOf(g.nodes.get(last).getOrDefault("activation", "linear"));
        return new Result(g.nodes, g.params, g.shapes.get(0), out[0], act, g.folded);
    }

    private static List<String> inboundNames(JsonNode layer) {
        JsonNode nodesIn = layer.path("inbound_nodes");
        if (nodesIn.size() > 1) {
            throw new UnsupportedLayerException("layer " + layer.path("name").asText()
                    + " is called " + nodesIn.size() + " times (shared layers are not supported)");
        }
        List<String> names = new ArrayList<>();
        if (nodesIn.size() == 1) {
            collectHistory(nodesIn.get(0), names);
        }
        return names;
    }

    /** Keras 2 writes [[name, node, tensor, kwargs], ...]; Keras 3 nests keras_history in args. */
    private static void collectHistory(JsonNode n, List<String> names) {
        if (n.isArray() && n.size() >= 3 && n.get(0).isTextual() && n.get(1).isNumber()) {
            names.add(n.get(0).asText());
        } else if (n.has("keras_history")) {
            names.add(n.get("keras_history").get(0).asText());
        } else if (n.isContainerNode()) {
            n.forEach(c -> collectHistory(c, names));
        }
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
            case "ZeroPadding2D" -> zeroPad(name, c, x);
            case "MaxPooling2D", "AveragePooling2D" -> pool(name, c, x, "MaxPooling2D".equals(cls) ? "maxpool" : "avgpool");
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
            case "Concatenate" -> concat(name, c, in);
            case "Flatten" -> node(name, "flatten", List.of(x), new int[] {size(shapes.get(x))}, Map.of());
            case "Reshape" -> reshape(name, c, x);
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
            Weight kernel = weight(name, "depthwise_kernel", k[0], k[1], in[0], m);
            w = depthwiseToOihw(kernel.values(), k[0], k[1], in[0], m);
            groups = in[0];
            filters = in[0] * m;
        } else {
            groups = c.path("groups").asInt(1);
            filters = c.path("filters").asInt();
            Weight kernel = weight(name, "kernel", k[0], k[1], in[0] / groups, filters);
            w = hwioToOihw(kernel.values(), k[0], k[1], in[0] / groups, filters);
        }
        boolean bias = c.path("use_bias").asBoolean(true);
        Map<String, float[]> p = new HashMap<>();
        p.put("weight", w);
        if (bias) {
            p.put("bias", weight(name, "bias", filters).values());
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
        params.put(depth, Map.of("weight", depthwiseToOihw(weight(name, "depthwise_kernel", k[0], k[1], in[0], m).values(),
                k[0], k[1], in[0], m)));
        boolean bias = c.path("use_bias").asBoolean(true);
        Map<String, Object> pw = new LinkedHashMap<>();
        pw.put("filters", filters);
        pw.put("kernel", List.of(1, 1));
        pw.put("bias", bias);
        pw.put("activation", activation(name, c.path("activation").asText("linear")));
        int point = node(name, "conv2d", List.of(depth), new int[] {filters, mid[1], mid[2]}, pw);
        Map<String, float[]> p = new HashMap<>();
        p.put("weight", hwioToOihw(weight(name, "pointwise_kernel", 1, 1, mid[0], filters).values(), 1, 1, mid[0], filters));
        if (bias) {
            p.put("bias", weight(name, "bias", filters).values());
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
        float[] kernel = weight(name, "kernel", in[0], units).values();
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
            p.put("bias", weight(name, "bias", units).values());
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
        float[] gamma = c.path("scale").asBoolean(true) ? weight(name, "gamma", ch).values() : filled(ch, 1f);
        float[] beta = c.path("center").asBoolean(true) ? weight(name, "beta", ch).values() : filled(ch, 0f);
        float[] mean = weight(name, "moving_mean", ch).values();
        float[] var = weight(name, "moving_variance", ch).values();
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
        // Fold: the normalised output is w' * x + b' with w' = w * g/sqrt(v+eps), b' = (b-mean) * g/sqrt(v+eps) + beta.
        Map<String, float[]> p = params.get(x);
        float[] w = p.get("weight");
        float[] b = p.containsKey("bias") ? p.get("bias") : new float[ch];
        int per = w.length / ch;
        float[] nb = new float[ch];
        for (int o = 0; o < ch; o++) {
            double f = gamma[o] / Math.sqrt(var[o] + eps);
            for (int i = 0; i < per; i++) {
                w[o * per + i] = (float) (w[o * per + i] * f);
            }
            nb[o] = (float) ((b[o] - mean[o]) * f + beta[o]);
        }
        p.put("bias", nb);
        prev.put("bias", true);
        folded++;
        return x;
    }

    private int zeroPad(String name, JsonNode c, int x) {
        int[] in = chw(name, x);
        JsonNode p = c.path("padding");
        int[] pads;
        if (p.isInt()) {
            pads = new int[] {p.asInt(), p.asInt(), p.asInt(), p.asInt()};
        } else if (p.get(0).isInt()) {
            pads = new int[] {p.get(0).asInt(), p.get(0).asInt(), p.get(1).asInt(), p.get(1).asInt()};
        } else {
            pads = new int[] {p.get(0).get(0).asInt(), p.get(0).get(1).asInt(), p.get(1).get(0).asInt(),
                p.get(1).get(1).asInt()};
        }
        return node(name, "pad", List.of(x), new int[] {in[0], in[1] + pads[0] + pads[1], in[2] + pads[2] + pads[3]},
                Map.of("pads", List.of(pads[0], pads[1], pads[2], pads[3])));
    }

    private int pool(String name, JsonNode c, int x, String op) {
        int[] in = chw(name, x);
        int[] k = pair(c.path("pool_size"));
        int[] s = c.path("strides").isNull() || c.path("strides").isMissingNode() ? k : pair(c.path("strides"));
        int[] pads = pads(name, c.path("padding").asText("valid"), in, k, s, new int[] {1, 1});
        if (pads[0] != pads[1] || pads[2] != pads[3]) {
            throw new UnsupportedLayerException("layer " + name + " (" + op + ") needs asymmetric 'same' padding "
                    + java.util.Arrays.toString(pads) + ", which is not supported for pooling");
        }
        int[] out = {in[0], outSize(in[1], k[0], s[0], 1, pads[0] + pads[1]), outSize(in[2], k[1], s[1], 1, pads[2] + pads[3])};
        Map<String, Object> keys = new LinkedHashMap<>(); // a fixed order: graph.json is reproducible
        keys.put("pool", List.of(k[0], k[1]));
        keys.put("strides", List.of(s[0], s[1]));
        keys.put("pads", List.of(pads[0], pads[1], pads[2], pads[3]));
        return node(name, op, List.of(x), out, keys);
    }

    private int concat(String name, JsonNode c, List<Integer> in) {
        int rank = shapes.get(in.get(0)).length;
        int axis = c.path("axis").asInt(-1);
        int channelsLast = axis < 0 ? rank + axis + 1 : axis; // 1-based position of the axis after the batch
        if (channelsLast != rank) {
            throw new UnsupportedLayerException("layer " + name + " (Concatenate) on axis " + axis
                    + "; only the channel axis is supported");
        }
        int[] out = shapes.get(in.get(0)).clone();
        out[0] = 0;
        for (int i : in) {
            out[0] += shapes.get(i)[0];
        }
        return node(name, "concat", in, out, Map.of("axis", 1));
    }

    private int reshape(String name, JsonNode c, int x) {
        JsonNode t = c.path("target_shape");
        int[] target = new int[t.size()];
        for (int i = 0; i < target.length; i++) {
            target[i] = t.get(i).asInt();
        }
        if (size(target) != size(shapes.get(x)) || (target.length != 1 && target.length != 3)) {
            throw new UnsupportedLayerException("layer " + name + " (Reshape) to " + t + " is not supported");
        }
        int[] out = target.length == 3 ? new int[] {target[2], target[0], target[1]} : target;
        List<Integer> tl = new ArrayList<>();
        for (int v : target) {
            tl.add(v);
        }
        return node(name, "reshape", List.of(x), out, Map.of("target", tl));
    }

    private Weight weight(String layer, String what, int... shape) {
        String key = layer + "/" + what;
        Weight w = weights.get(key);
        if (w == null) {
            // Some converters prefix the model's name: match on the layer/weight suffix.
            w = weights.values().stream().filter(v -> v.name().endsWith("/" + key)).findFirst().orElse(null);
        }
        if (w == null) {
            throw new IllegalArgumentException("layer " + layer + " needs weight " + key + ", which the manifest lacks");
        }
        if (!java.util.Arrays.equals(w.shape(), shape)) {
            throw new IllegalArgumentException("weight " + w.name() + " has shape " + java.util.Arrays.toString(w.shape())
                    + "; layer " + layer + " needs " + java.util.Arrays.toString(shape));
        }
        used.add(w.name());
        return w;
    }

    private int[] chw(String name, int x) {
        int[] s = shapes.get(x);
        if (s.length != 3) {
            throw new UnsupportedLayerException("layer " + name + " needs an image (H, W, C) input, got " + s.length + "-D");
        }
        return s;
    }


}
