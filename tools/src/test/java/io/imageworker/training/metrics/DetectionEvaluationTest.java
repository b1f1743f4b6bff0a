package io.imageworker.training.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.training.metrics.DetectionEvaluation.Detection;
import io.imageworker.training.metrics.DetectionEvaluation.Truth;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VOC matching, AP and counts on a small case worked by hand (see each comment). */
class DetectionEvaluationTest {

    static Truth truth(double x, boolean difficult) {
        return new Truth(Region.box(x, 0, 10, 10), difficult);
    }

    static Detection det(double x, double score) {
        return new Detection(Region.box(x, 0, 10, 10), score);
    }

    /**
     * Image A: faces at x=0, x=20 and a difficult one at x=40. Detections: 0.9 on the first (TP),
     * 0.8 on the first again (IoU 90/110, a duplicate: FP), 0.7 on the difficult one (ignored),
     * 0.6 on nothing (FP), 0.5 on the second (TP). Image B has no face: 0.85 there is a FP.
     */
    static DetectionEvaluation handCase() {
        return DetectionEvaluation.voc()
                .add(List.of(truth(0, false), truth(20, false), truth(40, true)),
                        List.of(det(20, 0.5), det(0, 0.9), det(1, 0.8), det(40, 0.7), det(100, 0.6)))
                .add(List.of(), List.of(det(0, 0.85)));
    }

    @Test
    void averagePrecisionIsTheAreaUnderThePrecisionEnvelope() {
        // Pooled by score: .9 TP (r .5, p 1), .85 FP (.5, .5), .8 FP (.5, .33), .6 FP (.5, .25), .5 TP (1, .4).
        // Envelope: p = 1 up to r = .5, then .4 up to r = 1: AP = .5 * 1 + .5 * .4 = 0.7
        DetectionEvaluation e = handCase();
        assertThat(e.positives()).isEqualTo(2);
        assertThat(e.images()).isEqualTo(2);
        assertThat(e.averagePrecision()).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void countsAtAScoreThreshold() {
        DetectionEvaluation e = handCase();
        DetectionEvaluation.Counts all = e.at(Double.NEGATIVE_INFINITY);
        // FPs: .85 (on the negative), .8 (duplicate), .6 (on nothing); .7 on the difficult face is not counted
        assertThat(all).isEqualTo(new DetectionEvaluation.Counts(2, 3, 0, 1, 1));
        assertThat(all.precision()).isCloseTo(0.4, within(1e-12));
        assertThat(all.recall()).isEqualTo(1.0);
        assertThat(all.falsePositivesPerNegativeImage()).isEqualTo(1.0);
        // >= .75 keeps .9 (TP), .85 (FP on the negative) and .8 (duplicate FP)
        DetectionEvaluation.Counts high = e.at(0.75);
        assertThat(high).isEqualTo(new DetectionEvaluation.Counts(1, 2, 1, 1, 1));
        assertThat(high.recall()).isEqualTo(0.5);
        DetectionEvaluation.Counts none = e.at(0.95);
        assertThat(none.precision()).isNaN();
        assertThat(none.recall()).isZero();
    }

    @Test
    void aPerfectDetectorScoresOneAndASilentOneZero() {
        DetectionEvaluation perfect = DetectionEvaluation.voc().add(List.of(truth(0, false), truth(20, false)),
                List.of(det(0, 0.2), det(20, 0.1)));
        assertThat(perfect.averagePrecision()).isEqualTo(1.0);
        DetectionEvaluation silent = DetectionEvaluation.voc().add(List.of(truth(0, false)), List.of());
        assertThat(silent.averagePrecision()).isZero();
        assertThat(DetectionEvaluation.voc().add(List.of(), List.of()).averagePrecision()).isNaN();
    }

    @Test
    void theHigherScoreTakesTheFaceWhateverTheListOrder() {
        // Both detections overlap the one face; the 0.9 one must be the TP, the 0.3 one the duplicate.
        DetectionEvaluation e = DetectionEvaluation.voc().add(List.of(truth(0, false)), List.of(det(1, 0.3), det(0, 0.9)));
        assertThat(e.at(0.5)).isEqualTo(new DetectionEvaluation.Counts(1, 0, 0, 0, 0));
        assertThat(e.averagePrecision()).isEqualTo(1.0);
    }

    @Test
    void iouExactlyAtTheThresholdMatches() {
        // IoU of box(0,0,10,10) and box(0,0,10,20) is exactly 0.5
        DetectionEvaluation e = DetectionEvaluation.voc().add(List.of(new Truth(Region.box(0, 0, 10, 10), false)),
                List.of(new Detection(Region.box(0, 0, 10, 20), 1)));
        assertThat(e.at(0).truePositives()).isEqualTo(1);
        DetectionEvaluation strict = new DetectionEvaluation(0.51, DetectionEvaluation.Overlap.REGION).add(
                List.of(new Truth(Region.box(0, 0, 10, 10), false)), List.of(new Detection(Region.box(0, 0, 10, 20), 1)));
        assertThat(strict.at(0).truePositives()).isZero();
    }

    @Test
    void boundsOverlapForgivesAnAxisAlignedBoxAroundRotatedText() {
        // A 100x10 line rotated ~11 degrees vs the axis-aligned box a peer reports around it.
        Region rotated = Region.polygon(0, 20, 98, 0, 100, 10, 2, 30);
        Region box = Region.box(0, 0, 100, 30);
        assertThat(rotated.iou(box)).isLessThan(0.5);
        DetectionEvaluation tight = DetectionEvaluation.voc().add(List.of(new Truth(rotated, false)), List.of(new Detection(box, 1)));
        DetectionEvaluation loose = new DetectionEvaluation(0.5, DetectionEvaluation.Overlap.BOUNDS)
                .add(List.of(new Truth(rotated, false)), List.of(new Detection(box, 1)));
        assertThat(tight.at(0).truePositives()).isZero();
        assertThat(loose.at(0).truePositives()).isEqualTo(1);
    }
}
