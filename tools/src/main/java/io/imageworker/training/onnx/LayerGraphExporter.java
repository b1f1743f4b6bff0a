package io.imageworker.training.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import io.imageworker.models.arch.LayerGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link LayerGraph} (the imported TF.js layers models: nsfwjs' MobileNetV2, face-api's
 * nets) as ONNX nodes, node by node from its spec, with each node's loaded parameters. The graph is
 * NCHW as LayerGraph runs it; TensorFlow's asymmetric "same" padding becomes ONNX's own asymmetric
 * {@code pads}; {@code flatten} and {@code reshape} keep LayerGraph's channels-last order
 * ({@code Transpose} first). Unknown ops or activations are refused by node name.
 */
final class LayerGraphExporter {

    private final OnnxGraph graph;
    private final LayerGraph net;

    LayerGraphExporter(OnnxGraph graph, LayerGraph net) {
        this.graph = graph;
        this.net = net;
    }

    /** The output of the graph's last node, its input being {@code input} (N, C, H, W). */
    String walk(String input) {
        List<Map<String, Object>> spec = net.spec();
        String[] out = new String[spec.size()];
        int[] rank = new int[spec.size()];
        out[0] = input;
        rank[0] = 4;
        for (int i = 1; i < spec.size(); i++) {
            Map<String, Object> n = spec.get(i);
            String op = String.valueOf(n.get("op"));
            int[] in = ints(n, "inputs", new int[0]);
            List<String> ins = new ArrayList<>();
            for (int j : in) {
                ins.add(out[j]);
            }
            String x = ins.isEmpty() ? null : ins.get(0);
            int r = in.length == 0 ? 4 : rank[in[0]];
            String y;
            switch (op) {
                case "identity", "activation" -> y = x;
                case "conv2d" -> y = conv(n, (Conv2d) net.parameterBlock(i), x);
                case "dense" -> {
                    List<String> args = new ArrayList<>(List.of(x, param(net.parameterBlock(i), "weight", "dense_w")));
                    if (Boolean.TRUE.equals(n.get("bias"))) {
                        args.add(param(net.parameterBlock(i), "bias", "dense_b"));
                    }
                    y = graph.node("Gemm", args, Map.of("transB", 1L));
                }
                case "batchnorm" -> y = batchNorm((BatchNorm) net.parameterBlock(i), x);
                case "pad" -> {
                    int[] p = ints(n, "pads", null);
                    y = graph.node("Pad", List.of(x, graph.longs("pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3])),
                            Map.of("mode", "constant"));
                }
                case "maxpool", "avgpool" -> {
                    int[] pool = ints(n, "pool", null);
                    int[] strides = ints(n, "strides", pool);
                    int[] p = ints(n, "pads", new int[4]);
                    Map<String, Object> a = new java.util.HashMap<>(Map.of("kernel_shape", longs(pool), "strides", longs(strides),
                            "pads", new long[] {p[0], p[2], p[1], p[3]}));
                    if (op.equals("avgpool")) {
                        a.put("count_include_pad", 0L); // TensorFlow leaves padding out of the average
                    }
                    y = graph.node(op.equals("maxpool") ? "MaxPool" : "AveragePool", List.of(x), a);
                }
                case "globalavgpool", "globalmaxpool" -> {
                    String pooled = graph.node(op.equals("globalavgpool") ? "GlobalAveragePool" : "GlobalMaxPool", List.of(x), Map.of());
                    y = graph.node("Flatten", List.of(pooled), Map.of("axis", 1L));
                    r = 2;
                }
                case "add" -> {
                    y = ins.get(0);
                    for (int k = 1; k < ins.size(); k++) {
                        y = graph.node("Add", List.of(y, ins.get(k)), Map.of());
                    }
                }
                case "concat" -> y = graph.node("Concat", ins, Map.of("axis", (long) ints(n, "axis", null)[0]));
                case "flatten" -> {
                    y = graph.node("Flatten", List.of(channelsLast(x, r)), Map.of("axis", 1L));
                    r = 2;
                }
                case "reshape" -> {
                    int[] target = ints(n, "target", null);
                    long[] dims = new long[target.length + 1]; // 0: keep the batch
                    for (int k = 0; k < target.length; k++) {
                        dims[k + 1] = target[k];
                    }
                    String flat = graph.node("Flatten", List.of(channelsLast(x, r)), Map.of("axis", 1L));
                    y = graph.node("Reshape", List.of(flat, graph.longs("shape", dims)), Map.of());
                    if (target.length == 3) {
                        y = graph.node("Transpose", List.of(y), Map.of("perm", new long[] {0, 3, 1, 2}));
                    }
                    r = target.length + 1;
                }
                default -> throw new UnsupportedBlockException("node " + i + " " + n.get("name"), net,
                        "layer-graph op '" + op + "' has no ONNX form here");
            }
            if (op.equals("dense")) {
                r = 2;
            }
            out[i] = activation(String.valueOf(n.getOrDefault("activation", "linear")), y, r, i, n);
            rank[i] = r;
        }
        return out[spec.size() - 1];
    }

    private String conv(Map<String, Object> n, Conv2d conv, String x) {
        int[] p = ints(n, "pads", new int[4]);
        List<String> args = new ArrayList<>(List.of(x, param(conv, "weight", "conv_w")));
        if (Boolean.TRUE.equals(n.get("bias"))) {
            args.add(param(conv, "bias", "conv_b"));
        }
        return graph.node("Conv", args, Map.of("kernel_shape", longs(ints(n, "kernel", null)),
                "strides", longs(ints(n, "strides", new int[] {1, 1})), "dilations", longs(ints(n, "dilation", new int[] {1, 1})),
                "pads", new long[] {p[0], p[2], p[1], p[3]}, "group", (long) ints(n, "groups", new int[] {1})[0]));
    }

    private String batchNorm(BatchNorm bn, String x) {
        float epsilon = Fields.read(BatchNorm.class, bn, "epsilon");
        List<String> args = new ArrayList<>(List.of(x));
        for (String p : List.of("gamma", "beta", "runningMean", "runningVar")) {
            args.add(param(bn, p, "bn_" + p));
        }
        return graph.node("BatchNormalization", args, Map.of("epsilon", epsilon));
    }

    private String activation(String name, String x, int rank, int i, Map<String, Object> n) {
        if (name.startsWith("leaky-relu:")) {
            return graph.node("LeakyRelu", List.of(x), Map.of("alpha", Float.parseFloat(name.substring("leaky-relu:".length()))));
        }
        return switch (name) {
            case "linear" -> x;
            case "relu" -> graph.node("Relu", List.of(x), Map.of());
            case "relu6" -> graph.node("Clip", List.of(x, graph.floats("zero", new float[] {0}), graph.floats("six", new float[] {6})), Map.of());
            case "sigmoid" -> graph.node("Sigmoid", List.of(x), Map.of());
            case "tanh" -> graph.node("Tanh", List.of(x), Map.of());
            case "softmax" -> graph.node("Softmax", List.of(x), Map.of("axis", rank == 4 ? 1L : -1L));
            case "elu" -> graph.node("Elu", List.of(x), Map.of("alpha", 1f));
            default -> throw new UnsupportedBlockException("node " + i + " " + n.get("name"), net, "activation '" + name + "'");
        };
    }

    private String channelsLast(String x, int rank) {
        return rank == 4 ? graph.node("Transpose", List.of(x), Map.of("perm", new long[] {0, 2, 3, 1})) : x;
    }

    private String param(Block block, String name, String hint) {
        NDArray a = block.getParameters().get(name).getArray();
        return graph.floats(hint, a.toFloatArray(), a.getShape().getShape());
    }

    private static long[] longs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** Key {@code key} of a node as ints (a number or a list); {@code fallback} when absent (required when null). */
    private static int[] ints(Map<String, Object> n, String key, int[] fallback) {
        Object v = n.get(key);
        if (v == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("node " + n.get("name") + " (" + n.get("op") + ") needs '" + key + "'");
            }
            return fallback;
        }
        if (v instanceof Number num) {
            return new int[] {num.intValue()};
        }
        if (v instanceof int[] a) {
            return a;
        }
        return ((List<?>) v).stream().mapToInt(e -> ((Number) e).intValue()).toArray();
    }
}
