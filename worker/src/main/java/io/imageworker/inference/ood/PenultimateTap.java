package io.imageworker.inference.ood;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Wraps a sequential classifier so that one forward pass returns {@code (logits, features)}: the
 * output of the last layer and its input, the penultimate features an out-of-distribution detector
 * reads. The wrapped network's weights are used as they are (no copy, no change).
 */
public final class PenultimateTap extends AbstractBlock {

    private final List<Block> layers;
    private final SequentialBlock network;

    private PenultimateTap(SequentialBlock network) {
        this.network = addChildBlock("network", network);
        this.layers = network.getChildren().values();
    }

    /**
     * Makes {@code model} return {@code (logits, features)} for each batch.
     *
     * @throws IllegalArgumentException when the model's block is not a {@link SequentialBlock}
     */
    public static void install(Model model) {
        if (model.getBlock() instanceof PenultimateTap) {
            return;
        }
        if (!(model.getBlock() instanceof SequentialBlock seq)) {
            throw new IllegalArgumentException("model " + model.getName() + " is not a sequential network: no features to tap");
        }
        model.setBlock(new PenultimateTap(seq));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList h = inputs;
        for (int l = 0; l < layers.size() - 1; l++) {
            h = layers.get(l).forward(store, h, training, params);
        }
        NDList out = layers.get(layers.size() - 1).forward(store, h, training, params);
        return new NDList(out.singletonOrThrow(), h.singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] h = inputShapes;
        for (int l = 0; l < layers.size() - 1; l++) {
            h = layers.get(l).getOutputShapes(h);
        }
        return new Shape[] {layers.get(layers.size() - 1).getOutputShapes(h)[0], h[0]};
    }

    @Override
    public void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        network.initialize(manager, dataType, inputShapes);
    }
}
