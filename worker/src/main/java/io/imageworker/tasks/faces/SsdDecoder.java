package io.imageworker.tasks.faces;

import java.util.ArrayList;
import java.util.List;

/**
 * face-api's SSD-MobileNetV1 face detector ({@code @vladmandic/face-api} 1.7.15, {@code
 * ssdMobilenetv1/outputLayer.ts}), decoded in plain Java.
 *
 * <p>Layout of the imported network's one output (see {@code FaceApiTopology}): for each of the six
 * feature maps in {@link #LAYERS} order, its box encodings ({@code cells x cells x anchorsPerCell x
 * 4}: ty, tx, th, tw) then its class logits ({@code cells x cells x anchorsPerCell x 3}:
 * background, face, unused), each row-major over the cells with the anchors of one cell adjacent.
 *
 * <p>Anchors are those of the TF Object Detection API's {@code multiple_grid_anchor_generator}
 * ({@code create_ssd_anchors} with its defaults, which face-api's {@code Output/extra_dim} holds):
 * scales {@code 0.2 + (0.95 - 0.2) * i / 5} for the six maps; on the first map (reduced) scale 0.1
 * at aspect ratio 1 and scale 0.2 at 2 and 1/2; on the others the map's scale at 1, the geometric
 * mean of it and the next map's scale (1.0 after the last) at 1, then the map's scale at 2, 1/2, 3
 * and 1/3; an anchor of scale s and aspect ratio a is {@code s * sqrt(a)} wide and {@code s /
 * sqrt(a)} high, centred at {@code ((col + 0.5) / cells, (row + 0.5) / cells)}. Box decoding is
 * faster R-CNN's with scale factors 10, 10, 5, 5; the score is the sigmoid of the face logit.
 */
public final class SsdDecoder {

    /** Architecture option {@code network} of face-api's {@code ssd_mobilenetv1_model} imported. */
    public static final String NETWORK = "face-api-ssd-mobilenetv1";
    /** Input side, pixels ({@code SsdMobilenetv1.forwardInput}: {@code toBatchTensor(512)}). */
    public static final int INPUT_SIZE = 512;
    /** The feature maps in output order: 32 x 32 cells with 3 anchors, then 16, 8, 4, 2, 1 with 6. */
    public static final List<BlazeFaceDecoder.Layer> LAYERS = List.of(new BlazeFaceDecoder.Layer(32, 3),
            new BlazeFaceDecoder.Layer(16, 6), new BlazeFaceDecoder.Layer(8, 6), new BlazeFaceDecoder.Layer(4, 6),
            new BlazeFaceDecoder.Layer(2, 6), new BlazeFaceDecoder.Layer(1, 6));
    /** Anchors over all maps: 5,118. */
    public static final int ANCHORS = LAYERS.stream().mapToInt(BlazeFaceDecoder.Layer::anchors).sum();
    /** Class logits per anchor (background, face, and one face-api slices off unused). */
    public static final int CLASSES = 3;
    /** Values in the output: 4 encodings and 3 logits per anchor, 35,826. */
    public static final int VALUES = ANCHORS * (4 + CLASSES);

    private static final float[] ANCHOR_BOXES = generate();

    private SsdDecoder() {}

    /** Whether {@code card}'s model is face-api's SSD imported (architecture option {@code network} {@value #NETWORK}). */
    public static boolean decodes(io.imageworker.models.ModelCard card) {
        return NETWORK.equals(FaceAttributes.network(card));
    }

    /**
     * The anchors as the class comment defines them, in output order.
     *
     * @return {@link #ANCHORS} x 4 values: ymin, xmin, ymax, xmax of each, fractions of the input
     */
    public static float[] anchors() {
        return ANCHOR_BOXES.clone();
    }

    private static float[] generate() {
        int maps = LAYERS.size();
        double[] scales = new double[maps + 1];
        for (int i = 0; i < maps; i++) {
            scales[i] = 0.2 + (0.95 - 0.2) * i / (maps - 1);
        }
        scales[maps] = 1.0;
        float[] out = new float[4 * ANCHORS];
        int n = 0;
        for (int l = 0; l < maps; l++) {
            BlazeFaceDecoder.Layer layer = LAYERS.get(l);
            double[][] shapes; // {scale, aspect ratio} of the anchors of one cell, in order
            if (l == 0) {
                shapes = new double[][] {{0.1, 1}, {scales[0], 2}, {scales[0], 0.5}};
            } else {
                double s = scales[l];
                shapes = new double[][] {{s, 1}, {Math.sqrt(s * scales[l + 1]), 1}, {s, 2}, {s, 0.5}, {s, 3}, {s, 1.0 / 3}};
            }
            if (shapes.length != layer.anchorsPerCell()) {
                throw new IllegalStateException("anchor shapes of map " + l);
            }
            for (int row = 0; row < layer.cells(); row++) {
                for (int col = 0; col < layer.cells(); col++) {
                    double cy = (row + 0.5) / layer.cells();
                    double cx = (col + 0.5) / layer.cells();
                    for (double[] sa : shapes) {
                        double h = sa[0] / Math.sqrt(sa[1]);
                        double w = sa[0] * Math.sqrt(sa[1]);
                        out[n++] = (float) (cy - h / 2);
                        out[n++] = (float) (cx - w / 2);
                        out[n++] = (float) (cy + h / 2);
                        out[n++] = (float) (cx + w / 2);
                    }
                }
            }
        }
        return out;
    }

    /** The score of a face logit: its sigmoid. */
    public static double score(float logit) {
        return 1 / (1 + Math.exp(-logit));
    }

    /**
     * Every anchor whose score is at least {@code minScore}, as a detection in normalised
     * coordinates of the square input, with no keypoints (the SSD has none).
     *
     * @param out the network's output
     * @param minScore lowest score kept, in [0, 1]
     * @return detections in anchor order, overlapping ones included (merge with {@link HardNms})
     */
    public static List<FaceDetection> decode(SsdOutput out, double minScore) {
        List<FaceDetection> found = new ArrayList<>();
        float[] v = out.values();
        int offset = 0;
        int anchor = 0;
        for (BlazeFaceDecoder.Layer layer : LAYERS) {
            int n = layer.anchors();
            int boxes = offset;
            int logits = offset + 4 * n;
            for (int i = 0; i < n; i++, anchor++) {
                double score = score(v[logits + CLASSES * i + 1]);
                if (score < minScore) {
                    continue;
                }
                int a = 4 * anchor;
                double ah = ANCHOR_BOXES[a + 2] - ANCHOR_BOXES[a];
                double aw = ANCHOR_BOXES[a + 3] - ANCHOR_BOXES[a + 1];
                double cy = ANCHOR_BOXES[a] + ah / 2 + v[boxes + 4 * i] / 10.0 * ah;
                double cx = ANCHOR_BOXES[a + 1] + aw / 2 + v[boxes + 4 * i + 1] / 10.0 * aw;
                double h = Math.exp(v[boxes + 4 * i + 2] / 5.0) * ah;
                double w = Math.exp(v[boxes + 4 * i + 3] / 5.0) * aw;
                found.add(new FaceDetection(cx - w / 2, cy - h / 2, w, h, FaceDetection.NO_KEYPOINTS, score));
            }
            offset += (4 + CLASSES) * n;
        }
        return found;
    }
}
