package io.imageworker.tasks.localize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.translate.TranslatorContext;
import io.imageworker.tasks.ImageTranslator;

/**
 * One preprocessed image in, class scores and class activation maps out. The network returns
 * (logits, maps); items are stacked into one batch and split back per item.
 */
public final class LocalizeTranslator extends ImageTranslator<CamResult> {

    @Override
    public CamResult processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.get(0); // (classes)
        NDArray maps = list.get(1); // (classes, h, w)
        Shape s = maps.getShape();
        return new CamResult(Activation.sigmoid(logits).toFloatArray(), (int) s.get(1), (int) s.get(2),
                maps.toFloatArray());
    }
}
