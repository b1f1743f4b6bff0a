package io.imageworker.training.ood;

import io.imageworker.inference.ood.FeatureProbe;

/**
 * Fits a logistic regression on the classifier's penultimate features that tells non-digits from digits
 * (outlier exposure: Hendrycks et al., "Deep Anomaly Detection with Outlier Exposure", ICLR 2019,
 * with a linear head instead of fine-tuning): fitted on digits and on a tuning set of non-digits
 * that shares no seed, font or photo with the evaluation set. Inputs are standardised with the
 * digits' and non-digits' pooled mean and deviation; the two classes weigh equally whatever their
 * counts; L2 penalty; full-batch gradient descent with a fixed step, deterministic. The result is
 * the {@link FeatureProbe} the worker applies.
 */
public final class LogisticProbe {

    private LogisticProbe() {}

    /** Steps of gradient descent. */
    static final int STEPS = 400;
    /** Step size on standardised features. */
    static final double RATE = 0.5;
    /** L2 penalty on the weights. */
    static final double L2 = 1e-3;

    /**
     * Fits the probe.
     *
     * @param digits features of digits (label 0)
     * @param others features of non-digits (label 1)
     * @throws IllegalArgumentException when a side is empty or widths differ
     */
    public static FeatureProbe fit(float[][] digits, float[][] others) {
        if (digits.length == 0 || others.length == 0) {
            throw new IllegalArgumentException("a probe needs digits and non-digits");
        }
        int dim = digits[0].length;
        int n = digits.length + others.length;
        double[] mean = new double[dim];
        double[] sq = new double[dim];
        for (float[][] set : new float[][][] {digits, others}) {
            for (float[] f : set) {
                if (f.length != dim) {
                    throw new IllegalArgumentException("features of width " + f.length + " and " + dim);
                }
                for (int j = 0; j < dim; j++) {
                    mean[j] += f[j];
                    sq[j] += (double) f[j] * f[j];
                }
            }
        }
        double[] scale = new double[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] /= n;
            double var = sq[j] / n - mean[j] * mean[j];
            scale[j] = 1 / Math.sqrt(Math.max(var, 0) + 1e-6);
        }
        double[][] x = new double[n][];
        double[] y = new double[n];
        double[] weight = new double[n];
        int k = 0;
        for (float[] f : digits) {
            x[k] = standardise(f, mean, scale);
            weight[k++] = 0.5 / digits.length;
        }
        for (float[] f : others) {
            x[k] = standardise(f, mean, scale);
            y[k] = 1;
            weight[k++] = 0.5 / others.length;
        }
        double[] w = new double[dim];
        double b = 0;
        double[] grad = new double[dim];
        for (int step = 0; step < STEPS; step++) {
            java.util.Arrays.fill(grad, 0);
            double gb = 0;
            for (int i = 0; i < n; i++) {
                double z = b;
                for (int j = 0; j < dim; j++) {
                    z += w[j] * x[i][j];
                }
                double err = (sigmoid(z) - y[i]) * weight[i];
                gb += err;
                for (int j = 0; j < dim; j++) {
                    grad[j] += err * x[i][j];
                }
            }
            for (int j = 0; j < dim; j++) {
                w[j] -= RATE * (grad[j] + L2 * w[j]);
            }
            b -= RATE * gb;
        }
        return new FeatureProbe(mean, scale, w, b);
    }

    private static double[] standardise(float[] f, double[] mean, double[] scale) {
        double[] out = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            out[j] = (f[j] - mean[j]) * scale[j];
        }
        return out;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
