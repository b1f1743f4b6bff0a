package io.imageworker.tasks;

import io.imageworker.events.ItemResult;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ood.InputStats;
import io.imageworker.inference.ood.OodDetector;
import java.awt.image.BufferedImage;
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

    private Abstention() {}

    /**
     * Applies the rule to one item: puts {@code oodScore} (and, above the cut, {@code outOfDistribution})
     * into {@code extra}, and returns the item's result when it abstains: it succeeds with no answer,
     * so nothing can be misread as a digit. Returns null when the task goes on (no detector, below the
     * cut, or the job said {@code abstain: false}).
     *
     * @param tensor the model input as preprocessed with {@code spec}
     * @param features the penultimate features, or null when the detector does not need them
     */
    public static ItemResult apply(OodDetector ood, ItemWork work, BufferedImage image, ImageTensor tensor,
            Preprocessor.Spec spec, float[] features, Map<String, Object> extra) {
        if (ood == null) {
            return null;
        }
        OodDetector.Verdict verdict = ood.judge(
                InputStats.of(tensor.data(), tensor.width(), tensor.height(), spec.std()[0], spec.mean()[0]), features);
        extra.put("oodScore", Items.round(verdict.score()));
        boolean abstain = work.plan().job().options().path("abstain").asBoolean(DEFAULT_ABSTAIN);
        if (!abstain || !verdict.outOfDistribution()) {
            return null;
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("score", Items.round(verdict.score()));
        o.put("threshold", OodDetector.THRESHOLD);
        o.put("method", ood.method());
        o.put("reasons", verdict.reasons());
        extra.put("outOfDistribution", o);
        return Items.succeeded(work, image, null, extra);
    }
}
