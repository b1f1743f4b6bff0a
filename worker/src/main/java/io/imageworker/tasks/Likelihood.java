package io.imageworker.tasks;

/**
 * Cloud Vision's likelihood scale, least likely first, and the cut of a probability into it. The
 * tasks that answer in likelihoods (safe-search, faces' expressions) share the scale and the default
 * cuts.
 */
public enum Likelihood {
    VERY_UNLIKELY, UNLIKELY, POSSIBLE, LIKELY, VERY_LIKELY;

    /** The default cuts between the five likelihoods: a score from 0.05 is UNLIKELY, 0.2 POSSIBLE, 0.5 LIKELY, 0.8 VERY_LIKELY. */
    public static final double[] DEFAULT_THRESHOLDS = {0.05, 0.2, 0.5, 0.8};

    /**
     * The likelihood of {@code score} (0..1): the number of {@code thresholds} (four increasing cuts)
     * it reaches.
     */
    public static Likelihood of(double score, double[] thresholds) {
        int i = 0;
        while (i < thresholds.length && score >= thresholds[i]) {
            i++;
        }
        return values()[i];
    }
}
