package io.imageworker.training.generate;

/**
 * Mean and covariance of feature vectors, accumulated row by row in double precision, and the
 * Frechet distance between two such Gaussians:
 * {@code |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2)} (the FID formula, here on the
 * project's classifier's penultimate features instead of Inception's).
 */
public final class FeatureStats {

    private final int dim;
    private final double[] sum;
    private final double[][] outer;
    private long count;

    /**
     * Empty statistics over rows of {@code dim} features; keeps a {@code dim x dim} matrix of sums
     * of products.
     */
    public FeatureStats(int dim) {
        this.dim = dim;
        this.sum = new double[dim];
        this.outer = new double[dim][dim];
    }

    /**
     * Adds one feature vector to the sums.
     *
     * @throws IllegalArgumentException when {@code row} does not have {@code dim} features
     */
    public void add(float[] row) {
        if (row.length != dim) {
            throw new IllegalArgumentException("row of " + row.length + " features, expected " + dim);
        }
        for (int i = 0; i < dim; i++) {
            double ri = row[i];
            sum[i] += ri;
            double[] o = outer[i];
            for (int j = i; j < dim; j++) {
                o[j] += ri * row[j];
            }
        }
        count++;
    }

    /** Number of rows added. */
    public long count() {
        return count;
    }

    /** Mean of the rows added, length {@code dim} (NaN before the first row). */
    public double[] mean() {
        double[] m = new double[dim];
        for (int i = 0; i < dim; i++) {
            m[i] = sum[i] / count;
        }
        return m;
    }

    /** Sample covariance (divided by n - 1). */
    public double[][] covariance() {
        double[] m = mean();
        double[][] c = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            for (int j = i; j < dim; j++) {
                double v = (outer[i][j] - count * m[i] * m[j]) / (count - 1);
                c[i][j] = v;
                c[j][i] = v;
            }
        }
        return c;
    }

    /** The Frechet distance between the Gaussians fitted to {@code a} and {@code b}. */
    public static double frechet(FeatureStats a, FeatureStats b) {
        if (a.dim != b.dim || a.count < 2 || b.count < 2) {
            throw new IllegalArgumentException("need two sets of at least 2 rows of the same width");
        }
        double[] ma = a.mean();
        double[] mb = b.mean();
        double[][] sa = a.covariance();
        double[][] sb = b.covariance();
        double d2 = 0;
        double trace = 0;
        for (int i = 0; i < a.dim; i++) {
            d2 += (ma[i] - mb[i]) * (ma[i] - mb[i]);
            trace += sa[i][i] + sb[i][i];
        }
        // tr((Sa Sb)^1/2) = tr((Sa^1/2 Sb Sa^1/2)^1/2), and the latter is symmetric PSD.
        double[][] rootA = sqrtPsd(sa);
        double[][] m = multiply(multiply(rootA, sb), rootA);
        double[] eig = Jacobi.eigenvalues(m);
        double traceRoot = 0;
        for (double e : eig) {
            traceRoot += Math.sqrt(Math.max(0, e));
        }
        return d2 + trace - 2 * traceRoot;
    }

    /** Square root of a symmetric positive semi-definite matrix (negative eigenvalues clipped to 0). */
    static double[][] sqrtPsd(double[][] s) {
        int n = s.length;
        double[][] vectors = new double[n][n];
        double[] values = Jacobi.decompose(s, vectors);
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double r = Math.sqrt(Math.max(0, values[k]));
            for (int i = 0; i < n; i++) {
                double vik = vectors[i][k] * r;
                for (int j = 0; j < n; j++) {
                    out[i][j] += vik * vectors[j][k];
                }
            }
        }
        return out;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        int inner = b.length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inner; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    out[i][j] += aik * b[k][j];
                }
            }
        }
        return out;
    }

    /** Cyclic Jacobi eigen-decomposition of symmetric matrices. */
    static final class Jacobi {

        private Jacobi() {}

        static double[] eigenvalues(double[][] s) {
            return decompose(s, null);
        }

        /**
         * Eigenvalues of symmetric {@code s}; when {@code vectors} is given it receives the
         * eigenvectors as columns. {@code s} is not modified.
         */
        static double[] decompose(double[][] s, double[][] vectors) {
            int n = s.length;
            double[][] a = new double[n][];
            for (int i = 0; i < n; i++) {
                a[i] = s[i].clone();
            }
            if (vectors != null) {
                for (int i = 0; i < n; i++) {
                    java.util.Arrays.fill(vectors[i], 0);
                    vectors[i][i] = 1;
                }
            }
            for (int sweep = 0; sweep < 100; sweep++) {
                double off = 0;
                double diag = 0;
                for (int i = 0; i < n; i++) {
                    diag += a[i][i] * a[i][i];
                    for (int j = i + 1; j < n; j++) {
                        off += a[i][j] * a[i][j];
                    }
                }
                if (off <= 1e-22 * Math.max(diag, 1e-300)) {
                    break;
                }
                for (int p = 0; p < n - 1; p++) {
                    for (int q = p + 1; q < n; q++) {
                        double apq = a[p][q];
                        if (Math.abs(apq) < 1e-300) {
                            continue;
                        }
                        double theta = (a[q][q] - a[p][p]) / (2 * apq);
                        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                        if (theta == 0) {
                            t = 1;
                        }
                        double c = 1 / Math.sqrt(t * t + 1);
                        double sn = t * c;
                        for (int k = 0; k < n; k++) {
                            double akp = a[k][p];
                            double akq = a[k][q];
                            a[k][p] = c * akp - sn * akq;
                            a[k][q] = sn * akp + c * akq;
                        }
                        for (int k = 0; k < n; k++) {
                            double apk = a[p][k];
                            double aqk = a[q][k];
                            a[p][k] = c * apk - sn * aqk;
                            a[q][k] = sn * apk + c * aqk;
                        }
                        if (vectors != null) {
                            for (int k = 0; k < n; k++) {
                                double vkp = vectors[k][p];
                                double vkq = vectors[k][q];
                                vectors[k][p] = c * vkp - sn * vkq;
                                vectors[k][q] = sn * vkp + c * vkq;
                            }
                        }
                    }
                }
            }
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = a[i][i];
            }
            return values;
        }
    }
}
