package io.imageworker.tasks.faces;

import java.util.List;

/**
 * One face: a box, MediaPipe's six keypoints and a score. Coordinates are in one frame, said by
 * whoever makes it: normalised [0, 1] of the model input straight out of {@link BlazeFaceDecoder},
 * input pixels (x right, y down, origin at the image's top-left corner) once {@link Letterbox#toImage}
 * has mapped it back.
 *
 * @param x left edge of the box
 * @param y top edge of the box
 * @param width box width
 * @param height box height
 * @param keypoints {@link #KEYPOINTS}{@code .size() * 2} values: x then y of each keypoint, in the order
 *     of {@link #KEYPOINTS}; or none ({@link #NO_KEYPOINTS}) from a detector without keypoints (the SSD)
 * @param score probability that the box holds a face, in [0, 1] (sigmoid of the model's logit)
 */
public record FaceDetection(double x, double y, double width, double height, double[] keypoints, double score) {

    /**
     * Keypoint names in the model's output order, as MediaPipe's {@code FaceKeyPoint} enum
     * ({@code mediapipe/python/solutions/face_detection.py}) names them. "Right" is the person's right:
     * in an unmirrored frontal photo the right eye is on the image's left.
     */
    public static final List<String> KEYPOINTS = List.of("RIGHT_EYE", "LEFT_EYE", "NOSE_TIP", "MOUTH_CENTER",
            "RIGHT_EAR_TRAGION", "LEFT_EAR_TRAGION");

    /** The keypoints of a detection whose detector finds none. */
    public static final double[] NO_KEYPOINTS = new double[0];

    /**
     * Checks that there are two values per keypoint, or none.
     *
     * @throws IllegalArgumentException otherwise
     */
    public FaceDetection {
        if (keypoints.length != 2 * KEYPOINTS.size() && keypoints.length != 0) {
            throw new IllegalArgumentException(keypoints.length + " keypoint values, not " + 2 * KEYPOINTS.size());
        }
    }

    /** Whether the detector gave keypoints (BlazeFace does, the SSD does not). */
    public boolean hasKeypoints() {
        return keypoints.length != 0;
    }

    /** Right edge: {@code x + width}. */
    public double x1() {
        return x + width;
    }

    /** Bottom edge: {@code y + height}. */
    public double y1() {
        return y + height;
    }

    /** X of keypoint {@code k} (index into {@link #KEYPOINTS}). */
    public double keypointX(int k) {
        return keypoints[2 * k];
    }

    /** Y of keypoint {@code k} (index into {@link #KEYPOINTS}). */
    public double keypointY(int k) {
        return keypoints[2 * k + 1];
    }

    /**
     * Intersection over union of the two boxes (areas as real numbers, not pixel counts); 0 when the
     * union is empty.
     */
    public double iou(FaceDetection o) {
        double iw = Math.min(x1(), o.x1()) - Math.max(x, o.x);
        double ih = Math.min(y1(), o.y1()) - Math.max(y, o.y);
        double inter = iw > 0 && ih > 0 ? iw * ih : 0;
        double union = width * height + o.width * o.height - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
