package io.imageworker.training.segment;

/**
 * Confusion matrix over a set of images, and the scores read from it: per-class IoU (TP / (TP + FP
 * + FN), summed over the whole set), their mean, and pixel accuracy. A class that never occurs in
 * either the truth or the prediction has no IoU and is left out of the mean.
 */
public final class SegmentationMetrics {

    private final int classes;
    private final long[][] confusion;

    /**
     * An empty {@code classes x classes} confusion matrix (rows: true class, columns: predicted);
     * class ids must lie in {@code [0, classes)}.
     */
    public SegmentationMetrics(int classes) {
        this.classes = classes;
        this.confusion = new long[classes][classes];
    }

    /** Adds one image: true and predicted class per pixel. */
    public void add(byte[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " pixels, prediction " + predicted.length);
        }
        for (int p = 0; p < truth.length; p++) {
            confusion[truth[p]][predicted[p]]++;
        }
    }

    /** IoU of class {@code c}, or NaN when it appears in neither truth nor prediction. */
    public double iou(int c) {
        long tp = confusion[c][c];
        long fn = 0;
        long fp = 0;
        for (int k = 0; k < classes; k++) {
            if (k != c) {
                fn += confusion[c][k];
                fp += confusion[k][c];
            }
        }
        long union = tp + fp + fn;
        return union == 0 ? Double.NaN : tp / (double) union;
    }

    /** Mean IoU over the classes that occur. */
    public double meanIou() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes; c++) {
            double v = iou(c);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Fraction of pixels whose class was right. */
    public double pixelAccuracy() {
        long right = 0;
        long all = 0;
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                all += confusion[t][p];
                if (t == p) {
                    right += confusion[t][p];
                }
            }
        }
        return all == 0 ? Double.NaN : right / (double) all;
    }

    /** IoU of "any digit" against background: how well edges are found, whatever the digit. */
    public double foregroundIou() {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) {
                long v = confusion[t][p];
                if (t > 0 && p > 0) {
                    tp += v;
                } else if (t > 0) {
                    fn += v;
                } else if (p > 0) {
                    fp += v;
                }
            }
        }
        long union = tp + fp + fn;
        return union == 0 ? Double.NaN : tp / (double) union;
    }
}
