package io.imageworker.tasks.segment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.ImageTranslator;
import io.imageworker.tasks.ModelOutputs;

/**
 * One preprocessed image in, the class of each pixel out (arg-max of the per-pixel logits, at the
 * model's resolution). Items are stacked into one (N, C, H, W) batch. A one-channel output is a
 * binary segmenter (classes 0 and 1, cut at probability 0.5 or logit 0).
 */
public final class SegmentTranslator extends ImageTranslator<SegmentMask> {

    private final ModelCard card;

    /** For the project's own segmenters: NCHW in, logits out (training and evaluation). */
    public SegmentTranslator() {
        super();
        this.card = null;
    }

    /** @param card the served model's card: its input layout, output and labels */
    public SegmentTranslator(ModelCard card) {
        super(card.input() == null ? null : card.input().layout());
        this.card = card;
    }

    @Override
    public SegmentMask processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = card == null ? list.singletonOrThrow() : ModelOutputs.pick(list, card); // (classes, H, W)
        Shape s = logits.getShape();
        if (s.get(0) == 1) {
            // One channel: a binary segmenter (text / not text). Class 1 where the score passes
            // 0.5 as a probability or 0 as a logit.
            float cut = card == null || ModelCard.Output.LOGITS.equals(ModelOutputs.activation(card)) ? 0f : 0.5f;
            float[] p = logits.toFloatArray();
            int[] classes = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                classes[i] = p[i] > cut ? 1 : 0;
            }
            return new SegmentMask((int) s.get(2), (int) s.get(1), 2, classes);
        }
        long[] best = logits.argMax(0).toLongArray(); // INT64 on MXNet
        int[] classes = new int[best.length];
        for (int i = 0; i < best.length; i++) {
            classes[i] = (int) best[i];
        }
        return new SegmentMask((int) s.get(2), (int) s.get(1), (int) s.get(0), classes);
    }
}
