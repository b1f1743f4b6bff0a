package io.imageworker.models.arch;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Segmentation networks for (N, 1, H, W) inputs with H and W divisible by 8 (4 for DeepLab): both
 * return per-pixel class logits (N, classes, H, W) at the input's resolution.
 */
public final class SegmentNets {

    private SegmentNets() {}

    /**
     * FCN-style: a convolutional encoder down to 1/8 of the input ending in the convolutionalised
     * classifier of FCN ("fc6": one wide convolution whose window, 5 cells of 8 pixels, covers a whole
     * digit; "fc7": 1x1), then learned upsampling (nearest-neighbour x2 + convolution) back up,
     * merging at each scale the features of the earlier encoder layer at that scale (skip
     * connections, as FCN-8s does with pool3/pool4).
     *
     * @param width channels of the full-resolution layers; 2x, 4x, 8x at 1/2, 1/4, 1/8
     * @param fc channels of fc6 and fc7
     * @param fcKernel fc6's kernel side, in 1/8-resolution cells
     */
    public static Block fcn(int classes, int width, int fc, int fcKernel) {
        int w = width;
        Block at8 = new SequentialBlock()
                .add(Layers.cbr(8 * w, 3, 2, 1))
                .add(Layers.cbr(fc, fcKernel, 1, 1)).add(Layers.cbr(fc, 1, 1, 1))
                .add(Layers.cbr(4 * w, 1, 1, 1)).add(Layers.upsample2());
        Block at4 = new SequentialBlock()
                .add(Layers.cbr(4 * w, 3, 2, 1)).add(Layers.cbr(4 * w)).add(Layers.skip(at8))
                .add(Layers.cbr(4 * w)).add(Layers.cbr(2 * w, 1, 1, 1)).add(Layers.upsample2());
        return decoderTop(classes, w, at4);
    }

    /**
     * DeepLab-style: an encoder down to 1/4 of the input, a cascade of atrous convolutions there and
     * atrous spatial pyramid pooling (parallel branches at rates 1, 2, 4 and 8, concatenated and
     * projected), then upsampling merged with the earlier, finer encoder features (DeepLabv3+'s
     * decoder).
     *
     * @param width channels of the full-resolution layers; 2x at 1/2, 4x at 1/4
     */
    public static Block deeplab(int classes, int width) {
        int w = width;
        List<Block> pyramid = new ArrayList<>();
        pyramid.add(Layers.cbr(4 * w, 1, 1, 1));
        for (int rate : new int[] {2, 4, 8}) {
            pyramid.add(Layers.cbr(4 * w, 3, 1, rate));
        }
        Block at4 = new SequentialBlock()
                .add(Layers.cbr(4 * w, 3, 2, 1)).add(Layers.cbr(4 * w, 3, 1, 2)).add(Layers.cbr(4 * w, 3, 1, 4))
                .add(Layers.branches(pyramid)).add(Layers.cbr(4 * w, 1, 1, 1))
                .add(Layers.cbr(2 * w, 1, 1, 1)).add(Layers.upsample2());
        return decoderTop(classes, w, at4);
    }

    /** Full and half resolution around a block that takes and returns half-resolution features. */
    private static Block decoderTop(int classes, int w, Block quarter) {
        Block at2 = new SequentialBlock()
                .add(Layers.cbr(2 * w, 3, 2, 1)).add(Layers.cbr(2 * w)).add(Layers.skip(quarter))
                .add(Layers.cbr(2 * w)).add(Layers.cbr(w, 1, 1, 1)).add(Layers.upsample2());
        return new SequentialBlock()
                .add(Layers.cbr(w)).add(Layers.skip(at2)).add(Layers.cbr(w))
                .add(Layers.conv(classes, 1, 1, 1, true));
    }
}
