package io.imageworker.tasks.faces;

import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslatorContext;
import io.imageworker.tasks.ImageTranslator;

/**
 * One letterboxed view (3 x 512 x 512, already scaled to [-1, 1] by the card's mean and std) in,
 * face-api's SSD-MobileNetV1 output out as it is ({@link SsdOutput}); decoding and suppression
 * happen later, off the inference thread. Items are stacked into one batch (the imported network
 * takes any batch size).
 */
public final class SsdTranslator extends ImageTranslator<FaceDetectorOutput> {

    @Override
    public FaceDetectorOutput processOutput(TranslatorContext ctx, NDList list) {
        return new SsdOutput(list.singletonOrThrow().toFloatArray());
    }
}
