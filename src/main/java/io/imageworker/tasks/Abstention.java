package io.imageworker.tasks;

import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ood.InputStats;
import io.imageworker.inference.ood.OodDetector;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The out-of-distribution rule every image task applies the same way: the model's detector judges
 * the input as the model saw it; every item gets {@code oodScore}, and an item above the cut gets
 * {@code outOfDistribution} instead of the task's answer unless the job set {@code abstain: false}.
 */
public final class Abstention {

    /** Items above the cut abstain unless the job says {@code abstain: false}. */
    public static final boolean DEFAULT_ABSTAIN = true;

    /** The verdict, or null when the model has no detector. */
    public record Judged(OodDetector detector, OodDetector.Verdict verdict, boolean abstain) {

        /** Whether the item gives {@code outOfDistribution} instead of its answer. */
        public boolean abstains() {
            return abstain && verdict.outOfDistribution();
        }

        /** {@code oodScore}, and {@code outOfDistribution} when the item abstains, into {@code extra}. */
        public Map<String, Object> into(Map<String, Object> extra) {
            extra.put("oodScore", round(verdict.score()));
            if (abstains()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("score", round(verdict.score()));
                o.put("threshold", OodDetector.THRESHOLD);
                o.put("method", detector.method());
                o.put("reasons", verdict.reasons());
                extra.put("outOfDistribution", o);
            }
            return extra;
        }
    }

    private Abstention() {}

    /**
     * Judges {@code tensor} (as preprocessed with {@code spec}) and its penultimate {@code features}
     * (null when the detector does not need them).
     */
    public static Judged judge(OodDetector ood, ItemWork work, ImageTensor tensor, Preprocessor.Spec spec, float[] features) {
        if (ood == null) {
            return null;
        }
        boolean abstain = work.plan().job().options().path("abstain").asBoolean(DEFAULT_ABSTAIN);
        return new Judged(ood, ood.judge(stats(tensor, spec), features), abstain);
    }

    /** Input statistics of the first channel, back in [0, 1] (before the model's normalisation). */
    /** Six decimals, as the tasks report scores. */
    static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    public static InputStats stats(ImageTensor t, Preprocessor.Spec spec) {
        float mean = spec.mean()[0];
        float std = spec.std()[0];
        float[] plane = new float[t.width() * t.height()];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = t.data()[i] * std + mean;
        }
        return InputStats.of(plane, t.width(), t.height());
    }
}
