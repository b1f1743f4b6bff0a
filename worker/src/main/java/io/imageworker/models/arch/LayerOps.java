package io.imageworker.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The ops of a {@link LayerGraph}: each node's spec (its op and keys, see the graph's class comment)
 * made into a DJL block, the activations, and the NCHW operators Keras layers need that DJL has no
 * block for (asymmetric zero padding, channels-last flatten and reshape).
 */
final class LayerOps {

    private LayerOps() {
    }

    /**
     * The DJL block of one node, from its op and keys; {@code null} for the ops that are no block
     * (input, identity, activation: the graph applies the activation itself).
     *
     * @throws IllegalArgumentException for an unknown op, a key missing, or pooling with asymmetric padding
     */
    static Block block(String op, Map<String, Object> n, String name) {
        return switch (op) {
            case "input", "identity", "activation" -> null;
            case "conv2d" -> {
                int[] k = ints(n, "kernel", null);
                int[] pads = ints(n, "pads", new int[4]);
                Conv2d conv = Conv2d.builder().setFilters(integer(n, "filters")).setKernelShape(new Shape(k[0], k[1]))
                        .optStride(shape(ints(n, "strides", new int[] {1, 1})))
                        .optDilation(shape(ints(n, "dilation", new int[] {1, 1})))
                        .optPadding(symmetric(pads) ? new Shape(pads[0], pads[2]) : new Shape(0, 0))
                        .optGroups((int) ((Number) n.getOrDefault("groups", 1)).intValue())
                        .optBias(Boolean.TRUE.equals(n.get("bias"))).build();
                if (symmetric(pads)) {
                    yield conv;
                }
                // TensorFlow's "same" at stride 2 pads one more at the bottom and right than at the top
                // and left: pad explicitly, then convolve with none.
                yield new PaddedConv(pads, conv);
            }
            case "dense" -> Linear.builder().setUnits(integer(n, "units")).optBias(Boolean.TRUE.equals(n.get("bias")))
                    .build();
            case "batchnorm" -> BatchNorm.builder().optAxis(1)
                    .optEpsilon(((Number) n.getOrDefault("epsilon", 1e-3)).floatValue()).build();
            case "pad" -> {
                int[] pads = ints(n, "pads", null);
                yield LambdaBlock.singleton(x -> pad(x, pads), "pad");
            }
            case "maxpool", "avgpool" -> {
                int[] pads = ints(n, "pads", new int[4]);
                if (!symmetric(pads)) {
                    throw new IllegalArgumentException("node " + name + ": " + op
                            + " with asymmetric padding " + java.util.Arrays.toString(pads) + " is not supported");
                }
                Shape pool = shape(ints(n, "pool", null));
                Shape strides = shape(ints(n, "strides", ints(n, "pool", null)));
                Shape pad = new Shape(pads[0], pads[2]);
                yield "maxpool".equals(op) ? Pool.maxPool2dBlock(pool, strides, pad, false)
                        : Pool.avgPool2dBlock(pool, strides, pad, false, false);
            }
            case "globalavgpool" -> Pool.globalAvgPool2dBlock();
            case "globalmaxpool" -> Pool.globalMaxPool2dBlock();
            case "add" -> new LambdaBlock(list -> {
                NDArray sum = list.get(0);
                for (int i = 1; i < list.size(); i++) {
                    sum = sum.add(list.get(i));
                }
                return new NDList(sum);
            }, "add");
            case "concat" -> {
                int axis = integer(n, "axis");
                yield new LambdaBlock(list -> new NDList(NDArrays.concat(list, axis)), "concat");
            }
            case "flatten" -> LambdaBlock.singleton(LayerOps::channelsLastFlat, "flatten");
            case "reshape" -> {
                int[] target = ints(n, "target", null);
                yield LambdaBlock.singleton(x -> reshape(x, target), "reshape");
            }
            default -> throw new IllegalArgumentException("node " + name + " has unknown op '" + op + "'; known: " + LayerGraph.OPS);
        };
    }

    /** A convolution after an explicit, possibly asymmetric, zero padding. */
    static final class PaddedConv extends AbstractBlock {

        private final int[] pads;
        private final Conv2d conv;

        PaddedConv(int[] pads, Conv2d conv) {
            super(LayerGraph.VERSION);
            this.pads = pads.clone();
            this.conv = addChildBlock("conv", conv);
        }

        /** The convolution, which holds the parameters. */
        Conv2d conv() {
            return conv;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return conv.forward(store, new NDList(pad(inputs.singletonOrThrow(), pads)), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return conv.getOutputShapes(new Shape[] {padded(inputShapes[0], pads)});
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            conv.initialize(manager, dataType, padded(inputShapes[0], pads));
        }
    }

    private static Shape padded(Shape s, int[] pads) {
        return new Shape(s.get(0), s.get(1), s.get(2) + pads[0] + pads[1], s.get(3) + pads[2] + pads[3]);
    }

    /** Zero padding of an (N, C, H, W) array: {@code pads} top, bottom, left, right. */
    static NDArray pad(NDArray x, int[] pads) {
        // Zeros concatenated on each side: plain operators that every engine has.
        Shape s = x.getShape();
        NDArray y = x;
        if (pads[0] > 0 || pads[1] > 0) {
            NDList parts = new NDList();
            if (pads[0] > 0) {
                parts.add(x.getManager().zeros(new Shape(s.get(0), s.get(1), pads[0], s.get(3)), x.getDataType()));
            }
            parts.add(y);
            if (pads[1] > 0) {
                parts.add(x.getManager().zeros(new Shape(s.get(0), s.get(1), pads[1], s.get(3)), x.getDataType()));
            }
            y = NDArrays.concat(parts, 2);
        }
        if (pads[2] > 0 || pads[3] > 0) {
            long h = y.getShape().get(2);
            NDList parts = new NDList();
            if (pads[2] > 0) {
                parts.add(x.getManager().zeros(new Shape(s.get(0), s.get(1), h, pads[2]), x.getDataType()));
            }
            parts.add(y);
            if (pads[3] > 0) {
                parts.add(x.getManager().zeros(new Shape(s.get(0), s.get(1), h, pads[3]), x.getDataType()));
            }
            y = NDArrays.concat(parts, 3);
        }
        return y;
    }

    /** (N, C, H, W) to (N, H*W*C) in channels-last order; 2-D inputs pass through. */
    static NDArray channelsLastFlat(NDArray x) {
        NDArray nhwc = x.getShape().dimension() == 4 ? x.transpose(0, 2, 3, 1) : x;
        return nhwc.reshape(x.getShape().get(0), -1);
    }

    /** Keras's Reshape: to {@code target} in channels-last order, back to NCHW when 3-D. */
    static NDArray reshape(NDArray x, int[] target) {
        long[] dims = new long[target.length + 1];
        dims[0] = x.getShape().get(0);
        for (int i = 0; i < target.length; i++) {
            dims[i + 1] = target[i];
        }
        NDArray y = channelsLastFlat(x).reshape(new Shape(dims));
        return target.length == 3 ? y.transpose(0, 3, 1, 2) : y;
    }

    /** The activation called {@code name} (see {@link LayerGraph#ACTIVATIONS}). */
    static Function<NDArray, NDArray> activation(String name) {
        if (name.startsWith("leaky-relu:")) {
            float alpha = Float.parseFloat(name.substring("leaky-relu:".length()));
            return x -> Activation.leakyRelu(x, alpha);
        }
        return switch (name) {
            case "linear" -> x -> x;
            case "relu" -> Activation::relu;
            case "relu6" -> x -> x.clip(0, 6);
            case "sigmoid" -> Activation::sigmoid;
            case "tanh" -> Activation::tanh;
            case "softmax" -> x -> x.softmax(x.getShape().dimension() == 4 ? 1 : -1);
            case "elu" -> x -> Activation.elu(x, 1f);
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'; known: " + LayerGraph.ACTIVATIONS);
        };
    }

    private static boolean symmetric(int[] pads) {
        return pads[0] == pads[1] && pads[2] == pads[3];
    }

    private static Shape shape(int[] v) {
        return new Shape(v[0], v[1]);
    }

    private static int integer(Map<String, Object> n, String key) {
        Object v = n.get(key);
        if (!(v instanceof Number num)) {
            throw new IllegalArgumentException("node " + n.get("name") + " (" + n.get("op") + ") needs '" + key + "'");
        }
        return num.intValue();
    }

    /** Key {@code key} of node spec {@code n} as ints; {@code fallback} when absent (required when null). */
    static int[] ints(Map<String, Object> n, String key, int[] fallback) {
        Object v = n.get(key);
        if (v == null) {
            if (fallback == null) {
                throw new IllegalArgumentException("node " + n.get("name") + " (" + n.get("op") + ") needs '" + key + "'");
            }
            return fallback;
        }
        if (v instanceof int[] a) {
            return a;
        }
        return ((List<?>) v).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }
}
