package io.imageworker.tasks.segment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;
import io.imageworker.tasks.ImageTranslator;

/**
 * One preprocessed image in, the class of each pixel out (arg-max of the per-pixel logits, at the
 * model's resolution). Items are stacked into one (N, C, H, W) batch.
 */
public final class SegmentTranslator extends ImageTranslator<SegmentMask> {

    @Override
    public SegmentMask processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.singletonOrThrow(); // (classes, H, W)
        Shape s = logits.getShape();
        long[] best = logits.argMax(0).toLongArray(); // INT64 on MXNet
        int[] classes = new int[best.length];
        for (int i = 0; i < best.length; i++) {
            classes[i] = (int) best[i];
        }
        return new SegmentMask((int) s.get(2), (int) s.get(1), (int) s.get(0), classes);
    }
}
