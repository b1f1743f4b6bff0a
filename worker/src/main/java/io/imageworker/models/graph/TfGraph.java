package io.imageworker.models.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A TensorFlow graph (what a TF.js graph model holds) as a DJL block: nodes of TensorFlow ops, in
 * an order where each reads only earlier nodes, run one by one on the engine-neutral NDArray API
 * ({@link TfOps}). The graph is data, so a model's {@code graph.json} rebuilds it and its DJL
 * {@code .params} (one parameter per constant) load into it with no importer. The importer
 * ({@code training.tfjs.GraphConverter}) has already folded every integer constant (shapes, permutations,
 * paddings, axes) into its node's keys: only float tensors flow here.
 *
 * <p>Node keys: {@code name}, {@code op}, {@code inputs} (names of earlier nodes; {@code name:k}
 * for output k of a node with several) and the op's own:
 * <ul>
 * <li>{@code Placeholder}: {@code shape} (with the batch; the one input), {@code batch}: the batch the
 *     graph was converted with, -1 for any (a graph with a fixed batch refuses another: its
 *     {@code Reshape} targets hold it)
 * <li>{@code Const}: {@code shape}; its values are a parameter
 * <li>{@code Conv2D}: {@code strides} [h, w], {@code dilations} [h, w], {@code padding} (VALID,
 *     SAME, EXPLICIT), {@code pads} [t, b, l, r], {@code dataFormat} (NHWC, NCHW); input 1 a
 *     {@code Const} in (out, in, h, w)
 * <li>{@code MaxPool}: {@code ksize} [h, w], {@code strides} [h, w], {@code padding},
 *     {@code dataFormat}
 * <li>{@code Pad}: {@code paddings} [[before, after] per axis], {@code value}
 * <li>{@code Transpose}: {@code perm}; {@code Reshape}: {@code shape}; {@code ConcatV2}:
 *     {@code axis}; {@code SplitV}: {@code sizes}, {@code axis}; {@code LeakyRelu}: {@code alpha};
 *     {@code ResizeBilinear}: {@code size} [h, w], {@code alignCorners}, {@code halfPixelCenters}
 * <li>{@code Add} (and {@code AddV2}, broadcasting), {@code Sigmoid}, {@code Identity}
 * </ul>
 * The outputs are the nodes the architecture option {@value #OUTPUTS} names, in that order.
 */
public final class TfGraph extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The architecture option naming the output nodes, in the order {@link #forward} returns them. */
    public static final String OUTPUTS = "outputs";

    /** The ops this graph runs. */
    public static final List<String> OPS = List.of("Placeholder", "Const", "Conv2D", "MaxPool", "Pad", "Transpose",
            "Reshape", "ConcatV2", "SplitV", "LeakyRelu", "ResizeBilinear", "Add", "AddV2", "Sigmoid", "Identity");

    private final List<Node> nodes = new ArrayList<>();
    private final List<String> outputNames;
    private final int[][] outputs;
    /** Per node, how many later nodes (and outputs) read it: its arrays are closed when that reaches 0. */
    private final int[] readers;

    /** One node: its op, keys, inputs as (node, output) pairs, and its parameter for a Const. */
    private record Node(String name, String op, Map<String, Object> keys, int[][] inputs, Parameter constant) {}

    /**
     * A graph of {@code spec}'s nodes with the named outputs.
     *
     * @param spec nodes in order, each a map with {@code name}, {@code op}, {@code inputs} and the op's keys
     * @param outputNames names of output nodes ({@code name} or {@code name:k})
     * @throws IllegalArgumentException for an op this graph does not run (the message names op and
     *     node), a node reading an unknown or later node, or not exactly one Placeholder
     */
    public TfGraph(List<Map<String, Object>> spec, List<String> outputNames) {
        super(VERSION);
        this.outputNames = List.copyOf(outputNames);
        Map<String, Integer> index = new HashMap<>();
        int placeholders = 0;
        for (Map<String, Object> n : spec) {
            String name = String.valueOf(n.get("name"));
            String op = String.valueOf(n.get("op"));
            if (!OPS.contains(op)) {
                throw new IllegalArgumentException("node '" + name + "' has op " + op + ", which TfGraph does not run "
                        + "(it runs " + OPS + ")");
            }
            placeholders += "Placeholder".equals(op) ? 1 : 0;
            @SuppressWarnings("unchecked")
            List<Object> ins = (List<Object>) n.getOrDefault("inputs", List.of());
            int[][] inputs = new int[ins.size()][];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = reference(String.valueOf(ins.get(i)), index, name);
            }
            Parameter constant = null;
            if ("Const".equals(op)) {
                constant = addParameter(Parameter.builder()
                        .setName(String.format(Locale.ROOT, "c%04d", nodes.size()))
                        .setType(Parameter.Type.OTHER).optShape(new Shape(longs(n.get("shape"))))
                        .optInitializer(new ConstantInitializer(0f)).optRequiresGrad(false).build());
            }
            index.put(name, nodes.size());
            nodes.add(new Node(name, op, n, inputs, constant));
        }
        if (placeholders != 1 || !"Placeholder".equals(nodes.get(0).op())) {
            throw new IllegalArgumentException("a TfGraph starts with its one Placeholder (found " + placeholders + ")");
        }
        outputs = new int[outputNames.size()][];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = reference(outputNames.get(i), index, "(outputs)");
        }
        readers = new int[nodes.size()];
        for (Node n : nodes) {
            for (int[] in : n.inputs()) {
                readers[in[0]]++;
            }
        }
        for (int[] o : outputs) {
            readers[o[0]] = Integer.MAX_VALUE / 2; // read by the caller: never closed here
        }
    }

    private static int[] reference(String ref, Map<String, Integer> index, String reader) {
        int colon = ref.lastIndexOf(':');
        String name = colon > 0 && ref.substring(colon + 1).matches("\\d+") ? ref.substring(0, colon) : ref;
        int k = name.equals(ref) ? 0 : Integer.parseInt(ref.substring(colon + 1));
        Integer at = index.get(name);
        if (at == null) {
            throw new IllegalArgumentException("node '" + reader + "' reads '" + ref + "', which is not an earlier node");
        }
        return new int[] {at, k};
    }

    /** The output nodes' names ({@code name} or {@code name:k}), in the order {@link #forward} returns them. */
    public List<String> outputNames() {
        return outputNames;
    }

    /** Node {@code i}'s name, op and keys (inputs by name), as the spec gave them, for writing the graph elsewhere. */
    public Map<String, Object> node(int i) {
        return nodes.get(i).keys();
    }

    /** The values of Const node {@code i} (its parameter; initialized or loaded), or null for another op. */
    public NDArray constant(int i) {
        Parameter p = nodes.get(i).constant();
        return p == null ? null : p.getArray();
    }

    /**
     * Each node's output shapes for an input of {@code input}'s shape, found by running the graph
     * once on zeros with its own constants (keeping every node's output until the end).
     */
    public Shape[][] nodeShapes(Shape input) {
        Shape[][] shapes = new Shape[nodes.size()][];
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(m, false);
            NDList[] out = new NDList[nodes.size()];
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                if (i == 0) {
                    out[i] = new NDList(m.zeros(input, DataType.FLOAT32));
                } else if (n.constant() != null) {
                    out[i] = new NDList(store.getValue(n.constant(), m.getDevice(), false));
                } else {
                    NDList in = new NDList(n.inputs().length);
                    for (int[] r : n.inputs()) {
                        in.add(out[r[0]].get(r[1]));
                    }
                    out[i] = run(n, in);
                }
                shapes[i] = out[i].getShapes();
            }
        }
        return shapes;
    }

    /** Number of nodes, the Placeholder and constants included. */
    public int size() {
        return nodes.size();
    }

    /** The input's shape, batch included, as the Placeholder declares it. */
    public Shape inputShape() {
        return new Shape(longs(nodes.get(0).keys().get("shape")));
    }

    /**
     * The batch the graph was converted with (its Placeholder's first dimension), 0 for any: a
     * graph with a fixed batch refuses another, so the worker serves it at most that many at once.
     */
    public int fixedBatch() {
        long batch = ((Number) nodes.get(0).keys().getOrDefault("batch", -1)).longValue();
        return batch > 0 ? (int) batch : 0;
    }

    /**
     * Copies {@code values} into the constant of node {@code name}; the graph must be initialized.
     *
     * @throws IllegalArgumentException when the node is not a Const or the sizes differ
     */
    public void setConstant(String name, float[] values) {
        Node n = nodes.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
        if (n == null || n.constant() == null) {
            throw new IllegalArgumentException("no Const node '" + name + "'");
        }
        NDArray array = n.constant().getArray();
        if (array.size() != values.length) {
            throw new IllegalArgumentException("Const '" + name + "' has shape " + array.getShape() + " but "
                    + values.length + " values were given");
        }
        array.set(FloatBuffer.wrap(values));
    }

    /**
     * Runs the nodes in order. Each node's temporaries are closed as it ends and its output once
     * its last reader has run, so that a call holds only the arrays still to be read.
     */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList[] out = new NDList[nodes.size()];
        int[] left = readers.clone();
        NDArray x = inputs.singletonOrThrow();
        long batch = ((Number) nodes.get(0).keys().getOrDefault("batch", -1)).longValue();
        if (batch > 0 && x.getShape().get(0) != batch) {
            // its Reshape targets hold that batch: another would be reshaped across images without an error
            throw new IllegalArgumentException("this graph was converted with a fixed batch of " + batch
                    + " (its Placeholder's shape); it was given " + x.getShape().get(0) + " inputs at once");
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.constant() != null) {
                out[i] = new NDList(store.getValue(n.constant(), x.getDevice(), training));
                continue;
            }
            if (i == 0) {
                out[i] = new NDList(x);
                continue;
            }
            NDList in = new NDList(n.inputs().length);
            for (int[] r : n.inputs()) {
                in.add(out[r[0]].get(r[1]));
            }
            try (NDScope scope = new NDScope()) {
                out[i] = run(n, in);
                for (int j = 0; j < out[i].size(); j++) {
                    if (in.contains(out[i].get(j))) { // an op that passed its input through: keep the two apart
                        out[i].set(j, out[i].get(j).duplicate());
                    }
                }
                for (NDArray a : out[i]) {
                    NDScope.unregister(a);
                }
                scope.suppressNotUsedWarning();
            }
            for (int[] r : n.inputs()) {
                if (--left[r[0]] == 0 && r[0] != 0 && nodes.get(r[0]).constant() == null) {
                    out[r[0]].close();
                }
            }
        }
        NDList result = new NDList(outputs.length);
        for (int[] o : outputs) {
            result.add(out[o[0]].get(o[1]));
        }
        return result;
    }

    private static NDList run(Node n, NDList in) {
        Map<String, Object> k = n.keys();
        NDArray x = in.get(0);
        boolean nchw = "NCHW".equals(k.get("dataFormat"));
        NDArray y = switch (n.op()) {
            case "Conv2D" -> TfOps.conv2d(x, in.get(1), ints(k.get("strides")), ints(k.get("dilations")),
                    String.valueOf(k.get("padding")), k.containsKey("pads") ? ints(k.get("pads")) : null, nchw);
            case "MaxPool" -> TfOps.maxPool(x, ints(k.get("ksize")), ints(k.get("strides")),
                    String.valueOf(k.get("padding")), nchw);
            case "Pad" -> TfOps.pad(x, pairs(k.get("paddings")), real(k.getOrDefault("value", 0)));
            case "Transpose" -> x.transpose(ints(k.get("perm")));
            case "Reshape" -> TfOps.reshape(x, longs(k.get("shape")));
            case "ConcatV2" -> TfOps.concat(in, ((Number) k.get("axis")).intValue());
            case "SplitV" -> null;
            case "LeakyRelu" -> TfOps.leakyRelu(x, ((Number) k.get("alpha")).floatValue());
            case "ResizeBilinear" -> TfOps.resizeBilinear(x, ints(k.get("size")),
                    Boolean.TRUE.equals(k.get("alignCorners")), Boolean.TRUE.equals(k.get("halfPixelCenters")));
            case "Add", "AddV2" -> x.add(in.get(1));
            case "Sigmoid" -> TfOps.sigmoid(x);
            // a copy, so that closing one reader's input never closes another's
            case "Identity" -> x.duplicate();
            default -> throw new IllegalStateException("op " + n.op() + " of node " + n.name());
        };
        return y != null ? new NDList(y) : TfOps.splitV(x, ints(k.get("sizes")), ((Number) k.get("axis")).intValue());
    }

    /** The output shapes, found by running the graph once on zeros (the graph is data: no shape rules kept twice). */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        try (NDManager m = NDManager.newBaseManager()) {
            PairList<String, Object> none = new PairList<>();
            ParameterStore store = new ParameterStore(m, false);
            NDList y = forwardInternal(store, new NDList(m.zeros(inputShapes[0], DataType.FLOAT32)), false, none);
            return y.getShapes();
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no child blocks: the constants are this block's own parameters, shaped by the spec
    }

    /** A number, or JSON's text for one that has no literal ({@code -Infinity}, {@code NaN}). */
    private static float real(Object v) {
        return v instanceof Number n ? n.floatValue() : Float.parseFloat(String.valueOf(v));
    }

    static int[] ints(Object v) {
        return ((List<?>) v).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    static long[] longs(Object v) {
        return ((List<?>) v).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }

    private static int[][] pairs(Object v) {
        List<?> l = (List<?>) v;
        int[][] p = new int[l.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = ints(l.get(i));
        }
        return p;
    }
}
