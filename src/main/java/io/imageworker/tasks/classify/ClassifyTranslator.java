package io.imageworker.tasks.classify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.imageworker.imaging.ImageTensor;

/**
 * One preprocessed image in, its class probabilities and logits out (and its penultimate features
 * when the network is wrapped in a {@link PenultimateTap}). Batching is the {@link Batchifier}'s
 * job: items are stacked into one (N, C, H, W) array and the outputs split back per item.
 */
public final class ClassifyTranslator implements Translator<ImageTensor, ClassifierOutput> {

    @Override
    public NDList processInput(TranslatorContext ctx, ImageTensor input) {
        NDArray x = ctx.getNDManager().create(input.data(), new Shape(input.channels(), input.height(), input.width()));
        return new NDList(x);
    }

    @Override
    public ClassifierOutput processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.get(0);
        return new ClassifierOutput(logits.softmax(-1).toFloatArray(), logits.toFloatArray(),
                list.size() > 1 ? list.get(1).toFloatArray() : null);
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
