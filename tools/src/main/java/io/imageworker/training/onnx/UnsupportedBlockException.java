package io.imageworker.training.onnx;

import ai.djl.nn.Block;

/** A block of the network has no ONNX form in the exporter: the message names its class and its path in the tree. */
public final class UnsupportedBlockException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    UnsupportedBlockException(String path, Block block, String why) {
        super("cannot export " + block.getClass().getSimpleName() + (path.isEmpty() ? "" : " at " + path) + " to ONNX: " + why);
    }
}
