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
 *
 * <p>{@value #SSD_MOBILENET_V1} is face-api's face detector ({@code SsdMobilenetv1}: {@code
 * mobileNetV1.ts}, {@code predictionLayer.ts}, {@code boxPredictionLayer.ts}): a 512 x 512 RGB input
 * scaled to [-1, 1]; MobileNetV1 (a 3 x 3 stride-2 convolution, then 13 pairs of a 3 x 3 depthwise
 * convolution with batch norm (epsilon 0.001) and a pointwise convolution, strides 2 at pairs 2, 4,
 * 6 and 12, every layer clipped to [0, 6]: ReLU6, the pointwise convolutions' batch norms already
 * folded into a bias, {@code convolution_bn_offset}); eight more pointwise convolutions (1 x 1, then 3
 * x 3 stride 2, in turns); six box predictors (a 1 x 1 convolution each for the box encodings and the
 * class logits) on pair 11 (32 x 32 cells, 3 anchors a cell), pair 13 (16 x 16) and the stride-2
 * convolutions (8 x 8, 4 x 4, 2 x 2, 1 x 1; 6 anchors a cell). Its one output is what {@link
 * io.imageworker.tasks.faces.SsdDecoder} reads: each predictor's box encodings then its class logits,
 * each flattened in TF's order (row, column, anchor, value), predictor after predictor. The
 * manifest's anchors ({@code Output/extra_dim}) must be those {@link
 * io.imageworker.tasks.faces.SsdDecoder#anchors()} generates, and its leftover graph constants
 * ({@code Preprocessor/*}, {@code Postprocessor/*}, the predictors' {@code stack} and {@code
 * strided_slice} operands, {@code concat_1/axis}) are read past.
 */
public final class FaceApiTopology {

    /** face-api's {@code face_landmark_68_model}. */
    public static final String LANDMARKS_68 = FaceAttributes.LANDMARKS_68;
    /** face-api's {@code face_expression_model}. */
    public static final String EXPRESSIONS = FaceAttributes.EXPRESSIONS;
    /** face-api's {@code ssd_mobilenetv1_model}, the face detector. */
    public static final String SSD_MOBILENET_V1 = io.imageworker.tasks.faces.SsdDecoder.NETWORK;
    /** The architectures known by name. */
    public static final List<String> ARCHITECTURES = List.of(LANDMARKS_68, EXPRESSIONS, SSD_MOBILENET_V1);
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
        if (SSD_MOBILENET_V1.equals(architecture)) {
            return ssd(weights);
        }
        Builder b = new Builder();
        b.input(INPUT_SIZE);
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

    /** The leftovers of the TF graph face-api's SSD manifest carries beside the weights: read past. */
    private static final java.util.regex.Pattern SSD_GRAPH_CONSTANTS = java.util.regex.Pattern.compile(
            "(Preprocessor|Postprocessor)/.*|concat_1/axis|Prediction/BoxPredictor_\\d+/(stack|stack_1|strided_slice)/.*");
    /** The manifest's anchors, [1, anchors, 4]: checked against the decoder's, not a layer's weight. */
    private static final String SSD_ANCHORS = "Output/extra_dim";
    /** face-api's {@code mobileNetV1.ts}: its batch norm's epsilon. */
    private static final double SSD_BN_EPSILON = 0.0010000000474974513;
    /** Anchors' largest difference from the decoder's that the import accepts (fractions of the input: 0.05 px; the manifest's are float32 sums, 4.1e-5 off). */
    static final double ANCHOR_TOLERANCE = 1e-4;

    /** face-api's {@code SsdMobilenetv1}, as the class comment describes it. */
    private static Network ssd(Map<String, Weight> weights) {
        Weight anchors = weights.get(SSD_ANCHORS);
        if (anchors == null) {
            throw new IllegalArgumentException("the manifest has no " + SSD_ANCHORS + " (the SSD's anchors); is it the manifest of"
                    + " face-api's ssd_mobilenetv1_model?");
        }
        float[] ours = io.imageworker.tasks.faces.SsdDecoder.anchors();
        if (anchors.values().length != ours.length) {
            throw new IllegalArgumentException(SSD_ANCHORS + " holds " + anchors.values().length / 4 + " anchors; the decoder has "
                    + ours.length / 4);
        }
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - anchors.values()[i]));
        }
        if (worst > ANCHOR_TOLERANCE) {
            throw new IllegalArgumentException(SSD_ANCHORS + " differs from the decoder's anchors by up to " + worst
                    + " of the input (accepted: " + ANCHOR_TOLERANCE + "): the model would be decoded against other anchors");
        }
        Builder b = new Builder();
        b.input(io.imageworker.tasks.faces.SsdDecoder.INPUT_SIZE);
        String x = b.ssdConv("MobilenetV1/Conv2d_0_pointwise", "input", 2, weights);
        String conv11 = null;
        for (int i = 1; i <= 13; i++) {
            String dw = "MobilenetV1/Conv2d_" + i + "_depthwise";
            ObjectNode d = b.layer("DepthwiseConv2D", dw, x);
            int stride = i == 2 || i == 4 || i == 6 || i == 12 ? 2 : 1;
            config(d).put("padding", "same").put("activation", "linear").put("use_bias", false).put("depth_multiplier", 1);
            config(d).set("kernel_size", ints(3, 3));
            config(d).set("strides", ints(stride, stride));
            config(b.layer("BatchNormalization", dw + "/BatchNorm", dw)).put("epsilon", SSD_BN_EPSILON);
            config(b.layer("ReLU", dw + "/relu6", dw + "/BatchNorm")).put("max_value", 6.0);
            x = b.ssdConv("MobilenetV1/Conv2d_" + i + "_pointwise", dw + "/relu6", 1, weights);
            if (i == 11) {
                conv11 = x;
            }
        }
        String[] features = new String[6];
        features[0] = conv11;
        features[1] = x;
        String p = x;
        for (int i = 0; i < 8; i++) {
            p = b.ssdConv("Prediction/Conv2d_" + i + "_pointwise", p, i % 2 == 1 ? 2 : 1, weights);
            if (i % 2 == 1) {
                features[2 + i / 2] = p;
            }
        }
        List<String> flat = new ArrayList<>();
        for (int i = 0; i < features.length; i++) {
            for (String head : List.of("BoxEncodingPredictor", "ClassPredictor")) {
                String name = "Prediction/BoxPredictor_" + i + "/" + head;
                ObjectNode conv = b.layer("Conv2D", name, features[i]);
                Builder.conv(conv, shape(weights, name + "/weights")[3], 1, "linear");
                config(conv).set("kernel_size", ints(1, 1));
                b.layer("Flatten", name + "/flat", name);
                flat.add(name + "/flat");
            }
        }
        config(b.layer("Concatenate", "output", flat.toArray(String[]::new))).put("axis", -1);
        Map<String, Weight> renamed = new LinkedHashMap<>();
        weights.forEach((name, w) -> {
            if (name.equals(SSD_ANCHORS) || SSD_GRAPH_CONSTANTS.matcher(name).matches()) {
                return;
            }
            String keras = name.replaceFirst("/depthwise_weights$", "/depthwise_kernel").replaceFirst("/weights$", "/kernel")
                    .replaceFirst("/(convolution_bn_offset|biases)$", "/bias");
            renamed.put(keras, new Weight(keras, w.shape(), w.values()));
        });
        return new Network(b.model(), renamed);
    }

    /**
     * The task options an imported {@code architecture}'s card starts with: for the SSD, face-api's
     * {@code locateFaces} defaults ({@code minScore} 0.5, its {@code minConfidence}; {@code nmsIou} 0.5,
     * its {@code iouThreshold}) under {@code given}; else {@code given} as it is.
     */
    public static Map<String, Object> options(String architecture, Map<String, Object> given) {
        if (!SSD_MOBILENET_V1.equals(architecture)) {
            return given;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(io.imageworker.tasks.faces.FacesTask.MIN_SCORE, 0.5);
        out.put(io.imageworker.tasks.faces.FacesTask.NMS_IOU, io.imageworker.tasks.faces.HardNms.DEFAULT_IOU);
        if (given != null) {
            out.putAll(given);
        }
        return out;
    }

    /**
     * The companions an imported {@code architecture}'s card names: for the SSD, face-api's own
     * landmark and expression models (version 1, as they ship); none for the others.
     */
    public static Map<String, String> companions(String architecture) {
        return SSD_MOBILENET_V1.equals(architecture)
                ? Map.of(FaceAttributes.LANDMARKS_ROLE, LANDMARKS_68 + ":1", FaceAttributes.EXPRESSIONS_ROLE, EXPRESSIONS + ":1")
                : null;
    }

    /**
     * The output names of {@code architecture}: the expression classes, {@code x1, y1 ... x68,
     * y68} (iBUG 300-W's 68-point markup, numbered from 1) for the landmarks, and for the SSD its one
     * class, {@code face} (its output is anchors' encodings, not one value per label).
     */
    public static List<String> labels(String architecture) {
        if (EXPRESSIONS.equals(architecture)) {
            return EXPRESSION_LABELS;
        }
        if (SSD_MOBILENET_V1.equals(architecture)) {
            return List.of("face");
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

        void input(int size) {
            ObjectNode l = F.objectNode().put("class_name", "InputLayer").put("name", "input");
            ArrayNode shape = l.putObject("config").put("name", "input").putArray("batch_input_shape");
            shape.addNull().add(size).add(size).add(3);
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

        /** face-api's {@code pointwiseConvLayer}: a "same" convolution (its kernel's size), bias, ReLU6. */
        String ssdConv(String name, String x, int stride, Map<String, Weight> weights) {
            int[] k = shape(weights, name + "/weights");
            ObjectNode c = layer("Conv2D", name, x);
            conv(c, k[3], stride, "relu6");
            config(c).set("kernel_size", ints(k[0], k[1]));
            return name;
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
