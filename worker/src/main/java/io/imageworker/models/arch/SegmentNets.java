package io.imageworker.models.arch;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Segmentation networks for (N, 1, H, W) inputs with H and W divisible by 8 (4 for DeepLab): all
 * three return per-pixel class logits (N, classes, H, W) at the input's resolution.
 */
public final class SegmentNets {

    private SegmentNets() {}

    /**
     * FCN-8s (Long, Shelhamer and Darrell 2015), scaled to 64-pixel scenes: a VGG-like encoder
     * (two 3x3 convolutions with batch norm, which the 2015 network lacked, and a 2x2 max pool per
     * stage) down to 1/8 of the input, FCN's
     * convolutionalised classifier there ("fc6": one wide convolution whose window, 5 cells of 8
     * pixels, covers a whole digit; "fc7": 1x1) and a 1x1 convolution to class scores; then, as
     * FCN-8s fuses pool4 and pool3, the scores are upsampled x2 by a learned transposed convolution
     * and summed with 1x1 class scores read off the pool output of the finer stage, twice, and a last
     * learned x2 brings them to the input's size. The decoder is that thin on purpose: scores, not
     * features, are upsampled, which is FCN's design. (VGG's 1/32
     * would be 2x2 cells of a 64-pixel scene, so the coarsest stage here is 1/8 and the two fusions
     * are at 1/4 and 1/2.)
     *
     * @param width channels of the full-resolution stage; 2x, 4x at 1/2, 1/4
     * @param fc channels of fc6 and fc7
     * @param fcKernel fc6's kernel side, in 1/8-resolution cells
     */
    public static Block fcn(int classes, int width, int fc, int fcKernel) {
        int w = width;
        Block from4 = new SequentialBlock() // pool2 (1/4) -> class scores at 1/4
                .add(Layers.cbr(4 * w)).add(Layers.cbr(4 * w)).add(Layers.maxPool2())
                .add(Layers.cbr(fc, fcKernel, 1, 1)).add(Layers.cbr(fc, 1, 1, 1))
                .add(Layers.conv(classes, 1, 1, 1, true)).add(Layers.upscore2(classes));
        Block from2 = new SequentialBlock() // pool1 (1/2) -> class scores at 1/2
                .add(Layers.cbr(2 * w)).add(Layers.cbr(2 * w)).add(Layers.maxPool2())
                .add(Layers.sum(List.of(from4, Layers.conv(classes, 1, 1, 1, true))))
                .add(Layers.upscore2(classes));
        return new SequentialBlock()
                .add(Layers.cbr(w)).add(Layers.cbr(w)).add(Layers.maxPool2())
                .add(Layers.sum(List.of(from2, Layers.conv(classes, 1, 1, 1, true))))
                .add(Layers.upscore2(classes));
    }

    /**
     * DeconvNet (Noh, Hong and Han 2015), scaled to 64-pixel scenes: a VGG-like encoder (two 3x3
     * convolutions with batch norm and ReLU, then a 2x2 max pool, per stage) down to 1/8 of the input,
     * fc6 (one wide convolution covering a whole digit) and fc7 (1x1), and a mirrored decoder: a
     * "deconvolution" of fc6 back to the encoder's width, then per stage an unpooling that puts each
     * value back where the encoder's maximum came from (zeros elsewhere, {@link Unpooling}) followed
     * by two learned convolutions that densify the sparse map. As in the paper's trained version every
     * convolution has batch norm. The decoder's convolutions are at stride 1, where a transposed
     * convolution is a convolution with the kernel flipped, so they are written as convolutions.
     *
     * @param width channels of the full-resolution stage; 2x, 4x at 1/2, 1/4
     * @param fc channels of fc6 and fc7
     * @param fcKernel fc6's kernel side, in 1/8-resolution cells
     */
    public static Block deconvnet(int classes, int width, int fc, int fcKernel) {
        int w = width;
        Block at8 = new SequentialBlock() // fc6, fc7, and fc6's mirror back to the 1/4 stage's width
                .add(Layers.cbr(fc, fcKernel, 1, 1)).add(Layers.cbr(fc, 1, 1, 1))
                .add(Layers.cbr(4 * w, fcKernel, 1, 1));
        Block at4 = unpoolingStage(4 * w, 2 * w, at8);
        Block at2 = unpoolingStage(2 * w, w, at4);
        return new SequentialBlock().add(unpoolingStage(w, w, at2)).add(Layers.conv(classes, 1, 1, 1, true));
    }

    /**
     * One stage of DeconvNet: two convolutions to {@code channels}, max pool to {@code inner} (which
     * must return {@code channels} channels at half the size), unpooling to the pool's switches, two
     * convolutions, the last to {@code out} channels.
     */
    private static Block unpoolingStage(int channels, int out, Block inner) {
        return new SequentialBlock()
                .add(Layers.cbr(channels)).add(Layers.cbr(channels))
                .add(Unpooling.around(inner))
                .add(Layers.cbr(channels)).add(Layers.cbr(out));
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
