package io.imageworker.models.arch;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;

/**
 * The class-conditional DCGAN (auxiliary-classifier form) for 28x28 digits. As in the DCGAN paper:
 * no dense layer beyond the generator's projection, batch norm, ReLU in the generator with a tanh
 * output, LeakyReLU 0.2 in the discriminator, strided convolutions for downsampling; upsampling is
 * nearest-neighbour x2 + convolution (portable; see {@link Layers}).
 */
public final class GanNets {

    /** Side of the generated images. */
    public static final int SIDE = 28;

    private GanNets() {}

    /**
     * Generator: input (N, latent + classes) = latent vector and one-hot label, output (N, 1, 28, 28)
     * in [-1, 1].
     *
     * @param width channels at 14x14; 2x at 7x7 after the projection, 1/2 at 28x28
     */
    public static Block generator(int width) {
        int w = width;
        return new SequentialBlock()
                .add(Linear.builder().setUnits(2L * w * 7 * 7).optBias(false).build())
                .add(Op.reshape(-1, 2L * w, 7, 7))
                .add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Layers.upsample2()).add(Layers.cbr(w))
                .add(Layers.upsample2()).add(Layers.cbr(w / 2))
                .add(Layers.conv(1, 3, 1, 1, true)).add(Activation.tanhBlock());
    }

    /**
     * Discriminator: input (N, 1, 28, 28) in [-1, 1], output (N, 1 + classes): a real/fake logit
     * and class logits (the auxiliary classifier that makes the generator honour the label).
     *
     * @param width channels at 14x14; 2x at 7x7
     */
    public static Block discriminator(int classes, int width) {
        return new SequentialBlock()
                .add(Layers.convPadded(width, 4, 2, 1, true)).add(Activation.leakyReluBlock(0.2f))
                .add(Layers.convPadded(2 * width, 4, 2, 1, false)).add(BatchNorm.builder().build())
                .add(Activation.leakyReluBlock(0.2f))
                .add(Layers.convPadded(1 + classes, 7, 1, 0, true))
                .add(Blocks.batchFlattenBlock());
    }
}
