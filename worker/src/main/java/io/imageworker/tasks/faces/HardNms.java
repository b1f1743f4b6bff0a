package io.imageworker.tasks.faces;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-maximum suppression, as face-api's SSD ({@code ssdMobilenetv1/nonMaxSuppression.ts})
 * and TF's {@code non_max_suppression} do it: in order of score, keep a detection unless its IoU with
 * one already kept is above the threshold. The kept box is one anchor's box, unlike {@link WeightedNms}.
 */
public final class HardNms {

    /** face-api's {@code locateFaces}: {@code iouThreshold = 0.5}. */
    public static final double DEFAULT_IOU = 0.5;

    private HardNms() {}

    /**
     * The detections that survive.
     *
     * @param detections any order, one coordinate frame
     * @param iouThreshold a detection overlapping a kept one by more than this is dropped, in [0, 1]
     * @param maxResults most kept, at least 1
     * @return kept detections, highest score first
     */
    public static List<FaceDetection> apply(List<FaceDetection> detections, double iouThreshold, int maxResults) {
        List<FaceDetection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(FaceDetection::score).reversed());
        List<FaceDetection> kept = new ArrayList<>();
        for (FaceDetection d : sorted) {
            if (kept.size() >= maxResults) {
                break;
            }
            if (kept.stream().noneMatch(k -> k.iou(d) > iouThreshold)) {
                kept.add(d);
            }
        }
        return kept;
    }
}
