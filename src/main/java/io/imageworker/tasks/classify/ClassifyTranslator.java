package io.imageworker.tasks.classify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.imageworker.imaging.ImageTensor;

/**
 * One preprocessed image in, its class probabilities out. Batching is the {@link Batchifier}'s
 * job: items are stacked into one (N, C, H, W) array and the logits split back per item.
 */
public final class ClassifyTranslator implements Translator<ImageTensor, float[]> {

    @Override
    public NDList processInput(TranslatorContext ctx, ImageTensor input) {
        NDArray x = ctx.getNDManager().create(input.data(), new Shape(input.channels(), input.height(), input.width()));
        return new NDList(x);
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.singletonOrThrow().softmax(-1).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
