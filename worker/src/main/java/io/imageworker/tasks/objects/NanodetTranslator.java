package io.imageworker.tasks.objects;

import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslatorContext;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.tasks.ImageTranslator;
import java.util.ArrayList;
import java.util.List;

/**
 * One letterboxed, normalised 3 x 416 x 416 view in, NanoDet's six outputs out ({@link NanodetOutput}).
 * The graph was converted with a batch of 1 (its Placeholder and its Reshape targets say so, and
 * {@code TfGraph} refuses another), so this translator has no batchifier: DJL's predictor runs the
 * items of a batch one call each, whatever batch size the worker is configured with.
 */
public final class NanodetTranslator extends ImageTranslator<NanodetOutput> {

    @Override
    public NDList processInput(TranslatorContext ctx, ImageTensor input) {
        return new NDList(super.processInput(ctx, input).singletonOrThrow().expandDims(0));
    }

    /** None: items are run one model call each (the graph's batch axis is fixed at 1). */
    @Override
    public Batchifier getBatchifier() {
        return null;
    }

    /**
     * @throws IllegalArgumentException when the graph gives other than six outputs
     */
    @Override
    public NanodetOutput processOutput(TranslatorContext ctx, NDList list) {
        if (list.size() != 6) {
            throw new IllegalArgumentException("NanoDet gives 6 outputs (3 levels of scores, then of boxes); this model gave "
                    + list.size());
        }
        List<float[]> scores = new ArrayList<>();
        List<float[]> boxes = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            scores.add(list.get(k).toFloatArray());
            boxes.add(list.get(k + 3).toFloatArray());
        }
        return new NanodetOutput(scores, boxes);
    }
}
