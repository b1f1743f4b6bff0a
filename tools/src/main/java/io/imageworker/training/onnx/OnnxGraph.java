package io.imageworker.training.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An ONNX graph under construction, written as a {@code ModelProto} (onnx.proto, IR version
 * {@value #IR_VERSION}, default-domain opset {@value #OPSET}): float32 initializers, nodes in
 * topological order (each added after its inputs), and named graph inputs and outputs. Value names
 * are made unique here ({@code conv_3}), so the same network always gives the same bytes.
 */
final class OnnxGraph {

    /** The default domain's operator set the graph is written against: ONNX Runtime 1.21 runs 7 to 22. */
    static final int OPSET = 13;

    /** The IR version that goes with opset {@value #OPSET}. */
    static final int IR_VERSION = 7;

    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private record Node(String op, List<String> inputs, List<String> outputs, Map<String, Object> attributes) {}

    private record Initializer(String name, long[] dims, float[] floats, long[] longs) {}

    private record Value(String name, Object[] dims) {}

    private final List<Node> nodes = new ArrayList<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Integer> counters = new HashMap<>();

    /** A unique value name starting with {@code hint}. */
    String fresh(String hint) {
        int n = counters.merge(hint, 1, Integer::sum);
        return hint + "_" + n;
    }

    /** A float32 constant of shape {@code dims}; returns its name. */
    String floats(String hint, float[] values, long... dims) {
        String name = fresh(hint);
        initializers.add(new Initializer(name, dims, values, null));
        return name;
    }

    /** A 1-d int64 constant (shapes, axes); returns its name. */
    String longs(String hint, long... values) {
        String name = fresh(hint);
        initializers.add(new Initializer(name, new long[] {values.length}, null, values));
        return name;
    }

    /**
     * Adds a node with one output; returns the output's name. Attribute values are {@code Long},
     * {@code Float}, {@code String} or {@code long[]}; an input may be {@code ""} (an optional input left out).
     */
    String node(String op, List<String> in, Map<String, Object> attributes) {
        return node(op, in, 1, attributes).get(0);
    }

    /** Adds a node with {@code outputCount} outputs; returns their names. */
    List<String> node(String op, List<String> in, int outputCount, Map<String, Object> attributes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            out.add(fresh(op.toLowerCase(java.util.Locale.ROOT)));
        }
        nodes.add(new Node(op, List.copyOf(in), out, new TreeMap<>(attributes)));
        return out;
    }

    /** Renames {@code value} to {@code name} through an {@code Identity} node (a graph output's name). */
    void alias(String value, String name) {
        nodes.add(new Node("Identity", List.of(value), List.of(name), Map.of()));
    }

    /** A float32 graph input; a {@code String} dimension is symbolic (the batch: "N"). */
    void input(String name, Object... dims) {
        inputs.add(new Value(name, dims));
    }

    /** A float32 graph output of a shape left to ONNX Runtime's shape inference. */
    void output(String name) {
        outputs.add(new Value(name, null));
    }

    /**
     * The serialized {@code ModelProto}.
     *
     * @param graphName the graph's name (the model's)
     * @param docString what the model is and where its weights came from
     * @param metadata provenance key-value pairs ({@code metadata_props}), in their order
     */
    byte[] toModel(String producer, String producerVersion, long modelVersion, String graphName, String docString,
            Map<String, String> metadata) {
        ProtoWriter graph = new ProtoWriter();
        for (Node n : nodes) {
            graph.message(1, node(n));
        }
        graph.string(2, graphName);
        for (Initializer t : initializers) {
            graph.message(5, tensor(t));
        }
        for (Value v : inputs) {
            graph.message(11, valueInfo(v));
        }
        for (Value v : outputs) {
            graph.message(12, valueInfo(v));
        }
        ProtoWriter model = new ProtoWriter().varint(1, IR_VERSION).string(2, producer).string(3, producerVersion)
                .string(4, "io.imageworker").varint(5, modelVersion).string(6, docString).message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
        metadata.forEach((k, v) -> model.message(14, new ProtoWriter().string(1, k).string(2, v)));
        return model.toByteArray();
    }

    private static ProtoWriter node(Node n) {
        ProtoWriter w = new ProtoWriter();
        n.inputs().forEach(i -> w.string(1, i));
        n.outputs().forEach(o -> w.string(2, o));
        w.string(3, n.outputs().get(0)).string(4, n.op());
        n.attributes().forEach((name, value) -> w.message(5, attribute(name, value)));
        return w;
    }

    private static ProtoWriter attribute(String name, Object value) {
        ProtoWriter a = new ProtoWriter().string(1, name);
        if (value instanceof Long || value instanceof Integer) {
            a.varint(3, ((Number) value).longValue()).varint(20, 2);
        } else if (value instanceof Float f) {
            a.float32(2, f).varint(20, 1);
        } else if (value instanceof String s) {
            a.string(4, s).varint(20, 3);
        } else if (value instanceof long[] ints) {
            for (long i : ints) {
                a.varint(8, i);
            }
            a.varint(20, 7);
        } else {
            throw new IllegalArgumentException("attribute " + name + " has unsupported type " + value.getClass());
        }
        return a;
    }

    private static ProtoWriter tensor(Initializer t) {
        ProtoWriter w = new ProtoWriter();
        for (long d : t.dims()) {
            w.varint(1, d);
        }
        w.varint(2, t.floats() != null ? FLOAT : INT64).string(8, t.name());
        w.bytes(9, t.floats() != null ? ProtoWriter.littleEndian(t.floats()) : ProtoWriter.littleEndian(t.longs()));
        return w;
    }

    private static ProtoWriter valueInfo(Value v) {
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT);
        if (v.dims() != null) {
            ProtoWriter shape = new ProtoWriter();
            for (Object d : v.dims()) {
                ProtoWriter dim = d instanceof String s ? new ProtoWriter().string(2, s)
                        : new ProtoWriter().varint(1, ((Number) d).longValue());
                shape.message(1, dim);
            }
            tensorType.message(2, shape);
        }
        return new ProtoWriter().string(1, v.name()).message(2, new ProtoWriter().message(1, tensorType));
    }
}
