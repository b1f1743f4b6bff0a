package io.imageworker.training.ood;

import io.imageworker.inference.ood.OodDetector;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.datasets.Mnist;
import io.imageworker.training.ood.OodImages.Group;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures a digit classifier's out-of-distribution detector side by side on the MNIST test digits
 * (accuracy without and with abstention, where an abstention on a digit counts as a miss, and the
 * share of digits abstained on) and on the evaluation set of non-digits (share abstained on, in all
 * and per group). The non-digits go through the worker's preprocessing; every score goes through
 * the serving detector's code ({@link io.imageworker.inference.ood.OodDetector}), on features read
 * from the network's penultimate layer in batches ({@link FeatureReader}).
 */
public final class OodEvaluation {

    /** Largest accepted loss of MNIST test accuracy from abstaining, in accuracy points (0.3 pt). */
    public static final double MAX_ACCURACY_LOSS = 0.003;
    /** Least share of the evaluation set of non-digits the model must abstain on. */
    public static final double MIN_OOD_ABSTENTION = 0.95;

    private OodEvaluation() {}

    /**
     * The detector's metrics; bars (on the accuracy with abstention: the card's recorded accuracy
     * minus {@link #MAX_ACCURACY_LOSS}; on the share of non-digits: {@link #MIN_OOD_ABSTENTION}) are
     * attached so that {@code evaluate} and the tests hold them.
     *
     * @param recordedAccuracy the accuracy the card records without the detector
     */
    public static List<ModelCard.Metric> metrics(LoadedModel model, OodDetector ood, Mnist test, OodSet nonDigits,
            double recordedAccuracy) {
        List<ModelCard.Metric> out = new ArrayList<>();
        OodStudy.Scored digits = OodStudy.digits(model, test);
        int[] pred = OodStudy.predictions(digits);
        int right = 0;
        int rightKept = 0;
        int abstained = 0;
        for (int i = 0; i < pred.length; i++) {
            boolean away = ood.judge(digits.stats()[i], digits.features()[i]).outOfDistribution();
            abstained += away ? 1 : 0;
            right += pred[i] == test.label(i) ? 1 : 0;
            rightKept += !away && pred[i] == test.label(i) ? 1 : 0;
        }
        String mnist = "MNIST test set (" + test.count() + " digits)";
        double bar = Math.floor((recordedAccuracy - MAX_ACCURACY_LOSS) * 1e4 + 1e-6) / 1e4;
        out.add(new ModelCard.Metric("accuracy-with-abstention", rightKept / (double) test.count(),
                mnist + "; an abstention counts as a miss; accuracy without abstention " + fmt(right / (double) test.count())
                        + "; bar = recorded accuracy - 0.3 pt", bar));
        out.add(new ModelCard.Metric("abstention-mnist-test", abstained / (double) test.count(), mnist, null));
        OodStudy.Scored others = OodStudy.pictures(model, nonDigits);
        int all = 0;
        for (int i = 0; i < others.size(); i++) {
            all += ood.judge(others.stats()[i], others.features()[i]).outOfDistribution() ? 1 : 0;
        }
        out.add(new ModelCard.Metric("abstention-ood", all / (double) others.size(),
                "evaluation set of non-digits, datasets/ood (" + others.size() + " images: " + describe(nonDigits)
                        + "), through the worker's preprocessing", MIN_OOD_ABSTENTION));
        for (Group g : Group.values()) {
            int n = 0;
            int k = 0;
            for (int i = 0; i < others.size(); i++) {
                if (others.groups()[i] == g) {
                    n++;
                    k += ood.judge(others.stats()[i], others.features()[i]).outOfDistribution() ? 1 : 0;
                }
            }
            if (n > 0) {
                out.add(new ModelCard.Metric("abstention-ood-" + g.id, k / (double) n,
                        "the " + n + " images of group " + g.id + " of the evaluation set of non-digits", null));
            }
        }
        return out;
    }

    /** Least share of real-world digits the model must keep (not abstain on): issue 29's goal. */
    public static final double MIN_REAL_KEPT = 0.99;

    /**
     * The rule on real-world digits (photos of paper, scans, printed digits, 8/16-bit, alpha):
     * {@code real-digits-kept} (share not abstained on, bar {@link #MIN_REAL_KEPT}),
     * {@code accuracy-real-digits} (arg-max right, abstaining or not) and
     * {@code accuracy-real-digits-with-abstention} (an abstention counts as a miss).
     *
     * @param description what the samples are, for the card
     */
    public static List<ModelCard.Metric> realDigits(LoadedModel model, OodDetector ood, List<RealDigits.Sample> samples,
            String description) {
        OodStudy.Scored s = OodStudy.realDigits(model, samples);
        int[] pred = OodStudy.predictions(s);
        int kept = 0;
        int right = 0;
        int rightKept = 0;
        for (int i = 0; i < pred.length; i++) {
            boolean away = ood.judge(s.stats()[i], s.features()[i]).outOfDistribution();
            boolean ok = pred[i] == samples.get(i).label();
            kept += away ? 0 : 1;
            right += ok ? 1 : 0;
            rightKept += ok && !away ? 1 : 0;
        }
        double n = pred.length;
        return List.of(new ModelCard.Metric("real-digits-kept", kept / n, description, MIN_REAL_KEPT),
                new ModelCard.Metric("accuracy-real-digits", right / n, description, null),
                new ModelCard.Metric("accuracy-real-digits-with-abstention", rightKept / n,
                        description + "; an abstention counts as a miss", null));
    }

    private static String describe(OodSet set) {
        StringBuilder b = new StringBuilder();
        set.counts().forEach((g, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(g.id));
        return b.toString();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
