package io.imageworker.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import java.util.List;

/**
 * Branches run side by side on the same input, joined in a way the block names ({@link #kind()}),
 * so that the network can be written to another format from the block tree alone (a
 * {@link ParallelBlock}'s join function is opaque). Saved and loaded as a {@link ParallelBlock}.
 */
public final class Join extends ParallelBlock {

    /** How the branches' outputs become one. */
    public enum Kind {
        /** Element-wise sum of same-shaped outputs. */
        SUM,
        /** Concatenation on the channel axis (1). */
        CONCAT,
        /**
         * DeconvNet's unpooling ({@link Unpooling}): branch 0 is the encoder's features (identity),
         * branch 1 starts with the 2x2 max pool whose switches the unpooling follows.
         */
        UNPOOL
    }

    private final Kind kind;

    Join(Kind kind, List<Block> branches) {
        super(outs -> join(kind, outs), branches);
        this.kind = kind;
    }

    /** How the branches are joined. */
    public Kind kind() {
        return kind;
    }

    private static NDList join(Kind kind, List<NDList> outs) {
        return switch (kind) {
            case SUM -> {
                NDArray total = outs.get(0).singletonOrThrow();
                for (int i = 1; i < outs.size(); i++) {
                    total = total.add(outs.get(i).singletonOrThrow());
                }
                yield new NDList(total);
            }
            case CONCAT -> {
                NDList all = new NDList(outs.size());
                outs.forEach(o -> all.add(o.singletonOrThrow()));
                yield new NDList(NDArrays.concat(all, 1));
            }
            case UNPOOL -> new NDList(Unpooling.unpool(outs.get(0).singletonOrThrow(), outs.get(1).singletonOrThrow()));
        };
    }
}
