package io.imageworker.tasks.faces;

import java.util.List;

/**
 * What face-api's SSD-MobileNetV1 returns for one image, copied off the engine: its one flat output
 * ({@link SsdDecoder#VALUES} values, laid out as {@link SsdDecoder} says). Decoded by {@link
 * SsdDecoder#decode}, merged by {@link HardNms} as face-api's {@code locateFaces} does.
 *
 * @param values the network's output for the image
 */
public record SsdOutput(float[] values) implements FaceDetectorOutput {

    /**
     * Checks the length.
     *
     * @throws IllegalArgumentException when it is not {@link SsdDecoder#VALUES}
     */
    public SsdOutput {
        if (values.length != SsdDecoder.VALUES) {
            throw new IllegalArgumentException("SSD output of " + values.length + " values; expected " + SsdDecoder.VALUES);
        }
    }

    @Override
    public List<FaceDetection> decode(double minScore) {
        return SsdDecoder.decode(this, minScore);
    }

    @Override
    public List<FaceDetection> merge(List<FaceDetection> detections, double iou, int maxResults) {
        return HardNms.apply(detections, iou, maxResults);
    }
}
