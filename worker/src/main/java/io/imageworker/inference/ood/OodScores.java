package io.imageworker.inference.ood;

/**
 * Out-of-distribution scores of one classifier output; each is larger for inputs less like the
 * training data. Pure Java on the logits and penultimate features the translator returns.
 */
public final class OodScores {

    private OodScores() {}

    /**
     * Maximum-softmax-probability baseline (Hendrycks and Gimpel, ICLR 2017): {@code 1 - max softmax}.
     *
     * @param logits the network's outputs before softmax
     * @return a score in [0, 1)
     */
    public static double oneMinusMaxSoftmax(float[] logits) {
        double lse = logSumExp(logits);
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        return 1 - Math.exp(max - lse);
    }

    /**
     * Free energy (Liu et al., "Energy-based Out-of-distribution Detection", NeurIPS 2020) at
     * temperature 1: {@code -logsumexp(logits)}.
     */
    public static double energy(float[] logits) {
        return -logSumExp(logits);
    }

    /** {@code log(sum(exp(z)))}, computed stably. */
    public static double logSumExp(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (float v : z) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }
}
