package io.imageworker.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The CAM head: global average pooling of the last convolutional features, then one dense layer
 * to class logits. It also returns the class activation maps, {@code M_c(x, y) = sum_k w_ck
 * f_k(x, y)} with the dense layer's own weights, so that averaging {@code M_c} over the map and
 * adding the bias {@code b_c} gives exactly the logit of class {@code c}.
 *
 * <p>Input: features (N, K, h, w). Output: logits (N, classes) and maps (N, classes, h, w).
 */
public final class CamHead extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int classes;
    private final Linear dense;

    /**
     * A head for {@code classes} classes; the dense layer's input width K is set from the features
     * at initialization. Class activation maps after Zhou et al. 2016, "Learning Deep Features for
     * Discriminative Localization" (CVPR).
     *
     * @param classes number of logits and maps per image
     */
    public CamHead(int classes) {
        super(VERSION);
        this.classes = classes;
        this.dense = addChildBlock("dense", Linear.builder().setUnits(classes).build());
    }

    /** The number of classes: logits and maps per image. */
    public int classes() {
        return classes;
    }

    /** The dense layer from pooled features to logits; its weight (classes, K) also makes the maps. */
    public Linear dense() {
        return dense;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray features = inputs.singletonOrThrow();
        Shape s = features.getShape();
        long n = s.get(0);
        long k = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray pooled = features.mean(new int[] {2, 3});
        NDArray logits = dense.forward(store, new NDList(pooled), training).singletonOrThrow();
        NDArray weight = store.getValue(dense.getParameters().get("weight"), features.getDevice(), training);
        // weight.matMul would land in the weight's (the model's) manager, which lives as long as the
        // model: every call would leak its maps, and in training the whole step's graph with them.
        NDArray product = weight.matMul(features.reshape(n, k, h * w));
        product.attach(features.getManager());
        NDArray maps = product.reshape(n, classes, h, w);
        return new NDList(logits, maps);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), classes), new Shape(s.get(0), classes, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        dense.initialize(manager, dataType, new Shape(s.get(0), s.get(1)));
    }
}
