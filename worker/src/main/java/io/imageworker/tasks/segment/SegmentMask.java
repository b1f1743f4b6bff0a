package io.imageworker.tasks.segment;

/**
 * A segmentation result at the model's resolution: the class of every pixel (row-major; 0 is
 * background for the built-in models, see the card's labels) and the class count.
 *
 * @param width pixels per row
 * @param height rows
 * @param classes number of classes the model knows
 * @param classIndex {@code width * height} class ids in {@code [0, classes)}
 */
public record SegmentMask(int width, int height, int classes, int[] classIndex) {

    /**
     * Checks that {@code classIndex} holds exactly {@code width * height} values (their range is
     * not checked).
     *
     * @throws IllegalArgumentException otherwise
     */
    public SegmentMask {
        if (classIndex.length != width * height) {
            throw new IllegalArgumentException("mask of " + classIndex.length + " pixels is not " + width + "x" + height);
        }
    }

    /** Class of pixel (x, y). */
    public int at(int x, int y) {
        return classIndex[y * width + x];
    }

    /** Fraction of the pixels in each class; sums to 1. */
    public double[] fractions() {
        double[] out = new double[classes];
        for (int c : classIndex) {
            out[c]++;
        }
        for (int c = 0; c < classes; c++) {
            out[c] /= classIndex.length;
        }
        return out;
    }
}
