package io.imageworker.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.ModelCard;

/**
 * The input side every image task shares: one preprocessed image in, as a (C, H, W) array; items
 * are stacked into one (N, C, H, W) batch by {@link Batchifier#STACK} ((N, H, W, C) for NHWC models).
 * Subclasses read the output.
 *
 * @param <O> the task's per-item output
 */
public abstract class ImageTranslator<O> implements Translator<ImageTensor, O> {

    private final boolean channelsLast;

    /** Feeds (C, H, W): the layout of the project's own models and of most ONNX exports. */
    protected ImageTranslator() {
        this(ModelCard.Input.NCHW);
    }

    /**
     * @param layout {@code NCHW} or {@code NHWC} (the card's {@code input.layout}): NHWC models
     *     (TensorFlow, MediaPipe exports) get each item as (H, W, C)
     */
    protected ImageTranslator(String layout) {
        this.channelsLast = ModelCard.Input.NHWC.equalsIgnoreCase(layout);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, ImageTensor input) {
        NDArray x = ctx.getNDManager().create(input.data(), new Shape(input.channels(), input.height(), input.width()));
        return new NDList(channelsLast ? x.transpose(1, 2, 0) : x);
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
