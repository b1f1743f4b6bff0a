package io.imageworker.training.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.imageworker.models.graph.TfGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link TfGraph} (an imported TF.js graph model: nanodet) as ONNX nodes, op for op, with
 * its constants as initializers. TensorFlow's NHWC convolutions, pooling and bilinear resizing are
 * written as ONNX's NCHW ones between two {@code Transpose}s (ONNX Runtime's optimizer folds the
 * pairs); {@code SAME} padding is computed from the shapes the graph itself reports
 * ({@link TfGraph#nodeShapes}), as are the groups of depthwise convolutions.
 */
final class TfGraphExporter {

    private static final long[] TO_NCHW = {0, 3, 1, 2};
    private static final long[] TO_NHWC = {0, 2, 3, 1};

    private final OnnxGraph graph;
    private final TfGraph net;

    TfGraphExporter(OnnxGraph graph, TfGraph net) {
        this.graph = graph;
        this.net = net;
    }

    /** The graph's outputs (in {@link TfGraph#outputNames} order), its Placeholder being {@code input}. */
    List<String> walk(String input, Shape inputShape) {
        Shape[][] shapes = net.nodeShapes(inputShape);
        Map<String, Integer> index = new HashMap<>();
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < net.size(); i++) {
            Map<String, Object> n = net.node(i);
            String name = String.valueOf(n.get("name"));
            index.put(name, i);
            @SuppressWarnings("unchecked")
            List<Object> refs = (List<Object>) n.getOrDefault("inputs", List.of());
            List<String> in = new ArrayList<>();
            List<Shape> inShapes = new ArrayList<>();
            for (Object r : refs) {
                int[] at = reference(String.valueOf(r), index);
                in.add(out.get(at[0]).get(at[1]));
                inShapes.add(shapes[at[0]][at[1]]);
            }
            out.add(node(i, n, in, inShapes, shapes[i], input));
        }
        List<String> result = new ArrayList<>();
        for (String o : net.outputNames()) {
            int[] at = reference(o, index);
            result.add(out.get(at[0]).get(at[1]));
        }
        return result;
    }

    private List<String> node(int i, Map<String, Object> n, List<String> in, List<Shape> inShapes, Shape[] outShapes,
            String input) {
        String op = String.valueOf(n.get("op"));
        String x = in.isEmpty() ? null : in.get(0);
        boolean nhwc = !"NCHW".equals(n.get("dataFormat"));
        return switch (op) {
            case "Placeholder" -> List.of(input);
            case "Const" -> {
                NDArray c = net.constant(i);
                yield List.of(graph.floats("const", c.toFloatArray(), c.getShape().getShape()));
            }
            case "Conv2D" -> {
                Shape xs = nchw(inShapes.get(0), nhwc);
                long[] f = inShapes.get(1).getShape();
                long[] strides = longs(n.get("strides"));
                long[] dilations = longs(n.get("dilations"));
                long[] pads = pads(String.valueOf(n.get("padding")), n.get("pads"), xs, f[2], f[3], strides, dilations);
                String y = graph.node("Conv", List.of(toNchw(x, nhwc), in.get(1)), Map.of("kernel_shape", new long[] {f[2], f[3]},
                        "strides", strides, "dilations", dilations, "pads", pads, "group", xs.get(1) / f[1]));
                yield List.of(toNhwc(y, nhwc));
            }
            case "MaxPool" -> {
                Shape xs = nchw(inShapes.get(0), nhwc);
                long[] k = longs(n.get("ksize"));
                long[] strides = longs(n.get("strides"));
                long[] pads = pads(String.valueOf(n.get("padding")), null, xs, k[0], k[1], strides, new long[] {1, 1});
                String y = graph.node("MaxPool", List.of(toNchw(x, nhwc)), Map.of("kernel_shape", k, "strides", strides, "pads", pads));
                yield List.of(toNhwc(y, nhwc));
            }
            case "Pad" -> {
                List<?> pairs = (List<?>) n.get("paddings");
                long[] p = new long[2 * pairs.size()];
                for (int a = 0; a < pairs.size(); a++) {
                    long[] ba = longs(pairs.get(a));
                    p[a] = ba[0];
                    p[a + pairs.size()] = ba[1];
                }
                Object v = n.getOrDefault("value", 0);
                float value = v instanceof Number num ? num.floatValue() : Float.parseFloat(String.valueOf(v));
                yield List.of(graph.node("Pad", List.of(x, graph.longs("pads", p), graph.floats("pad_value", new float[] {value})),
                        Map.of("mode", "constant")));
            }
            case "Transpose" -> List.of(graph.node("Transpose", List.of(x), Map.of("perm", longs(n.get("perm")))));
            case "Reshape" -> List.of(graph.node("Reshape", List.of(x, graph.longs("shape", longs(n.get("shape")))), Map.of()));
            case "ConcatV2" -> List.of(graph.node("Concat", in, Map.of("axis", ((Number) n.get("axis")).longValue())));
            case "SplitV" -> {
                long[] sizes = new long[outShapes.length];
                int axis = ((Number) n.get("axis")).intValue();
                for (int k = 0; k < sizes.length; k++) {
                    sizes[k] = outShapes[k].get(axis < 0 ? axis + outShapes[k].dimension() : axis);
                }
                yield graph.node("Split", List.of(x, graph.longs("split", sizes)), sizes.length, Map.of("axis", (long) axis));
            }
            case "LeakyRelu" -> List.of(graph.node("LeakyRelu", List.of(x), Map.of("alpha", ((Number) n.get("alpha")).floatValue())));
            case "Sigmoid" -> List.of(graph.node("Sigmoid", List.of(x), Map.of()));
            case "Add", "AddV2" -> List.of(graph.node("Add", in, Map.of()));
            case "Identity" -> List.of(x);
            case "ResizeBilinear" -> {
                Shape o = nchw(outShapes[0], true); // TensorFlow resizes NHWC
                String mode = Boolean.TRUE.equals(n.get("alignCorners")) ? "align_corners"
                        : Boolean.TRUE.equals(n.get("halfPixelCenters")) ? "half_pixel" : "asymmetric";
                String y = graph.node("Resize", List.of(toNchw(x, true), "", "", graph.longs("sizes", o.getShape())),
                        Map.of("mode", "linear", "coordinate_transformation_mode", mode));
                yield List.of(toNhwc(y, true));
            }
            default -> throw new UnsupportedBlockException("node " + n.get("name"), net, "tf-graph op '" + op + "' has no ONNX form here");
        };
    }

    /** ONNX pads [top, left, bottom, right] for TensorFlow's padding on an NCHW input of shape {@code xs}. */
    private static long[] pads(String padding, Object explicit, Shape xs, long kh, long kw, long[] strides, long[] dilations) {
        return switch (padding) {
            case "VALID" -> new long[4];
            case "EXPLICIT" -> {
                long[] p = longs(explicit); // t, b, l, r
                yield new long[] {p[0], p[2], p[1], p[3]};
            }
            case "SAME" -> {
                long[] h = same(xs.get(2), kh, strides[0], dilations[0]);
                long[] w = same(xs.get(3), kw, strides[1], dilations[1]);
                yield new long[] {h[0], w[0], h[1], w[1]};
            }
            default -> throw new IllegalArgumentException("padding '" + padding + "'");
        };
    }

    /** TensorFlow's SAME: the total padding split with the odd one after. */
    private static long[] same(long size, long k, long stride, long dilation) {
        long effective = (k - 1) * dilation + 1;
        long out = (size + stride - 1) / stride;
        long total = Math.max(0, (out - 1) * stride + effective - size);
        return new long[] {total / 2, total - total / 2};
    }

    private static Shape nchw(Shape s, boolean nhwc) {
        return nhwc ? new Shape(s.get(0), s.get(3), s.get(1), s.get(2)) : s;
    }

    private String toNchw(String x, boolean nhwc) {
        return nhwc ? graph.node("Transpose", List.of(x), Map.of("perm", TO_NCHW)) : x;
    }

    private String toNhwc(String x, boolean nhwc) {
        return nhwc ? graph.node("Transpose", List.of(x), Map.of("perm", TO_NHWC)) : x;
    }

    private static int[] reference(String ref, Map<String, Integer> index) {
        int colon = ref.lastIndexOf(':');
        boolean numbered = colon > 0 && ref.substring(colon + 1).matches("\\d+");
        String name = numbered ? ref.substring(0, colon) : ref;
        return new int[] {index.get(name), numbered ? Integer.parseInt(ref.substring(colon + 1)) : 0};
    }

    private static long[] longs(Object v) {
        return ((List<?>) v).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }
}
