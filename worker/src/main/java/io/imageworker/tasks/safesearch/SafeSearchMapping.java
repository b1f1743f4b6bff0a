package io.imageworker.tasks.safesearch;

import io.imageworker.tasks.Likelihood;
import java.util.List;

/**
 * From an NSFW classifier's class probabilities (nsfwjs's {@code drawing}, {@code hentai},
 * {@code neutral}, {@code porn}, {@code sexy}) to Cloud Vision's SafeSearch likelihoods.
 *
 * <p>Scores: {@code adult = P(porn) + P(hentai)} (sexual content, photographed or drawn);
 * {@code racy = P(sexy) + P(porn) + P(hentai)} (what is adult is also racy, as in Cloud Vision,
 * where racy covers suggestive content short of adult). Likelihood: a score below the first
 * threshold is {@code VERY_UNLIKELY}, below the second {@code UNLIKELY}, below the third
 * {@code POSSIBLE}, below the fourth {@code LIKELY}, else {@code VERY_LIKELY}. The default
 * thresholds 0.05, 0.2, 0.5 and 0.8 put a class the model gives even odds at {@code LIKELY}.
 *
 * @param adultIndices the indices of the adult classes (porn, hentai) in the model's output
 * @param racyIndices the indices of the racy classes (sexy, porn, hentai)
 * @param thresholds four increasing cuts in (0, 1]
 */
public record SafeSearchMapping(int[] adultIndices, int[] racyIndices, double[] thresholds) {

    /** The default cuts between the five likelihoods ({@link Likelihood#DEFAULT_THRESHOLDS}). */
    public static final double[] DEFAULT_THRESHOLDS = Likelihood.DEFAULT_THRESHOLDS;

    /** The classes whose probabilities add up to the adult score. */
    public static final List<String> ADULT = List.of("porn", "hentai");

    /** The classes whose probabilities add up to the racy score. */
    public static final List<String> RACY = List.of("sexy", "porn", "hentai");

    /**
     * The mapping for a model with {@code labels}.
     *
     * @throws IllegalArgumentException when a label of {@link #RACY} is missing, or the thresholds
     *     are not four increasing numbers in (0, 1]
     */
    public static SafeSearchMapping of(List<String> labels, double[] thresholds) {
        checkThresholds(thresholds);
        return new SafeSearchMapping(indices(labels, ADULT), indices(labels, RACY), thresholds.clone());
    }

    /** @throws IllegalArgumentException unless four increasing numbers in (0, 1] */
    public static void checkThresholds(double[] t) {
        if (t == null || t.length != 4) {
            throw new IllegalArgumentException("thresholds are four numbers (the cuts between the five likelihoods)");
        }
        for (int i = 0; i < 4; i++) {
            if (!(t[i] > 0 && t[i] <= 1) || (i > 0 && t[i] <= t[i - 1])) {
                throw new IllegalArgumentException("thresholds must increase strictly within (0, 1]: "
                        + java.util.Arrays.toString(t));
            }
        }
    }

    private static int[] indices(List<String> labels, List<String> wanted) {
        int[] idx = new int[wanted.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = labels.indexOf(wanted.get(i));
            if (idx[i] < 0) {
                throw new IllegalArgumentException("the model has no class '" + wanted.get(i) + "' (its classes: " + labels
                        + "); safe-search needs " + RACY);
            }
        }
        return idx;
    }

    /** The adult score of {@code probabilities}, in [0, 1]. */
    public double adult(float[] probabilities) {
        return sum(probabilities, adultIndices);
    }

    /** The racy score of {@code probabilities}, in [0, 1]. */
    public double racy(float[] probabilities) {
        return sum(probabilities, racyIndices);
    }

    /** The likelihood of a score. */
    public Likelihood likelihood(double score) {
        return Likelihood.of(score, thresholds);
    }

    private static double sum(float[] p, int[] idx) {
        double s = 0;
        for (int i : idx) {
            s += p[i];
        }
        return Math.min(1, Math.max(0, s));
    }
}
