package io.imageworker.tasks.generate;

/**
 * A generated grayscale image.
 *
 * @param pixels {@code width * height} values in [0, 1], row-major, light ink on a dark background
 * @param width pixels per row
 * @param height rows
 */
public record GeneratedImage(float[] pixels, int width, int height) {

    /**
     * Checks that {@code pixels} holds exactly {@code width * height} values.
     *
     * @throws IllegalArgumentException otherwise
     */
    public GeneratedImage {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("image of " + pixels.length + " pixels is not " + width + "x" + height);
        }
    }
}
