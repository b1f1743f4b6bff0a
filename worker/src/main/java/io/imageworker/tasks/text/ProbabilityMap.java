package io.imageworker.tasks.text;

/**
 * The text detector's output for one image: the probability that each pixel of the (resized)
 * detector input lies inside text.
 *
 * @param values {@code height * width} probabilities in [0, 1], row-major
 * @param height rows (the detector input's height)
 * @param width columns (the detector input's width)
 */
public record ProbabilityMap(float[] values, int height, int width) {

    /**
     * @throws IllegalArgumentException unless {@code values} holds {@code height * width} values
     */
    public ProbabilityMap {
        if (values.length != height * width) {
            throw new IllegalArgumentException(values.length + " values are not " + height + "x" + width);
        }
    }
}
