package io.imageworker.training.generate;

import java.util.List;

/**
 * The Inception Score with the project's classifier in Inception's place:
 * {@code exp(E_x KL(p(y|x) || p(y)))}, over the whole set in one split. It is high (at most the
 * number of classes) when each image is classified confidently and the classes are balanced.
 */
public final class InceptionScore {

    private InceptionScore() {}

    /**
     * The score of a set of images from their class probabilities (Salimans et al. 2016, "Improved
     * Techniques for Training GANs"), in [1, k] for k classes.
     *
     * @param probabilities one row per image, each of the same length k and summing to 1
     *     (softmax output)
     * @throws IllegalArgumentException when the list is empty
     */
    public static double of(List<float[]> probabilities) {
        if (probabilities.isEmpty()) {
            throw new IllegalArgumentException("no probabilities");
        }
        int k = probabilities.get(0).length;
        double[] marginal = new double[k];
        for (float[] p : probabilities) {
            for (int c = 0; c < k; c++) {
                marginal[c] += p[c];
            }
        }
        for (int c = 0; c < k; c++) {
            marginal[c] /= probabilities.size();
        }
        double kl = 0;
        for (float[] p : probabilities) {
            for (int c = 0; c < k; c++) {
                if (p[c] > 0) {
                    kl += p[c] * (Math.log(p[c]) - Math.log(marginal[c]));
                }
            }
        }
        return Math.exp(kl / probabilities.size());
    }
}
