package io.imageworker.inference.ood;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A linear probe on the classifier's penultimate features that gives the log-odds that an input is
 * not a digit: {@code bias + sum_j weights_j (f_j - mean_j) scale_j}. Fitted by logistic regression
 * on digits and on a tuning set of non-digits (outlier exposure; see
 * {@code training.ood.LogisticProbe}); it tells letters and shapes drawn like digits from digits,
 * which the Mahalanobis distance to MNIST's class means alone does not.
 *
 * @param mean per feature, subtracted first
 * @param scale per feature, multiplied next (1 / standard deviation)
 * @param weights per feature
 * @param bias added to the weighted sum
 */
public record FeatureProbe(double[] mean, double[] scale, double[] weights, double bias) {

    /**
     * @throws IllegalArgumentException when the three vectors differ in length
     */
    public FeatureProbe {
        if (mean.length != weights.length || scale.length != weights.length) {
            throw new IllegalArgumentException("probe vectors of lengths " + mean.length + ", " + scale.length + " and "
                    + weights.length);
        }
    }

    /** Feature width. */
    public int dim() {
        return weights.length;
    }

    /**
     * The log-odds that {@code f} is not a digit (higher: less like a digit).
     *
     * @throws IllegalArgumentException when {@code f} has another width
     */
    public double logit(float[] f) {
        if (f.length != weights.length) {
            throw new IllegalArgumentException("features have " + f.length + " values, the probe " + weights.length);
        }
        double z = bias;
        for (int j = 0; j < weights.length; j++) {
            z += weights[j] * (f[j] - mean[j]) * scale[j];
        }
        return z;
    }

    /** Writes the probe: int dim, then mean, scale and weights as float64, then the bias. */
    public void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(weights.length);
            for (double[] v : new double[][] {mean, scale, weights}) {
                for (double x : v) {
                    out.writeDouble(x);
                }
            }
            out.writeDouble(bias);
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IOException when the file is missing, short or malformed
     */
    public static FeatureProbe read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int dim = in.readInt();
            if (dim <= 0 || dim > 10_000) {
                throw new IOException("malformed OOD probe in " + file);
            }
            double[][] v = new double[3][dim];
            for (double[] row : v) {
                for (int j = 0; j < dim; j++) {
                    row[j] = in.readDouble();
                }
            }
            return new FeatureProbe(v[0], v[1], v[2], in.readDouble());
        } catch (java.io.EOFException e) {
            throw new IOException("OOD probe file " + file + " is cut short", e);
        }
    }
}
