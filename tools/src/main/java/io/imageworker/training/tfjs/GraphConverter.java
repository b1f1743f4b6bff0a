package io.imageworker.training.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.models.graph.TfGraph;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a TF.js graph model's GraphDef ({@code modelTopology.node}: name, op, inputs, attrs) and
 * its weights into the nodes of a {@link TfGraph}. Only what the outputs need is kept, in an order
 * where each node reads earlier ones. Integer constants (shapes, permutations, paddings, axes, and
 * what a converter computes from them: {@code SparseToDense}, {@code Cast}, integer {@code Add})
 * are evaluated here and become keys of the node that reads them, so only float tensors flow at
 * run time. Convolution filters go from TensorFlow's (h, w, in, out) to (out, in, h, w).
 */
public final class GraphConverter {

    /** The ops this converter evaluates at import when every input is a constant. */
    public static final List<String> FOLDED = List.of("Const", "Identity", "Cast", "Add", "AddV2", "SparseToDense");

    /** A GraphDef op, or an option of one, that the importer does not support; the message names op and node. */
    public static final class UnsupportedOpException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** @param message names the op and the node */
        public UnsupportedOpException(String message) {
            super(message);
        }
    }

    /**
     * The converted graph.
     *
     * @param nodes the {@link TfGraph} nodes, Placeholder first
     * @param outputs output node names, in order
     * @param constants values of each Const node, by node name, in the node's shape
     * @param inputShape the Placeholder's shape (an unknown batch as 1)
     * @param ops how many nodes of each GraphDef op the outputs need (folded ones included)
     */
    public record Result(List<Map<String, Object>> nodes, List<String> outputs, Map<String, float[]> constants,
            long[] inputShape, Map<String, Integer> ops) {}


    private final Map<String, JsonNode> defs = new LinkedHashMap<>();
    private final Map<String, TfjsWeights.Weight> weights;
    private final Set<String> integerWeights;
    private final Map<String, ConstantFolding.Static> statics = new HashMap<>();
    private final Set<String> emitted = new HashSet<>();
    private final List<Map<String, Object>> nodes = new ArrayList<>();
    private final Map<String, float[]> constants = new LinkedHashMap<>();
    private final Map<String, Integer> ops = new TreeMap<>();
    private long[] inputShape;

    private GraphConverter(JsonNode topology, Map<String, TfjsWeights.Weight> weights, Set<String> integerWeights) {
        for (JsonNode n : topology.path("node")) {
            defs.put(n.path("name").asText(), n);
        }
        this.weights = weights;
        this.integerWeights = integerWeights;
    }

    /**
     * Converts the graph.
     *
     * @param topology model.json's {@code modelTopology}
     * @param weights the manifest's weights by name (every Const's values)
     * @param integerWeights names of the weights the manifest declares int32
     * @param outputs the output tensors ({@code name} or {@code name:0})
     * @throws UnsupportedOpException for an op or option not supported (op and node named), an
     *     integer tensor that would flow at run time, or a Const without values
     */
    public static Result convert(JsonNode topology, Map<String, TfjsWeights.Weight> weights, Set<String> integerWeights,
            List<String> outputs) {
        GraphConverter c = new GraphConverter(topology, weights, integerWeights);
        List<String> names = new ArrayList<>();
        for (String o : outputs) {
            String name = o.endsWith(":0") ? o.substring(0, o.length() - 2) : o;
            c.visit(base(name), new HashSet<>());
            if (c.statics.containsKey(base(name))) {
                throw new UnsupportedOpException("output '" + o + "' is a constant");
            }
            names.add(name);
        }
        if (c.inputShape == null) {
            throw new UnsupportedOpException("the outputs do not depend on a Placeholder");
        }
        return new Result(c.nodes, names, c.constants, c.inputShape, c.ops);
    }

    /** Visits {@code name} after its inputs (depth first), folding or emitting it. */
    private void visit(String name, Set<String> path) {
        if (emitted.contains(name) || statics.containsKey(name)) {
            return;
        }
        JsonNode def = defs.get(name);
        if (def == null) {
            throw new UnsupportedOpException("a node reads '" + name + "', which the graph does not have");
        }
        if (!path.add(name)) {
            throw new UnsupportedOpException("node '" + name + "' is part of a cycle (control flow is not supported)");
        }
        String op = def.path("op").asText();
        ops.merge(op, 1, Integer::sum);
        List<String> in = inputs(def);
        for (String i : in) {
            visit(base(i), path);
        }
        path.remove(name);
        if ("Const".equals(op)) {
            statics.put(name, constant(name));
            return;
        }
        if (FOLDED.contains(op) && in.stream().allMatch(i -> statics.containsKey(base(i)))) {
            statics.put(name, ConstantFolding.fold(def, op, in.stream().map(i -> statics.get(base(i))).toList()));
            return;
        }
        emit(def, op, in);
    }

    private ConstantFolding.Static constant(String name) {
        TfjsWeights.Weight w = weights.get(name);
        if (w == null) {
            throw new UnsupportedOpException("Const node '" + name + "' has no values in the weights manifest");
        }
        double[] v = new double[w.values().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = w.values()[i];
        }
        return new ConstantFolding.Static(w.shape(), v, integerWeights.contains(name));
    }

    private void emit(JsonNode def, String op, List<String> in) {
        String name = def.path("name").asText();
        JsonNode attr = def.path("attr");
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("name", name);
        n.put("op", op);
        List<String> tensors = new ArrayList<>();
        switch (op) {
            case "Placeholder" -> {
                List<Long> shape = new ArrayList<>();
                for (JsonNode d : attr.path("shape").path("shape").path("dim")) {
                    long s = d.path("size").asLong(-1);
                    shape.add(s < 0 ? 1 : s);
                }
                JsonNode first = attr.path("shape").path("shape").path("dim").path(0);
                // a batch fixed in the graph (nanodet: 1) is also in its Reshape targets: TfGraph refuses another
                n.put("batch", first.isMissingNode() ? -1 : first.path("size").asLong(-1));
                if (inputShape != null) {
                    throw new UnsupportedOpException("node '" + name + "' is a second Placeholder (one input is supported)");
                }
                inputShape = shape.stream().mapToLong(Long::longValue).toArray();
                n.put("shape", shape);
            }
            case "Conv2D" -> {
                String format = format(attr);
                tensors.add(tensor(in.get(0), name));
                tensors.add(filter(in.get(1), name));
                n.put("strides", spatial(attr.path("strides"), format));
                n.put("dilations", spatial(attr.path("dilations"), format));
                String padding = text(attr.path("padding"), "VALID");
                n.put("padding", padding);
                if ("EXPLICIT".equals(padding)) {
                    long[] p = listInts(attr.path("explicit_paddings"));
                    int h = "NCHW".equals(format) ? 2 : 1;
                    n.put("pads", List.of(p[2 * h], p[2 * h + 1], p[2 * h + 2], p[2 * h + 3]));
                }
                n.put("dataFormat", format);
            }
            case "MaxPool" -> {
                String format = format(attr);
                tensors.add(tensor(in.get(0), name));
                n.put("ksize", spatial(attr.path("ksize"), format));
                n.put("strides", spatial(attr.path("strides"), format));
                String padding = text(attr.path("padding"), "VALID");
                if ("EXPLICIT".equals(padding)) {
                    throw new UnsupportedOpException("node '" + name + "' (MaxPool) has explicit padding");
                }
                n.put("padding", padding);
                n.put("dataFormat", format);
            }
            case "Pad", "PadV2" -> {
                n.put("op", "Pad");
                tensors.add(tensor(in.get(0), name));
                ConstantFolding.Static p = staticInput(in.get(1), name, op);
                List<List<Integer>> pairs = new ArrayList<>();
                for (int i = 0; i < p.values().length / 2; i++) {
                    pairs.add(List.of((int) p.values()[2 * i], (int) p.values()[2 * i + 1]));
                }
                n.put("paddings", pairs);
                n.put("value", in.size() > 2 ? staticInput(in.get(2), name, op).values()[0] : 0.0);
            }
            case "Transpose" -> {
                tensors.add(tensor(in.get(0), name));
                n.put("perm", ints(staticInput(in.get(1), name, op)));
            }
            case "Reshape" -> {
                tensors.add(tensor(in.get(0), name));
                n.put("shape", ints(staticInput(in.get(1), name, op)));
            }
            case "ConcatV2" -> {
                for (String i : in.subList(0, in.size() - 1)) {
                    tensors.add(tensor(i, name));
                }
                n.put("axis", (int) staticInput(in.get(in.size() - 1), name, op).values()[0]);
            }
            case "SplitV" -> {
                tensors.add(tensor(in.get(0), name));
                n.put("sizes", ints(staticInput(in.get(1), name, op)));
                n.put("axis", (int) staticInput(in.get(2), name, op).values()[0]);
            }
            case "LeakyRelu" -> {
                tensors.add(tensor(in.get(0), name));
                n.put("alpha", attr.path("alpha").path("f").asDouble(0.2));
            }
            case "ResizeBilinear" -> {
                tensors.add(tensor(in.get(0), name));
                n.put("size", ints(staticInput(in.get(1), name, op)));
                n.put("alignCorners", attr.path("align_corners").path("b").asBoolean(false));
                n.put("halfPixelCenters", attr.path("half_pixel_centers").path("b").asBoolean(false));
            }
            case "Add", "AddV2" -> {
                n.put("op", "Add");
                tensors.add(tensor(in.get(0), name));
                tensors.add(tensor(in.get(1), name));
            }
            case "Sigmoid", "Identity" -> tensors.add(tensor(in.get(0), name));
            default -> throw new UnsupportedOpException("node '" + name + "' has op " + op
                    + ", which the graph-model importer does not support (supported: " + supported() + ")");
        }
        if (!"Placeholder".equals(op)) {
            n.put("inputs", tensors);
        }
        nodes.add(n);
        emitted.add(name);
    }

    /** The GraphDef ops the importer supports, run or folded. */
    public static List<String> supported() {
        Set<String> all = new java.util.TreeSet<>(TfGraph.OPS);
        all.addAll(FOLDED);
        all.add("PadV2");
        return List.copyOf(all);
    }

    /** A tensor input of a run-time op: a run-time node's output, or a float constant emitted as a Const. */
    private String tensor(String ref, String reader) {
        String b = base(ref);
        ConstantFolding.Static s = statics.get(b);
        if (s == null) {
            return ref;
        }
        if (s.integer()) {
            throw new UnsupportedOpException("node '" + reader + "' reads integer tensor '" + ref + "' at run time "
                    + "(only float tensors flow; integer constants are folded into the ops that read them)");
        }
        return constNode(b, s.shape(), s.values(), b);
    }

    /** A Conv2D filter: a constant, (h, w, in, out) to (out, in, h, w). */
    private String filter(String ref, String reader) {
        ConstantFolding.Static s = statics.get(base(ref));
        if (s == null || s.shape().length != 4) {
            throw new UnsupportedOpException("node '" + reader + "' (Conv2D) has a filter '" + ref
                    + "' that is not a 4-d constant");
        }
        int[] d = s.shape();
        double[] v = new double[s.values().length];
        for (int h = 0; h < d[0]; h++) {
            for (int w = 0; w < d[1]; w++) {
                for (int i = 0; i < d[2]; i++) {
                    for (int o = 0; o < d[3]; o++) {
                        v[((o * d[2] + i) * d[0] + h) * d[1] + w] = s.values()[((h * d[1] + w) * d[2] + i) * d[3] + o];
                    }
                }
            }
        }
        return constNode(base(ref) + "/OIHW", new int[] {d[3], d[2], d[0], d[1]}, v, base(ref));
    }

    private String constNode(String name, int[] shape, double[] values, String source) {
        if (emitted.add(name)) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", name);
            n.put("op", "Const");
            n.put("shape", java.util.Arrays.stream(shape).boxed().toList());
            n.put("source", source);
            nodes.add(n);
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            constants.put(name, f);
        }
        return name;
    }

    private ConstantFolding.Static staticInput(String ref, String reader, String op) {
        ConstantFolding.Static s = statics.get(base(ref));
        if (s == null) {
            throw new UnsupportedOpException("node '" + reader + "' (" + op + ") reads '" + ref + "' where a constant "
                    + "is needed (a shape, axis or size computed at run time is not supported)");
        }
        return s;
    }

    private static List<Integer> ints(ConstantFolding.Static s) {
        List<Integer> l = new ArrayList<>();
        for (double v : s.values()) {
            l.add((int) v);
        }
        return l;
    }

    private static List<String> inputs(JsonNode def) {
        List<String> l = new ArrayList<>();
        for (JsonNode i : def.path("input")) {
            if (!i.asText().startsWith("^")) { // control dependencies order nothing in a graph without state
                l.add(i.asText());
            }
        }
        return l;
    }

    private static String base(String ref) {
        int colon = ref.lastIndexOf(':');
        return colon > 0 && ref.substring(colon + 1).matches("\\d+") ? ref.substring(0, colon) : ref;
    }

    private static String format(JsonNode attr) {
        return text(attr.path("data_format"), "NHWC");
    }

    /** A string attr: TF.js writes GraphDef bytes as base64. */
    private static String text(JsonNode a, String fallback) {
        return a.has("s") ? new String(Base64.getDecoder().decode(a.path("s").asText()), StandardCharsets.UTF_8) : fallback;
    }

    private static long[] listInts(JsonNode a) {
        JsonNode l = a.path("list").path("i");
        long[] v = new long[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = l.get(i).asLong();
        }
        return v;
    }

    /** The [h, w] of a 4-entry attr (strides, dilations, ksize) in {@code format}; [1, 1] when absent. */
    private static List<Integer> spatial(JsonNode a, String format) {
        long[] v = listInts(a);
        if (v.length == 0) {
            return List.of(1, 1);
        }
        int h = "NCHW".equals(format) ? 2 : 1;
        return List.of((int) v[h], (int) v[h + 1]);
    }
}
