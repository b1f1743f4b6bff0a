package io.imageworker.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.imageworker.imaging.ImageTensor;

/**
 * The input side every image task shares: one preprocessed image in, as a (C, H, W) array; items
 * are stacked into one (N, C, H, W) batch by {@link Batchifier#STACK}. Subclasses read the output.
 *
 * @param <O> the task's per-item output
 */
public abstract class ImageTranslator<O> implements Translator<ImageTensor, O> {

    @Override
    public NDList processInput(TranslatorContext ctx, ImageTensor input) {
        NDArray x = ctx.getNDManager().create(input.data(), new Shape(input.channels(), input.height(), input.width()));
        return new NDList(x);
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
