package io.imageworker.tasks.faces;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Test helper: fits {@link HeadBox} on labelled faces and judges it on others. A labelled face is
 * paired with the detection that overlaps it most, when that IoU is at least {@link #PAIR_IOU} (the
 * detector found it, whatever its box convention).
 */
final class HeadBoxFit {

    /** Least IoU of a detection with a labelled face to count it as the detector's box of that face. */
    static final double PAIR_IOU = 0.2;

    /** Pairs of (detector box, labelled box). */
    record Pairs(List<FaceDetection> detected, List<FaceDetection> labelled) {

        Pairs() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        void add(List<FaceDetection> detections, List<FaceEvalSet.Truth> truth) {
            for (FaceEvalSet.Truth t : truth) {
                FaceDetection best = null;
                double bestIou = PAIR_IOU;
                for (FaceDetection d : detections) {
                    double o = t.asDetection().iou(d);
                    if (o >= bestIou) {
                        bestIou = o;
                        best = d;
                    }
                }
                if (best != null) {
                    detected.add(best);
                    labelled.add(t.asDetection());
                }
            }
        }

        /** Mean IoU of the pairs' boxes mapped by {@code m}, and the shares at IoU >= 0.5 and >= 0.7. */
        double[] judge(HeadBox m) {
            double sum = 0;
            int at5 = 0;
            int at7 = 0;
            for (int i = 0; i < detected.size(); i++) {
                double o = m.apply(detected.get(i), Integer.MAX_VALUE, Integer.MAX_VALUE).iou(labelled.get(i));
                sum += o;
                at5 += o >= 0.5 ? 1 : 0;
                at7 += o >= 0.7 ? 1 : 0;
            }
            int n = detected.size();
            return new double[] {sum / n, at5 / (double) n, at7 / (double) n};
        }

        String describe(HeadBox m) {
            double[] j = judge(m);
            return String.format(Locale.ROOT, "%d faces: mean IoU %.3f, IoU >= 0.5 %.3f, IoU >= 0.7 %.3f", detected.size(), j[0], j[1],
                    j[2]);
        }
    }

    private HeadBoxFit() {}
}
