package io.imageworker.models.arch;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

/**
 * The CAM recipe's network: convolutions -> global average pooling -> dense, trained with
 * image-level labels only. The receptive field is kept small (about 29 pixels) and the last feature
 * map fine (1/4 of the input): a class activation map is blurred by the field it sees through.
 */
public final class CamNets {

    private CamNets() {}

    /**
     * @param width channels of the full-resolution layer; 2x at 1/2, 4x and 8x at 1/4
     * @return logits (N, classes) and class activation maps (N, classes, H/4, W/4)
     */
    public static Block cam(int classes, int width) {
        int w = width;
        return new SequentialBlock()
                .add(Layers.cbr(w))
                .add(Layers.cbr(2 * w, 3, 2, 1)).add(Layers.cbr(2 * w))
                .add(Layers.cbr(4 * w, 3, 2, 1)).add(Layers.cbr(4 * w)).add(Layers.cbr(8 * w))
                .add(new CamHead(classes));
    }
}
