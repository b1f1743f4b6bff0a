package io.imageworker.tasks.faces;

import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslatorContext;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.tasks.ImageTranslator;

/**
 * A face crop (3 x 112 x 112, already normalised, see {@link FaceCrop}) in, the face-api
 * network's outputs out as they are: the landmark model's 136 values (68 points, x and y
 * interleaved, as fractions of the square crop) or the expression model's 7 probabilities. Items
 * are stacked into one batch.
 */
public final class FaceAttributeTranslator extends ImageTranslator<float[]> {

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.singletonOrThrow().toFloatArray();
    }
}
