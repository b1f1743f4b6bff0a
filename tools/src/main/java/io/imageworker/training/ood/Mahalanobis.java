package io.imageworker.training.ood;

/**
 * Fits the class-conditional Gaussians with a shared covariance that the Mahalanobis score uses
 * (Lee et al., NeurIPS 2018): one mean per class and the inverse of the pooled within-class
 * covariance, in double precision.
 *
 * @param means {@code classes x dim}
 * @param precision {@code dim x dim}
 */
public record Mahalanobis(double[][] means, double[][] precision) {

    /**
     * Fits on {@code features} (rows) with class {@code labels}; {@code ridge} is added to the
     * covariance's diagonal so that dead (always-zero) features do not make it singular.
     */
    public static Mahalanobis fit(float[][] features, int[] labels, int classes, double ridge) {
        int dim = features[0].length;
        double[][] means = new double[classes][dim];
        int[] counts = new int[classes];
        for (int i = 0; i < features.length; i++) {
            counts[labels[i]]++;
            for (int d = 0; d < dim; d++) {
                means[labels[i]][d] += features[i][d];
            }
        }
        for (int c = 0; c < classes; c++) {
            for (int d = 0; d < dim; d++) {
                means[c][d] /= Math.max(1, counts[c]);
            }
        }
        double[][] cov = new double[dim][dim];
        double[] x = new double[dim];
        for (int i = 0; i < features.length; i++) {
            double[] mu = means[labels[i]];
            for (int d = 0; d < dim; d++) {
                x[d] = features[i][d] - mu[d];
            }
            for (int a = 0; a < dim; a++) {
                double xa = x[a];
                double[] row = cov[a];
                for (int b = a; b < dim; b++) {
                    row[b] += xa * x[b];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                cov[a][b] /= features.length;
                cov[b][a] = cov[a][b];
            }
            cov[a][a] += ridge;
        }
        return new Mahalanobis(means, invert(cov));
    }

    /** Gauss-Jordan inverse with partial pivoting. */
    static double[][] invert(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, a[i], 0, n);
            a[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            double p = a[col][col];
            if (Math.abs(p) < 1e-300) {
                throw new IllegalArgumentException("singular covariance");
            }
            for (int j = 0; j < 2 * n; j++) {
                a[col][j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col && a[r][col] != 0) {
                    double f = a[r][col];
                    for (int j = 0; j < 2 * n; j++) {
                        a[r][j] -= f * a[col][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], n, inv[i], 0, n);
        }
        return inv;
    }
}
