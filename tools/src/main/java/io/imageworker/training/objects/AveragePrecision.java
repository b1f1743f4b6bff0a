package io.imageworker.training.objects;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Average precision of a ranking, as PASCAL VOC (2010 on) and COCO compute it per class: hits
 * sorted by score, best first; precision at each rank made non-increasing from the right (the
 * interpolated precision); the area under that precision-recall curve over every point where recall
 * rises (no 11-point sampling). Positives never retrieved count in the recall's denominator.
 */
final class AveragePrecision {

    /**
     * One retrieved hit.
     *
     * @param score its score
     * @param positive a true positive (a right label, a box matching an unmatched truth)
     */
    record Hit(double score, boolean positive) {}

    private AveragePrecision() {}

    /**
     * AP of {@code hits} against {@code positives} truths in all.
     *
     * @return in [0, 1]; NaN when {@code positives} is 0 (AP is undefined: the class is left out of a mean)
     */
    static double of(List<Hit> hits, int positives) {
        if (positives == 0) {
            return Double.NaN;
        }
        List<Hit> ranked = new ArrayList<>(hits);
        ranked.sort(Comparator.comparingDouble(Hit::score).reversed());
        int n = ranked.size();
        double[] precision = new double[n];
        double[] recall = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            tp += ranked.get(i).positive() ? 1 : 0;
            precision[i] = tp / (double) (i + 1);
            recall[i] = tp / (double) positives;
        }
        for (int i = n - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double ap = 0;
        double before = 0;
        for (int i = 0; i < n; i++) {
            ap += (recall[i] - before) * precision[i];
            before = recall[i];
        }
        return ap;
    }

    /** The mean of the defined (not NaN) values; NaN when there is none. */
    static double mean(Iterable<Double> values) {
        double sum = 0;
        int count = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
