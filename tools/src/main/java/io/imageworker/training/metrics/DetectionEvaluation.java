package io.imageworker.training.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * Scores a detector over a set of images with the PASCAL VOC rules: add each image's labelled
 * regions and the detector's scored regions, then read average precision, or precision and recall
 * at a score threshold, and false positives per negative image.
 *
 * <p>Matching (Everingham et al., "The PASCAL Visual Object Classes (VOC) Challenge", IJCV 88, 2010,
 * section 4.4; VOCdevkit 2012 {@code VOCevaldet.m}): within each image, detections are taken in
 * descending score; each is compared with every labelled region of its image and takes the one of
 * highest overlap. When that overlap is at least the IoU threshold and the region is "difficult",
 * the detection is ignored (neither true nor false positive); when the region is not difficult and
 * not yet matched, the detection is a true positive and the region is matched; otherwise (overlap
 * below the threshold, or a duplicate of an already matched region) it is a false positive.
 * Difficult regions never count as misses.
 *
 * <p>Average precision (VOC 2010 onwards, "all-point interpolation"): pool every image's
 * detections, sort by descending score, and walk the list: recall_k = TP_k / P, precision_k = TP_k /
 * (TP_k + FP_k), with P the number of non-difficult labelled regions. The precision envelope
 * p_interp(r) = max over r' &gt;= r of precision(r'); AP = sum over k of (r_k - r_{k-1}) *
 * p_interp(r_k), the area under the envelope. Ties in score keep the order the images were added.
 *
 * <p>A negative image is one with no labelled region at all; false positives per negative image =
 * false positives on negative images / number of negative images.
 *
 * <p>Not thread-safe: one instance per evaluation.
 */
public final class DetectionEvaluation {

    /** Overlap rule: IoU of the regions themselves, or of their bounding boxes. */
    public enum Overlap {
        /** {@link Region#iou}. */
        REGION(Region::iou),
        /** {@link Region#boundsIou}. */
        BOUNDS(Region::boundsIou);

        private final ToDoubleBiFunction<Region, Region> f;

        Overlap(ToDoubleBiFunction<Region, Region> f) {
            this.f = f;
        }

        double of(Region a, Region b) {
            return f.applyAsDouble(a, b);
        }
    }

    /**
     * A labelled region.
     *
     * @param region where, in image pixels
     * @param difficult true for a region that neither counts as a miss nor, when hit, as a false positive
     */
    public record Truth(Region region, boolean difficult) {}

    /**
     * A detection.
     *
     * @param region where, in image pixels
     * @param score the detector's confidence; higher is surer (any scale)
     */
    public record Detection(Region region, double score) {}

    /**
     * Counts at one score threshold.
     *
     * @param truePositives detections matched to a non-difficult region
     * @param falsePositives detections matched to nothing (or duplicates)
     * @param misses non-difficult regions no detection matched
     * @param negativeImages images with no labelled region
     * @param falsePositivesOnNegatives false positives on those images
     */
    public record Counts(int truePositives, int falsePositives, int misses, int negativeImages,
            int falsePositivesOnNegatives) {

        /** TP / (TP + FP); NaN when there is no counted detection. */
        public double precision() {
            int d = truePositives + falsePositives;
            return d == 0 ? Double.NaN : (double) truePositives / d;
        }

        /** TP / (TP + misses); NaN when nothing is labelled. */
        public double recall() {
            int p = truePositives + misses;
            return p == 0 ? Double.NaN : (double) truePositives / p;
        }

        /** False positives on negative images / negative images; NaN when there is none. */
        public double falsePositivesPerNegativeImage() {
            return negativeImages == 0 ? Double.NaN : (double) falsePositivesOnNegatives / negativeImages;
        }
    }

    /** Outcome of one detection after matching. */
    enum Outcome { TRUE_POSITIVE, FALSE_POSITIVE, IGNORED }

    private record Scored(double score, Outcome outcome, boolean onNegative, int order) {}

    private final double iouThreshold;
    private final Overlap overlap;
    private final List<Scored> scored = new ArrayList<>();
    private int positives;
    private int negativeImages;
    private int images;

    /**
     * @param iouThreshold least overlap for a match, in (0, 1]; VOC uses 0.5
     * @param overlap how overlap is measured
     */
    public DetectionEvaluation(double iouThreshold, Overlap overlap) {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("IoU threshold must be in (0, 1], got " + iouThreshold);
        }
        this.iouThreshold = iouThreshold;
        this.overlap = overlap;
    }

    /** VOC's rule: IoU of the regions &gt;= 0.5. */
    public static DetectionEvaluation voc() {
        return new DetectionEvaluation(0.5, Overlap.REGION);
    }

    /**
     * Adds one image.
     *
     * @param truths its labelled regions (empty for a negative image)
     * @param detections every detection the system made on it, at any score
     * @return this
     */
    public DetectionEvaluation add(List<Truth> truths, List<Detection> detections) {
        List<Detection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        boolean[] matched = new boolean[truths.size()];
        boolean negative = truths.isEmpty();
        for (Detection d : sorted) {
            int best = -1;
            double bestIou = -1;
            for (int i = 0; i < truths.size(); i++) {
                double o = overlap.of(d.region(), truths.get(i).region());
                if (o > bestIou) {
                    bestIou = o;
                    best = i;
                }
            }
            Outcome out;
            if (best >= 0 && bestIou >= iouThreshold) {
                if (truths.get(best).difficult()) {
                    out = Outcome.IGNORED;
                } else if (!matched[best]) {
                    matched[best] = true;
                    out = Outcome.TRUE_POSITIVE;
                } else {
                    out = Outcome.FALSE_POSITIVE;
                }
            } else {
                out = Outcome.FALSE_POSITIVE;
            }
            scored.add(new Scored(d.score(), out, negative, scored.size()));
        }
        positives += (int) truths.stream().filter(t -> !t.difficult()).count();
        negativeImages += negative ? 1 : 0;
        images++;
        return this;
    }

    /** Images added. */
    public int images() {
        return images;
    }

    /** Non-difficult labelled regions added (the P of recall). */
    public int positives() {
        return positives;
    }

    /**
     * Average precision over every detection added (all-point interpolation, see the class
     * comment), in [0, 1]; NaN when nothing non-difficult is labelled.
     */
    public double averagePrecision() {
        if (positives == 0) {
            return Double.NaN;
        }
        List<Scored> s = new ArrayList<>(scored);
        s.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::order));
        List<double[]> pr = new ArrayList<>();
        int tp = 0;
        int fp = 0;
        for (Scored x : s) {
            if (x.outcome() == Outcome.IGNORED) {
                continue;
            }
            if (x.outcome() == Outcome.TRUE_POSITIVE) {
                tp++;
            } else {
                fp++;
            }
            pr.add(new double[] {(double) tp / positives, (double) tp / (tp + fp)});
        }
        return allPointAp(pr);
    }

    /**
     * Area under the precision envelope of (recall, precision) points given in detection order
     * (recall non-decreasing): VOC 2010's all-point interpolation.
     */
    static double allPointAp(List<double[]> recallPrecision) {
        int n = recallPrecision.size();
        double[] rec = new double[n + 2];
        double[] prec = new double[n + 2];
        for (int i = 0; i < n; i++) {
            rec[i + 1] = recallPrecision.get(i)[0];
            prec[i + 1] = recallPrecision.get(i)[1];
        }
        rec[n + 1] = 1;
        prec[n + 1] = 0;
        for (int i = n; i >= 0; i--) {
            prec[i] = Math.max(prec[i], prec[i + 1]);
        }
        double ap = 0;
        for (int i = 1; i <= n + 1; i++) {
            ap += (rec[i] - rec[i - 1]) * prec[i];
        }
        return ap;
    }

    /** Counts over the detections whose score is at least {@code minScore}. */
    public Counts at(double minScore) {
        int tp = 0;
        int fp = 0;
        int fpNeg = 0;
        for (Scored x : scored) {
            if (x.score() < minScore || x.outcome() == Outcome.IGNORED) {
                continue;
            }
            if (x.outcome() == Outcome.TRUE_POSITIVE) {
                tp++;
            } else {
                fp++;
                fpNeg += x.onNegative() ? 1 : 0;
            }
        }
        return new Counts(tp, fp, positives - tp, negativeImages, fpNeg);
    }
}
