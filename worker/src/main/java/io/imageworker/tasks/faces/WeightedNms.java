package io.imageworker.tasks.faces;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * MediaPipe's weighted non-maximum suppression ({@code NonMaxSuppressionCalculator}, algorithm
 * {@code WEIGHTED}, as BlazeFace's graphs configure it): take the highest-scoring detection left,
 * gather every detection left whose IoU with it is above the threshold (itself included), replace
 * them by their score-weighted mean box and keypoints with the top detection's score, and repeat.
 * Averaging the overlapping anchors steadies the box; plain suppression would keep one anchor's box.
 */
public final class WeightedNms {

    /** MediaPipe's {@code min_suppression_threshold} for BlazeFace, and keijiro's {@code IOU_THRESHOLD}. */
    public static final double DEFAULT_IOU = 0.3;

    private WeightedNms() {}

    /**
     * Merges overlapping detections.
     *
     * @param detections any order, all in one coordinate frame
     * @param iouThreshold detections whose IoU with the current top one is above this are merged into it, in [0, 1]
     * @param maxResults most detections returned (the highest-scoring first), at least 1
     * @return merged detections, highest score first
     */
    public static List<FaceDetection> apply(List<FaceDetection> detections, double iouThreshold, int maxResults) {
        List<FaceDetection> remaining = new ArrayList<>(detections);
        remaining.sort(Comparator.comparingDouble(FaceDetection::score).reversed());
        List<FaceDetection> out = new ArrayList<>();
        while (!remaining.isEmpty() && out.size() < maxResults) {
            FaceDetection top = remaining.get(0);
            List<FaceDetection> rest = new ArrayList<>();
            double total = 0;
            double x0 = 0;
            double y0 = 0;
            double x1 = 0;
            double y1 = 0;
            double[] kp = new double[top.keypoints().length];
            for (FaceDetection d : remaining) {
                if (d == top || top.iou(d) > iouThreshold) {
                    double s = d.score();
                    total += s;
                    x0 += s * d.x();
                    y0 += s * d.y();
                    x1 += s * d.x1();
                    y1 += s * d.y1();
                    for (int k = 0; k < kp.length; k++) {
                        kp[k] += s * d.keypoints()[k];
                    }
                } else {
                    rest.add(d);
                }
            }
            if (total > 0) {
                for (int k = 0; k < kp.length; k++) {
                    kp[k] /= total;
                }
                out.add(new FaceDetection(x0 / total, y0 / total, (x1 - x0) / total, (y1 - y0) / total, kp, top.score()));
            } else { // every score 0: nothing to weigh by, keep the top one as it is
                out.add(top);
            }
            remaining = rest;
        }
        return out;
    }
}
