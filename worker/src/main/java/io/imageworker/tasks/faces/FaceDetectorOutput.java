package io.imageworker.tasks.faces;

import java.util.List;

/**
 * One view's raw output of a face detector, copied off the engine, and how that detector's
 * detections are decoded and merged. Two detectors serve task {@code faces}: MediaPipe's BlazeFace
 * ({@link BlazeFaceOutput}: weighted NMS, six keypoints) and face-api's SSD-MobileNetV1
 * ({@link SsdOutput}: plain NMS, no keypoints).
 */
public sealed interface FaceDetectorOutput permits BlazeFaceOutput, SsdOutput {

    /**
     * Every anchor scored at least {@code minScore}, as detections in normalised coordinates of the
     * square model input (0 = left or top edge, 1 = right or bottom edge), overlapping ones included.
     *
     * @param minScore lowest score kept, in [0, 1]
     */
    List<FaceDetection> decode(double minScore);

    /**
     * The detections of one photo merged the way this detector's authors merge them.
     *
     * @param detections any order, one coordinate frame
     * @param iou the overlap above which two detections are one face, in [0, 1]
     * @param maxResults most returned, at least 1
     * @return highest score first
     */
    List<FaceDetection> merge(List<FaceDetection> detections, double iou, int maxResults);
}
