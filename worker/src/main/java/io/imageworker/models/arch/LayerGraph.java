package io.imageworker.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A network given as a list of layer nodes, each reading the outputs of earlier nodes: the shape
 * of imported models (MobileNet's residual adds, Inception's concatenations) that a chain of
 * blocks cannot express. Every node is a DJL block (convolutions, dense, batch norm, pooling) or an
 * operator (pad, add, concat, flatten, reshape, activation); the graph is data, so a model's
 * {@code graph.json} rebuilds it and its DJL {@code .params} load into it with no importer.
 *
 * <p>Layout: NCHW throughout, the MXNet convention. Padding is explicit per node ({@code pads}:
 * top, bottom, left, right), so TensorFlow's asymmetric "same" padding (the extra row and column go
 * bottom and right) is a pad node or a pad before the convolution. {@code flatten} and
 * {@code reshape} reorder to channels-last first, so dense layers see features in the order the
 * original (NHWC) network had them.
 *
 * <p>Node ops and their keys ({@code inputs}: indices of earlier nodes; node 0 is {@code input}):
 * <ul>
 * <li>{@code input}: {@code shape} [C, H, W]
 * <li>{@code conv2d}: {@code filters}, {@code kernel} [h, w], {@code strides}, {@code dilation},
 *     {@code pads} [t, b, l, r], {@code groups} (= channels for a depthwise convolution),
 *     {@code bias}, {@code activation}; weight (filters, in/groups, h, w)
 * <li>{@code dense}: {@code units}, {@code bias}, {@code activation}; weight (units, in)
 * <li>{@code batchnorm}: {@code epsilon}; gamma, beta, runningMean, runningVar over channels
 * <li>{@code activation}: {@code activation}
 * <li>{@code pad}: {@code pads} [t, b, l, r], zeros
 * <li>{@code maxpool}, {@code avgpool}: {@code pool} [h, w], {@code strides}, {@code pads} [t, b,
 *     l, r] (symmetric only); average pooling leaves padding out of the count, as TensorFlow does
 * <li>{@code globalavgpool}, {@code globalmaxpool}: (N, C, H, W) to (N, C)
 * <li>{@code add}, {@code concat} ({@code axis}, NCHW), {@code flatten}, {@code reshape}
 *     ({@code target}: the channels-last shape without the batch), {@code identity}
 * </ul>
 * Activations: {@code linear}, {@code relu}, {@code relu6}, {@code sigmoid}, {@code tanh},
 * {@code softmax} (over channels), {@code elu}, {@code leaky-relu:ALPHA}.
 */
public final class LayerGraph extends AbstractBlock {

    static final byte VERSION = 1;

    /** The ops this graph knows. */
    public static final List<String> OPS = List.of("input", "conv2d", "dense", "batchnorm", "activation", "pad",
            "maxpool", "avgpool", "globalavgpool", "globalmaxpool", "add", "concat", "flatten", "reshape",
            "identity");

    /** The activations this graph knows ({@code leaky-relu} takes its slope: {@code leaky-relu:0.2}). */
    public static final List<String> ACTIVATIONS = List.of("linear", "relu", "relu6", "sigmoid", "tanh", "softmax",
            "elu", "leaky-relu");

    private final List<Node> nodes = new ArrayList<>();
    private final List<Map<String, Object>> spec;
    /** For each node, the last node that reads its output; the output node's own index for the output. */
    private final int[] lastReader;

    private record Node(String name, String op, int[] inputs, Block block, Function<NDArray, NDArray> activation) {}

    /**
     * A graph of {@code spec}'s nodes.
     *
     * @param spec nodes in order, each a map with {@code name}, {@code op}, {@code inputs} and the
     *     op's keys (see the class comment); node 0 is the {@code input}
     * @throws IllegalArgumentException for an unknown op or activation, a node reading a later
     *     node, or a key missing
     */
    public LayerGraph(List<Map<String, Object>> spec) {
        super(VERSION);
        this.spec = List.copyOf(spec);
        if (spec.isEmpty() || !"input".equals(spec.get(0).get("op"))) {
            throw new IllegalArgumentException("a layer graph starts with its input node");
        }
        for (int i = 0; i < spec.size(); i++) {
            Map<String, Object> n = spec.get(i);
            String op = String.valueOf(n.get("op"));
            String name = String.valueOf(n.getOrDefault("name", op + i));
            int[] in = LayerOps.ints(n, "inputs", new int[0]);
            for (int j : in) {
                if (j < 0 || j >= i) {
                    throw new IllegalArgumentException("node " + i + " (" + name + ") reads node " + j
                            + ", which is not an earlier node");
                }
            }
            Block block = LayerOps.block(op, n, name);
            Function<NDArray, NDArray> act = LayerOps.activation(String.valueOf(n.getOrDefault("activation", "linear")));
            if (block != null) {
                addChildBlock(String.format(Locale.ROOT, "n%03d_%s", i, name.replaceAll("[^A-Za-z0-9_]", "_")), block);
            }
            nodes.add(new Node(name, op, in, block, act));
        }
        lastReader = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            lastReader[i] = i;
            for (int j : nodes.get(i).inputs()) {
                lastReader[j] = i;
            }
        }
        // the output is read by the caller: never released here
        lastReader[nodes.size() - 1] = Integer.MAX_VALUE;
    }

    /** The nodes as given (op, inputs and the op's keys; see the class comment), for writing the graph elsewhere. */
    public List<Map<String, Object>> spec() {
        return spec;
    }

    /**
     * The DJL block of node {@code node} holding its parameters (a {@code conv2d} node's
     * convolution even when it pads first), or null for the ops that hold none.
     */
    public Block parameterBlock(int node) {
        Block b = nodes.get(node).block();
        return b instanceof LayerOps.PaddedConv padded ? padded.conv() : b;
    }

    /** Number of nodes, the input included. */
    public int size() {
        return nodes.size();
    }

    /**
     * Copies {@code values} into parameter {@code parameter} ({@code weight}, {@code bias},
     * {@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar}) of node {@code node};
     * the graph must be initialized.
     *
     * @throws IllegalArgumentException when the node has no such parameter or the sizes differ
     */
    public void setParameter(int node, String parameter, float[] values) {
        Block block = nodes.get(node).block();
        if (block instanceof LayerOps.PaddedConv padded) {
            block = padded.conv();
        }
        Parameter p = block == null ? null : block.getParameters().get(parameter);
        if (p == null) {
            throw new IllegalArgumentException("node " + node + " (" + nodes.get(node).name() + ") has no parameter "
                    + parameter);
        }
        NDArray array = p.getArray();
        if (array.size() != values.length) {
            throw new IllegalArgumentException("node " + node + " (" + nodes.get(node).name() + ") parameter "
                    + parameter + " has shape " + array.getShape() + " but " + values.length + " values were given");
        }
        array.set(FloatBuffer.wrap(values));
    }

    /**
     * Runs the nodes in order. For inference, each node's temporaries (padding, batch norm's extra
     * outputs, the pre-activation array) are closed as the node ends and each node's output as soon
     * as its last reader has run: DJL otherwise keeps every array of a call until the caller's
     * manager closes, so one call held all activations of the network at once (nsfwjs' MobileNetV2
     * at batch 8 kept about 1.3 GiB; with this, the few arrays alive at a time). Training keeps
     * everything, as the gradient needs it.
     */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray[] out = new NDArray[nodes.size()];
        out[0] = inputs.singletonOrThrow();
        for (int i = 1; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            NDList in = new NDList(n.inputs().length);
            for (int j : n.inputs()) {
                in.add(out[j]);
            }
            if (training) {
                NDArray y = n.block() == null ? in.singletonOrThrow() : n.block().forward(store, in, training).singletonOrThrow();
                out[i] = n.activation().apply(y);
                continue;
            }
            try (NDScope scope = new NDScope()) {
                NDArray y = n.block() == null ? in.singletonOrThrow() : n.block().forward(store, in, false).singletonOrThrow();
                out[i] = n.activation().apply(y);
                NDScope.unregister(out[i]);
                scope.suppressNotUsedWarning();
            }
            for (int j : n.inputs()) {
                if (lastReader[j] == i) {
                    release(out, j, i);
                }
            }
        }
        return new NDList(out[out.length - 1]);
    }

    /**
     * Closes node {@code j}'s output once node {@code upTo} was its last reader, unless it is the
     * caller's input or another live output is the same array (identity and linear nodes pass
     * their input through).
     */
    private static void release(NDArray[] out, int j, int upTo) {
        NDArray a = out[j];
        if (j == 0 || a == null || a == out[0]) {
            return;
        }
        out[j] = null;
        for (int k = 1; k <= upTo; k++) {
            if (out[k] == a) {
                return;
            }
        }
        a.close();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = shapes(inputShapes[0], null, null);
        return new Shape[] {shapes[shapes.length - 1]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        shapes(inputShapes[0], manager, dataType);
    }

    /** Each node's output shape; initializes the nodes' blocks on the way when a manager is given. */
    private Shape[] shapes(Shape input, NDManager manager, DataType dataType) {
        Shape[] shapes = new Shape[nodes.size()];
        shapes[0] = input;
        for (int i = 1; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            Shape[] in = new Shape[n.inputs().length];
            for (int k = 0; k < in.length; k++) {
                in[k] = shapes[n.inputs()[k]];
            }
            if (n.block() == null) {
                shapes[i] = in[0];
                continue;
            }
            if (manager != null) {
                n.block().initialize(manager, dataType, in);
            }
            shapes[i] = n.block().getOutputShapes(in)[0];
        }
        return shapes;
    }
}
