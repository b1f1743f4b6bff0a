package io.imageworker.inference.ood;

/**
 * Squared Mahalanobis distance of a feature vector to the nearest class mean (Lee et al., "A Simple
 * Unified Framework for Detecting Out-of-Distribution Samples and Adversarial Attacks", NeurIPS
 * 2018): class means and one covariance shared by all classes, fitted on training features;
 * {@code min_c (f - mu_c)^T P (f - mu_c)}.
 *
 * <p>Expanded as {@code f^T S f - 2 f^T (S mu_c) + mu_c^T S mu_c} with {@code S = (P + P^T) / 2} (the
 * quadratic form only sees P's symmetric part), the class terms are computed once here, so one input
 * costs one {@code dim x dim} matrix-vector product instead of one per class.
 */
public final class MahalanobisDistance {

    private final double[][] symmetric;
    /** {@code S mu_c}, {@code classes x dim}. */
    private final double[][] weightedMeans;
    /** {@code mu_c^T S mu_c}, per class. */
    private final double[] meanTerms;

    /**
     * @param means {@code classes x dim}
     * @param precision {@code dim x dim}, the inverse of the shared covariance
     * @throws IllegalArgumentException when the shapes disagree
     */
    public MahalanobisDistance(double[][] means, double[][] precision) {
        int dim = precision.length;
        symmetric = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            if (precision[i].length != dim) {
                throw new IllegalArgumentException("precision matrix is not square (" + dim + " rows, row " + i + " has "
                        + precision[i].length + ")");
            }
            for (int j = 0; j < dim; j++) {
                symmetric[i][j] = (precision[i][j] + precision[j][i]) / 2;
            }
        }
        weightedMeans = new double[means.length][];
        meanTerms = new double[means.length];
        for (int c = 0; c < means.length; c++) {
            if (means[c].length != dim) {
                throw new IllegalArgumentException("class mean " + c + " has " + means[c].length + " values, not " + dim);
            }
            weightedMeans[c] = times(means[c]);
            meanTerms[c] = dot(means[c], weightedMeans[c]);
        }
    }

    /** Feature width, {@code dim}. */
    public int dim() {
        return symmetric.length;
    }

    /** Number of classes. */
    public int classes() {
        return meanTerms.length;
    }

    /**
     * The squared distance of {@code f} to the nearest class mean.
     *
     * @param f features, {@link #dim()} values
     * @throws IllegalArgumentException when {@code f} has another width
     */
    public double nearest(float[] f) {
        if (f.length != symmetric.length) {
            throw new IllegalArgumentException("features have " + f.length + " values, the detector " + symmetric.length);
        }
        double[] x = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            x[i] = f[i];
        }
        double own = quadratic(x);
        double best = Double.POSITIVE_INFINITY;
        for (int c = 0; c < meanTerms.length; c++) {
            best = Math.min(best, own - 2 * dot(x, weightedMeans[c]) + meanTerms[c]);
        }
        return best;
    }

    /**
     * {@code x^T S x} over S's upper triangle (S is symmetric: half the products of {@code S x}),
     * each row's sum split over four independent accumulators. A serving hot spot: about 8% of the
     * classify worker's Java samples went to this form at 140 features (bench --profile).
     */
    private double quadratic(double[] x) {
        int n = x.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[] row = symmetric[i];
            // the row's part right of the diagonal, plus half the diagonal: doubled below
            double a0 = 0.5 * row[i] * x[i];
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            int j = i + 1;
            for (; j + 3 < n; j += 4) {
                a0 += row[j] * x[j];
                a1 += row[j + 1] * x[j + 1];
                a2 += row[j + 2] * x[j + 2];
                a3 += row[j + 3] * x[j + 3];
            }
            for (; j < n; j++) {
                a0 += row[j] * x[j];
            }
            sum += 2 * x[i] * ((a0 + a1) + (a2 + a3));
        }
        return sum;
    }

    private double[] times(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = dot(symmetric[i], v);
        }
        return out;
    }

    /**
     * Over four independent accumulators: the JIT keeps floating-point sums in program order, so one
     * accumulator makes every multiply-add wait for the previous addition.
     */
    private static double dot(double[] a, double[] b) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
