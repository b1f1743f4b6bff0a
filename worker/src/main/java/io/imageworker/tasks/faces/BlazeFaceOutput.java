package io.imageworker.tasks.faces;

/**
 * What BlazeFace returns for one image, as plain arrays copied off the engine: one score logit and
 * 16 box values per anchor, the 512 anchors of the 16x16 grid first, then the 384 of the 8x8 grid
 * (see {@link BlazeFaceDecoder#LAYERS}). Decode with {@link BlazeFaceDecoder#decode}.
 *
 * @param logits {@link BlazeFaceDecoder#ANCHORS} score logits (graph outputs {@code Identity:0} then {@code Identity_1:0})
 * @param boxes {@link BlazeFaceDecoder#ANCHORS} x 16 values, anchor-major: box offset x, y, box
 *     width, height, then x, y of each of the six keypoints, in model-input pixels relative to the
 *     anchor's centre (graph outputs {@code Identity_2:0} then {@code Identity_3:0})
 * @param inputSize side of the square model input in pixels (256 for the back model, 128 for the front)
 */
public record BlazeFaceOutput(float[] logits, float[] boxes, int inputSize) implements FaceDetectorOutput {

    /**
     * Checks the array lengths against the anchor count.
     *
     * @throws IllegalArgumentException when they do not match
     */
    public BlazeFaceOutput {
        if (logits.length != BlazeFaceDecoder.ANCHORS || boxes.length != BlazeFaceDecoder.ANCHORS * BlazeFaceDecoder.VALUES) {
            throw new IllegalArgumentException("BlazeFace output of " + logits.length + " scores and " + boxes.length
                    + " box values; expected " + BlazeFaceDecoder.ANCHORS + " and " + BlazeFaceDecoder.ANCHORS * BlazeFaceDecoder.VALUES);
        }
    }

    @Override
    public java.util.List<FaceDetection> decode(double minScore) {
        return BlazeFaceDecoder.decode(this, minScore);
    }

    @Override
    public java.util.List<FaceDetection> merge(java.util.List<FaceDetection> detections, double iou, int maxResults) {
        return WeightedNms.apply(detections, iou, maxResults);
    }
}
