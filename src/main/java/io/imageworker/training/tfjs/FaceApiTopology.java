package io.imageworker.training.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.tasks.faces.FaceAttributes;
import io.imageworker.training.tfjs.TfjsWeights.Weight;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The networks of face-api ({@code @vladmandic/face-api}, after face-api.js) whose TF.js files are a
 * weights manifest only: the network is code in the package, so it is written out here by name as
 * the Keras topology it is, which {@link KerasGraph} then converts like any layers model. Weight
 * names are face-api's ({@code dense0/conv0/filters}, {@code dense1/conv2/depthwise_filter},
 * {@code fc/weights}); they are renamed to Keras's ({@code kernel}, {@code depthwise_kernel},
 * {@code pointwise_kernel}) and every one of them must be used, so a manifest of another network is
 * refused.
 *
 * <p>Both architectures share face-api's {@code FaceFeatureExtractor} (its {@code
 * FaceFeatureExtractor.forwardInput}): a 112 x 112 RGB input less the mean {@link #MEAN_RGB}, over
 * 255; four dense blocks ({@code denseBlock4}: a 3 x 3 stride-2 "same" convolution with ReLU, the
 * first block's regular, the others depthwise-separable, then three depthwise-separable
 * convolutions, each reading the ReLU of the sum of all the block's outputs before it, and the
 * block's output the ReLU of the sum of all four); a 7 x 7 stride-2 "valid" average pool; a
 * fully connected layer {@code fc}. {@value #LANDMARKS_68} ({@code FaceLandmark68Net}) ends there
 * with 136 outputs: the 68 points (x, y) interleaved, as fractions of the square input;
 * {@value #EXPRESSIONS} ({@code FaceExpressionNet}) ends in a softmax over {@link #EXPRESSION_LABELS}.
 */
public final class FaceApiTopology {

    /** face-api's {@code face_landmark_68_model}. */
    public static final String LANDMARKS_68 = FaceAttributes.LANDMARKS_68;
    /** face-api's {@code face_expression_model}. */
    public static final String EXPRESSIONS = FaceAttributes.EXPRESSIONS;
    /** The architectures known by name. */
    public static final List<String> ARCHITECTURES = List.of(LANDMARKS_68, EXPRESSIONS);
    /** The expression classes in output order ({@code FACE_EXPRESSION_LABELS}). */
    public static final List<String> EXPRESSION_LABELS = FaceAttributes.EXPRESSION_LABELS;
    /** Input side, pixels. */
    public static final int INPUT_SIZE = 112;
    /** The mean subtracted from 0-255 pixels before dividing by 255 (R, G, B). */
    public static final double[] MEAN_RGB = {122.782, 117.001, 104.298};

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private FaceApiTopology() {}

    /**
     * A topology with the weights it reads.
     *
     * @param topology a Keras functional model config, as {@link KerasGraph#convert} takes
     * @param weights the manifest's weights under the Keras names the topology uses
     */
    public record Network(JsonNode topology, Map<String, Weight> weights) {}

    /**
     * The network {@code architecture} names, sized by {@code weights} (face-api's names).
     *
     * @throws KerasGraph.UnsupportedLayerException for an architecture not in {@link #ARCHITECTURES}
     * @throws IllegalArgumentException when a weight the network needs is missing, or the last
     *     layer's width is not the network's (136 landmark values, 7 expressions)
     */
    public static Network of(String architecture, Map<String, Weight> weights) {
        if (!ARCHITECTURES.contains(architecture)) {
            throw new KerasGraph.UnsupportedLayerException("architecture '" + architecture
                    + "' is not one the importer knows by name; known: " + ARCHITECTURES);
        }
        Builder b = new Builder();
        b.input();
        String x = "input";
        for (int block = 0; block < 4; block++) {
            x = b.denseBlock4("dense" + block, x, block == 0, weights);
        }
        ObjectNode pool = b.layer("AveragePooling2D", "pool", x);
        config(pool).set("pool_size", ints(7, 7));
        config(pool).set("strides", ints(2, 2));
        config(pool).put("padding", "valid");
        b.layer("Flatten", "flatten", "pool");
        int units = shape(weights, "fc/weights")[1];
        int expected = labels(architecture).size();
        if (units != expected) {
            throw new IllegalArgumentException("the manifest's fc/weights has " + units + " outputs; " + architecture
                    + " has " + expected + " (is it the manifest of another face-api network?)");
        }
        ObjectNode fc = b.layer("Dense", "fc", "flatten");
        config(fc).put("units", units).put("activation", "linear").put("use_bias", true);
        if (EXPRESSIONS.equals(architecture)) {
            config(b.layer("Activation", "softmax", "fc")).put("activation", "softmax");
        }
        Map<String, Weight> renamed = new LinkedHashMap<>();
        weights.forEach((name, w) -> {
            String keras = name.replaceFirst("/filters$", "/kernel").replaceFirst("/depthwise_filter$", "/depthwise_kernel")
                    .replaceFirst("/pointwise_filter$", "/pointwise_kernel").replaceFirst("^fc/weights$", "fc/kernel");
            renamed.put(keras, new Weight(keras, w.shape(), w.values()));
        });
        return new Network(b.model(), renamed);
    }

    /**
     * The output names of {@code architecture}: the expression classes, or {@code x1, y1 ... x68,
     * y68} (iBUG 300-W's 68-point markup, numbered from 1) for the landmarks.
     */
    public static List<String> labels(String architecture) {
        if (EXPRESSIONS.equals(architecture)) {
            return EXPRESSION_LABELS;
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= FaceAttributes.POINTS; i++) {
            out.add("x" + i);
            out.add("y" + i);
        }
        return out;
    }

    private static int[] shape(Map<String, Weight> weights, String name) {
        Weight w = weights.get(name);
        if (w == null) {
            throw new IllegalArgumentException("the manifest has no weight " + name + ", which face-api's network reads");
        }
        return w.shape();
    }

    private static ObjectNode config(JsonNode layer) {
        return (ObjectNode) layer.get("config");
    }

    private static ArrayNode ints(int... v) {
        ArrayNode a = F.arrayNode();
        for (int i : v) {
            a.add(i);
        }
        return a;
    }

    /** Keras layers in order, each wired to the layers it reads. */
    private static final class Builder {
        private final List<JsonNode> layers = new ArrayList<>();

        void input() {
            ObjectNode l = F.objectNode().put("class_name", "InputLayer").put("name", "input");
            ArrayNode shape = l.putObject("config").put("name", "input").putArray("batch_input_shape");
            shape.addNull().add(INPUT_SIZE).add(INPUT_SIZE).add(3);
            l.putArray("inbound_nodes");
            layers.add(l);
        }

        ObjectNode layer(String cls, String name, String... inputs) {
            ObjectNode l = F.objectNode().put("class_name", cls).put("name", name);
            l.putObject("config").put("name", name);
            ArrayNode call = l.putArray("inbound_nodes").addArray();
            for (String in : inputs) {
                call.addArray().add(in).add(0).add(0).addObject();
            }
            layers.add(l);
            return l;
        }

        /** face-api's {@code denseBlock4}; returns the name of its output. */
        String denseBlock4(String prefix, String x, boolean first, Map<String, Weight> weights) {
            String conv0 = prefix + "/conv0";
            if (first) {
                int filters = shape(weights, conv0 + "/filters")[3];
                conv(layer("Conv2D", conv0, x), filters, 2, "relu");
            } else {
                int filters = shape(weights, conv0 + "/pointwise_filter")[3];
                conv(layer("SeparableConv2D", conv0, x), filters, 2, "relu");
            }
            List<String> outs = new ArrayList<>(List.of(conv0));
            String in = conv0;
            for (int k = 1; k <= 3; k++) {
                String conv = prefix + "/conv" + k;
                conv(layer("SeparableConv2D", conv, in), shape(weights, conv + "/pointwise_filter")[3], 1, "linear");
                outs.add(conv);
                String sum = prefix + "/sum" + k;
                layer("Add", sum, outs.toArray(String[]::new));
                in = prefix + "/relu" + k;
                config(layer("Activation", in, sum)).put("activation", "relu");
            }
            return in;
        }

        private static void conv(ObjectNode layer, int filters, int stride, String activation) {
            ObjectNode c = config(layer);
            c.put("filters", filters).put("padding", "same").put("activation", activation).put("use_bias", true);
            c.set("kernel_size", ints(3, 3));
            c.set("strides", ints(stride, stride));
        }

        JsonNode model() {
            ObjectNode m = F.objectNode().put("class_name", "Functional");
            ObjectNode c = m.putObject("config");
            c.put("name", "face-api");
            c.putArray("layers").addAll(layers);
            c.putArray("input_layers").addArray().add("input").add(0).add(0);
            c.putArray("output_layers").addArray().add(layers.get(layers.size() - 1).path("name").asText()).add(0).add(0);
            return m;
        }
    }
}
