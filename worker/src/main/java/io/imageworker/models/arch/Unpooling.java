package io.imageworker.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import java.util.List;

/**
 * DeconvNet's unpooling, built from operators every engine has (DJL has no unpooling op and MXNet's
 * max pool does not return its argmax): the "switches" of a 2x2 / stride 2 max pool are the
 * positions where the input equals its window's maximum (compared on the four strided views of
 * the windows' corners); of equal maxima in one window only the first in row-major order is kept
 * (what a recorded argmax would hold).
 * Unpooling repeats each pooled-size value over its window and keeps it only at the switch: the
 * value goes back where the maximum came from, zeros elsewhere. The switches carry no gradient;
 * the unpooled values pass theirs back to where they came from.
 */
public final class Unpooling {

    private Unpooling() {}

    /**
     * {@code max pool -> inner -> unpool to the pool's switches}, as one block: input (N, C, H, W)
     * with H and W even; {@code inner} must map (N, C, H/2, W/2) to (N, C, H/2, W/2) (same channels:
     * its values go back to the encoder's positions); output (N, C, H, W).
     */
    public static Block around(Block inner) {
        Block pooledPath = new SequentialBlock().add(Layers.maxPool2()).add(inner);
        return new Join(Join.Kind.UNPOOL, List.of(Blocks.identityBlock(), pooledPath));
    }

    /**
     * The switches of a 2x2 / stride 2 max pool of {@code x} (N, C, H, W), H and W even: 1 at the
     * first maximum of each window in row-major order, 0 elsewhere; same shape as {@code x}, float32,
     * no gradient.
     *
     * @throws IllegalArgumentException when {@code x} is not 4-d with even H and W
     */
    public static NDArray switches(NDArray x) {
        return unpool(x, x.getManager().ones(pooledShape(x.getShape())));
    }

    /**
     * Unpools {@code pooled} (N, C, H/2, W/2) to the switches of the max pool of {@code encoder} (N,
     * C, H, W): each value at its window's first maximum, zeros elsewhere.
     *
     * @throws IllegalArgumentException when the shapes do not pair up
     */
    public static NDArray unpool(NDArray encoder, NDArray pooled) {
        Shape e = encoder.getShape();
        if (!pooled.getShape().equals(pooledShape(e))) {
            throw new IllegalArgumentException("cannot unpool " + pooled.getShape() + " to the switches of " + e);
        }
        // Work at the pooled size: the four positions of every window as four strided views.
        NDArray f = encoder.stopGradient();
        NDArray topLeft = f.get(":, :, 0::2, 0::2");
        NDArray topRight = f.get(":, :, 0::2, 1::2");
        NDArray bottomLeft = f.get(":, :, 1::2, 0::2");
        NDArray bottomRight = f.get(":, :, 1::2, 1::2");
        NDArray max = NDArrays.maximum(NDArrays.maximum(topLeft, topRight), NDArrays.maximum(bottomLeft, bottomRight));
        // One-hot of the first maximum in row-major order: each later position only where no earlier one was.
        NDArray first = topLeft.eq(max).toType(DataType.FLOAT32, false);
        NDArray left = first.neg().add(1);
        NDArray second = topRight.eq(max).toType(DataType.FLOAT32, false).mul(left);
        left = left.sub(second);
        NDArray third = bottomLeft.eq(max).toType(DataType.FLOAT32, false).mul(left);
        NDArray fourth = left.sub(third); // the maximum is at the last position when at none before
        // (N, C, h, w) x 4 -> (N, C, h, 2, w, 2) -> (N, C, 2h, 2w)
        NDArray top = NDArrays.stack(new NDList(pooled.mul(first), pooled.mul(second)), 4);
        NDArray bottom = NDArrays.stack(new NDList(pooled.mul(third), pooled.mul(fourth)), 4);
        return NDArrays.stack(new NDList(top, bottom), 3).reshape(e);
    }

    private static Shape pooledShape(Shape s) {
        if (s.dimension() != 4 || s.get(2) % 2 != 0 || s.get(3) % 2 != 0) {
            throw new IllegalArgumentException("unpooling needs (N, C, H, W) with even H and W, got " + s);
        }
        return new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2);
    }
}
