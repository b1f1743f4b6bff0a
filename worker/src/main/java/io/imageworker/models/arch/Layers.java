package io.imageworker.models.arch;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv2dTranspose;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/**
 * Portable building blocks of the segmentation, CAM and GAN nets: only engine-neutral DJL
 * operators, so swapping the engine stays a dependency change. Upsampling is nearest-neighbour
 * repetition followed by a learned convolution (MXNet's transposed convolution has the wrong
 * weight layout in DJL whenever input and output channels differ).
 */
final class Layers {

    private Layers() {}

    /** A convolution, "same" padding for odd kernels at stride 1. */
    static Block conv(int filters, int kernel, int stride, int dilation, boolean bias) {
        int pad = dilation * (kernel - 1) / 2;
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad))
                .optDilation(new Shape(dilation, dilation)).optBias(bias).build();
    }

    /** A convolution with explicit padding (for even kernels and "valid" convolutions). */
    static Block convPadded(int filters, int kernel, int stride, int pad, boolean bias) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).optBias(bias).build();
    }

    /** Convolution (no bias: the norm's beta replaces it), batch norm, ReLU. */
    static SequentialBlock cbr(int filters, int kernel, int stride, int dilation) {
        return new SequentialBlock().add(conv(filters, kernel, stride, dilation, false))
                .add(BatchNorm.builder().build()).add(Activation.reluBlock());
    }

    /** 3x3 {@link #cbr} at stride 1, no dilation. */
    static SequentialBlock cbr(int filters) {
        return cbr(filters, 3, 1, 1);
    }

    /** Nearest-neighbour upsampling by 2 of an (N, C, H, W) array. */
    static Block upsample2() {
        return Op.upsample(2);
    }

    /** 2x2 max pooling at stride 2. */
    static Block maxPool2() {
        return Op.maxPool(2, 2);
    }

    /**
     * FCN's learned upsampling of class scores: a 4x4 transposed convolution at stride 2, padding 1,
     * {@code classes} channels in and out (equal counts, where DJL's MXNet weight layout is right).
     */
    static Block upscore2(int classes) {
        return Conv2dTranspose.builder().setFilters(classes).setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).optBias(false).build();
    }

    /** Runs the branches side by side on the same input and sums their (same-shaped) outputs. */
    static Block sum(List<Block> blocks) {
        return new Join(Join.Kind.SUM, blocks);
    }

    /** Runs {@code inner} and passes its input through beside it: output = concat(inner(x), x) on channels. */
    static Block skip(Block inner) {
        return new Join(Join.Kind.CONCAT, List.of(inner, Blocks.identityBlock()));
    }

    /** Runs the branches side by side on the same input and concatenates their outputs on channels. */
    static Block branches(List<Block> blocks) {
        return new Join(Join.Kind.CONCAT, blocks);
    }
}
