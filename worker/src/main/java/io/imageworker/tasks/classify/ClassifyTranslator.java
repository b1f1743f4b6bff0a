package io.imageworker.tasks.classify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslatorContext;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.ImageTranslator;
import io.imageworker.tasks.ModelOutputs;

/**
 * One preprocessed image in, its class probabilities and logits out (and its penultimate features
 * when the network is wrapped in a {@link PenultimateTap}). Batching is the {@link Batchifier}'s
 * job: items are stacked into one (N, C, H, W) array and the outputs split back per item. Serves
 * any classifier whose card says which output holds the scores and whether they are logits.
 */
public final class ClassifyTranslator extends ImageTranslator<ClassifierOutput> {

    private final ModelCard card;

    /** @param card the served model's card: its input layout, and which output it declares */
    public ClassifyTranslator(ModelCard card) {
        super(card.input() == null ? null : card.input().layout());
        this.card = card;
    }

    @Override
    public ClassifierOutput processOutput(TranslatorContext ctx, NDList list) {
        NDArray out = ModelOutputs.pick(list, card);
        if (ModelCard.Output.SOFTMAX.equals(ModelOutputs.activation(card))) {
            // Already probabilities (ONNX exports often end in softmax): no logits to report.
            return new ClassifierOutput(out.toFloatArray(), null, null);
        }
        return new ClassifierOutput(out.softmax(-1).toFloatArray(), out.toFloatArray(),
                list.size() > 1 && card.output() == null ? list.get(1).toFloatArray() : null);
    }
}
