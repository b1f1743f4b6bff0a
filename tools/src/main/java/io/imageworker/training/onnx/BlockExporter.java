package io.imageworker.training.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.nn.convolutional.Deconvolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import io.imageworker.models.arch.CamHead;
import io.imageworker.models.arch.Join;
import io.imageworker.models.arch.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a DJL block tree with its trained parameters as ONNX nodes (inference mode: batch norm with
 * its running statistics, dropout as identity). It knows the blocks the project's own networks are
 * made of ({@code models/arch}): sequences, {@link Join}s (sum, channel concat, DeconvNet's unpooling
 * as {@code MaxPool} with indices + {@code MaxUnpool}), 2-d convolutions (stride, padding, dilation,
 * groups), transposed convolutions, batch norm, dense layers, {@link Op}s (max pool, nearest
 * upsampling, reshape), DJL's named activations and flatten, and the {@link CamHead}. Anything else
 * is refused by name and path, never guessed.
 */
final class BlockExporter {

    private final OnnxGraph graph;

    BlockExporter(OnnxGraph graph) {
        this.graph = graph;
    }

    /**
     * The outputs of {@code block} applied to the values {@code in}.
     *
     * @throws UnsupportedBlockException naming the first block (and its path) that has no ONNX form here
     */
    List<String> walk(Block block, List<String> in, String path) {
        if (block instanceof SequentialBlock seq) {
            List<String> h = in;
            var children = seq.getChildren();
            for (int i = 0; i < children.size(); i++) {
                h = walk(children.get(i).getValue(), h, path + "/" + children.get(i).getKey());
            }
            return h;
        }
        if (block instanceof Join join) {
            return join(join, single(in, path), path);
        }
        if (block instanceof CamHead head) {
            return camHead(head, single(in, path));
        }
        String x = single(in, path);
        if (block instanceof Conv2d conv) {
            return List.of(conv(conv, x));
        }
        if (block instanceof Conv2dTranspose deconv) {
            return List.of(deconv(deconv, x, path));
        }
        if (block instanceof BatchNorm bn) {
            return List.of(batchNorm(bn, x, path));
        }
        if (block instanceof Linear linear) {
            return List.of(gemm(linear, x));
        }
        if (block instanceof Dropout) {
            return List.of(x); // inference: identity
        }
        if (block instanceof Op op) {
            return List.of(op(op, x));
        }
        if (block instanceof LambdaBlock lambda) {
            return List.of(lambda(lambda, x, path));
        }
        if (block instanceof ParallelBlock) {
            throw new UnsupportedBlockException(path, block, "a ParallelBlock's join function is opaque: build it as a models.arch.Join");
        }
        throw new UnsupportedBlockException(path, block, "no ONNX form for this block");
    }

    private List<String> join(Join join, String x, String path) {
        List<Block> branches = join.getChildren().values();
        if (join.kind() == Join.Kind.UNPOOL) {
            return List.of(unpool(branches, x, path));
        }
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < branches.size(); i++) {
            outs.add(single(walk(branches.get(i), List.of(x), path + "/" + i), path + "/" + i));
        }
        if (join.kind() == Join.Kind.CONCAT) {
            return List.of(graph.node("Concat", outs, Map.of("axis", 1L)));
        }
        String total = outs.get(0);
        for (int i = 1; i < outs.size(); i++) {
            total = graph.node("Add", List.of(total, outs.get(i)), Map.of());
        }
        return List.of(total);
    }

    /** Branch 0 is the encoder (identity), branch 1 a sequence starting with the max pool whose switches are followed. */
    private String unpool(List<Block> branches, String x, String path) {
        if (branches.size() != 2 || !(branches.get(1) instanceof SequentialBlock pooled)
                || !(pooled.getChildren().get(0).getValue() instanceof Op pool) || !Op.MAX_POOL.equals(pool.type())
                || !(branches.get(0) instanceof LambdaBlock id && "identity".equals(id.getName()))) {
            throw new UnsupportedBlockException(path, branches.get(0), "an unpooling join needs (identity, [max pool, ...])");
        }
        Map<String, Object> window = Map.of("kernel_shape", longs(pool.attributes().get("kernel_shape")),
                "strides", longs(pool.attributes().get("strides")));
        // ONNX Runtime's MaxPool keeps the first maximum of a window in row-major order, as Unpooling does.
        List<String> poolOut = graph.node("MaxPool", List.of(x), 2, window);
        List<String> h = List.of(poolOut.get(0));
        var rest = pooled.getChildren();
        for (int i = 1; i < rest.size(); i++) {
            h = walk(rest.get(i).getValue(), h, path + "/1/" + rest.get(i).getKey());
        }
        String shape = graph.node("Shape", List.of(x), Map.of());
        return graph.node("MaxUnpool", List.of(single(h, path), poolOut.get(1), shape), window);
    }

    private List<String> camHead(CamHead head, String features) {
        Linear dense = head.dense();
        NDArray w = param(dense, "weight");
        String pooled = graph.node("GlobalAveragePool", List.of(features), Map.of());
        String flat = graph.node("Flatten", List.of(pooled), Map.of("axis", 1L));
        String logits = gemm(dense, flat);
        // M_c = sum_k w_ck f_k: the dense weight as a 1x1 convolution without bias.
        long[] s = w.getShape().getShape();
        String kernel = graph.floats("cam_weight", w.toFloatArray(), s[0], s[1], 1, 1);
        String maps = graph.node("Conv", List.of(features, kernel), Map.of("kernel_shape", new long[] {1, 1}));
        return List.of(logits, maps);
    }

    private String conv(Conv2d conv, String x) {
        List<String> in = new ArrayList<>(List.of(x, weight(conv, "conv_w")));
        if (conv.isIncludeBias()) {
            in.add(weight(conv, "bias", "conv_b"));
        }
        long[] p = conv.getPadding().getShape();
        return graph.node("Conv", in, Map.of("kernel_shape", conv.getKernelShape().getShape(),
                "strides", conv.getStride().getShape(), "pads", new long[] {p[0], p[1], p[0], p[1]},
                "dilations", conv.getDilation().getShape(), "group", (long) conv.getGroups()));
    }

    private String deconv(Conv2dTranspose deconv, String x, String path) {
        // DJL keeps these protected without getters; MXNet's weight layout (in, out / groups, kH, kW) is ONNX's.
        Shape kernel = Fields.read(Deconvolution.class, deconv, "kernelShape");
        long[] p = Fields.<Shape>read(Deconvolution.class, deconv, "padding").getShape();
        Shape outPad = Fields.read(Deconvolution.class, deconv, "outPadding");
        List<String> in = new ArrayList<>(List.of(x, weight(deconv, "deconv_w")));
        if (Fields.<Boolean>read(Deconvolution.class, deconv, "includeBias")) {
            in.add(weight(deconv, "bias", "deconv_b"));
        }
        return graph.node("ConvTranspose", in, Map.of("kernel_shape", kernel.getShape(),
                "strides", Fields.<Shape>read(Deconvolution.class, deconv, "stride").getShape(),
                "pads", new long[] {p[0], p[1], p[0], p[1]},
                "dilations", Fields.<Shape>read(Deconvolution.class, deconv, "dilation").getShape(),
                "output_padding", outPad.getShape(),
                "group", (long) Fields.<Integer>read(Deconvolution.class, deconv, "groups")));
    }

    private String batchNorm(BatchNorm bn, String x, String path) {
        if (Fields.<Integer>read(BatchNorm.class, bn, "axis") != 1) {
            throw new UnsupportedBlockException(path, bn, "batch norm on an axis other than 1 (channels)");
        }
        float epsilon = Fields.read(BatchNorm.class, bn, "epsilon");
        boolean scale = Fields.read(BatchNorm.class, bn, "scale");
        boolean center = Fields.read(BatchNorm.class, bn, "center");
        float[] mean = param(bn, "runningMean").toFloatArray();
        float[] gamma = scale ? param(bn, "gamma").toFloatArray() : filled(mean.length, 1);
        float[] beta = center ? param(bn, "beta").toFloatArray() : filled(mean.length, 0);
        long c = mean.length;
        return graph.node("BatchNormalization", List.of(x, graph.floats("bn_gamma", gamma, c), graph.floats("bn_beta", beta, c),
                graph.floats("bn_mean", mean, c), graph.floats("bn_var", param(bn, "runningVar").toFloatArray(), c)),
                Map.of("epsilon", epsilon));
    }

    private String gemm(Linear linear, String x) {
        List<String> in = new ArrayList<>(List.of(x, weight(linear, "dense_w")));
        if (linear.getParameters().contains("bias")) {
            in.add(weight(linear, "bias", "dense_b"));
        }
        return graph.node("Gemm", in, Map.of("transB", 1L));
    }

    private String op(Op op, String x) {
        Map<String, List<Long>> a = op.attributes();
        return switch (op.type()) {
            case Op.MAX_POOL -> graph.node("MaxPool", List.of(x),
                    Map.of("kernel_shape", longs(a.get("kernel_shape")), "strides", longs(a.get("strides"))));
            case Op.UPSAMPLE -> {
                float s = a.get("scale").get(0);
                // DJL's repeat on H and W is nearest-neighbour with floor(asymmetric coordinates).
                String scales = graph.floats("scales", new float[] {1, 1, s, s}, 4);
                yield graph.node("Resize", List.of(x, "", scales), Map.of("mode", "nearest",
                        "coordinate_transformation_mode", "asymmetric", "nearest_mode", "floor"));
            }
            case Op.RESHAPE -> graph.node("Reshape", List.of(x, graph.longs("shape", longs(a.get("shape")))), Map.of());
            default -> throw new UnsupportedBlockException("", op, "unknown op type " + op.type());
        };
    }

    private String lambda(LambdaBlock lambda, String x, String path) {
        return switch (lambda.getName()) {
            case "ReLU" -> graph.node("Relu", List.of(x), Map.of());
            case "Tanh" -> graph.node("Tanh", List.of(x), Map.of());
            case "sigmoid" -> graph.node("Sigmoid", List.of(x), Map.of());
            case "batchFlatten" -> graph.node("Flatten", List.of(x), Map.of("axis", 1L));
            case "identity" -> x;
            default -> throw new UnsupportedBlockException(path, lambda, "a LambdaBlock named '" + lambda.getName()
                    + "' is opaque: use a named block (Activation.reluBlock(), models.arch.Op)");
        };
    }

    private String weight(Block block, String hint) {
        return weight(block, "weight", hint);
    }

    private String weight(Block block, String name, String hint) {
        NDArray a = param(block, name);
        return graph.floats(hint, a.toFloatArray(), a.getShape().getShape());
    }

    private static NDArray param(Block block, String name) {
        Parameter p = block.getParameters().get(name);
        if (p == null || !p.isInitialized()) {
            throw new IllegalStateException(block.getClass().getSimpleName() + " has no loaded parameter '" + name + "'");
        }
        return p.getArray();
    }

    private static String single(List<String> values, String path) {
        if (values.size() != 1) {
            throw new IllegalStateException("block at " + path + " takes one input, got " + values.size());
        }
        return values.get(0);
    }

    private static long[] longs(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }
}
