package io.imageworker.models.arch;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;

/**
 * The classification ladder of the course material (Görner, "TensorFlow and deep learning, without
 * a PhD"), each rung a network of its own. Inputs are (N, 1, 28, 28) in [0, 1]; outputs are logits.
 */
public final class ClassifierNets {

    private ClassifierNets() {}

    /** One dense layer: softmax regression (about 92% in the material). */
    public static Block softmax(int classes) {
        return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(dense(classes));
    }

    /**
     * Five dense layers 200/100/60/30/classes.
     *
     * @param activation makes the activation between layers (a named block, such as
     *     {@code Activation::sigmoidBlock} or {@code Activation::reluBlock}, so the network can be exported)
     * @param dropout drop rate after each hidden layer, 0 for none (the material's keep 0.75 is 0.25)
     */
    public static Block mlp(java.util.function.Supplier<Block> activation, float dropout, int classes) {
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock());
        for (int units : new int[] {200, 100, 60, 30}) {
            net.add(dense(units)).add(activation.get());
            if (dropout > 0) {
                net.add(Dropout.builder().optRate(dropout).build());
            }
        }
        return net.add(dense(classes));
    }

    /**
     * Three convolutions with ReLU, then a dense layer of 200.
     *
     * @param channels the three convolutions' widths (4/8/12 small, 6/12/24 bigger)
     * @param firstKernel 5 (small, padded to keep 28x28) or 6 (bigger, 27x27)
     * @param dropout drop rate before the output layer, 0 for none
     */
    public static Block cnn(int[] channels, int firstKernel, float dropout, int classes) {
        SequentialBlock net = new SequentialBlock()
                .add(conv(channels[0], firstKernel, 1, 2)).add(Activation.reluBlock())
                .add(conv(channels[1], 5, 2, 2)).add(Activation.reluBlock())
                .add(conv(channels[2], 4, 2, 1)).add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(dense(200)).add(Activation.reluBlock());
        if (dropout > 0) {
            net.add(Dropout.builder().optRate(dropout).build());
        }
        return net.add(dense(classes));
    }

    /**
     * The material's best rung: 24/48/64 convolutions (6x6 s1, 5x5 s2, 4x4 s2), each followed by
     * batch norm and ReLU, dense 200 with batch norm, dropout, and the output layer. Convolutions
     * before batch norm carry no bias: the norm's beta replaces it.
     */
    public static Block cnnBatchNorm(float dropout, int classes) {
        return new SequentialBlock()
                .add(convNoBias(24, 6, 1, 2)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(convNoBias(48, 5, 2, 2)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(convNoBias(64, 4, 2, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(200).optBias(false).build())
                .add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(Dropout.builder().optRate(dropout).build())
                .add(dense(classes));
    }

    static Block dense(int units) {
        return Linear.builder().setUnits(units).build();
    }

    static Block conv(int filters, int kernel, int stride, int pad) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).build();
    }

    static Block convNoBias(int filters, int kernel, int stride, int pad) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).optBias(false).build();
    }
}
