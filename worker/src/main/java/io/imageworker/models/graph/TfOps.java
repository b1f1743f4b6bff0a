package io.imageworker.models.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * TensorFlow ops with TensorFlow's semantics on DJL's engine-neutral NDArray API, for
 * {@link TfGraph}. Arrays keep TensorFlow's layout (a {@code Conv2D} with {@code data_format NHWC}
 * reads and writes NHWC); where the engine's own op wants channels first (convolution, pooling on
 * MXNet), the op transposes around it.
 */
public final class TfOps {

    private TfOps() {}

    /**
     * {@code Conv2D}: a 2-D convolution.
     *
     * @param x the input, NHWC ({@code nchw} false) or NCHW
     * @param filter (out, in / groups, h, w): the TensorFlow filter (h, w, in, out) transposed at import
     * @param strides [h, w]
     * @param dilations [h, w]
     * @param padding {@code VALID}, {@code SAME} (TensorFlow's: the odd pixel goes bottom and right)
     *     or {@code EXPLICIT}
     * @param pads [top, bottom, left, right] for {@code EXPLICIT}; ignored otherwise
     * @param nchw the input and output are NCHW
     * @return the output, in the input's layout
     */
    public static NDArray conv2d(NDArray x, NDArray filter, int[] strides, int[] dilations, String padding, int[] pads,
            boolean nchw) {
        NDArray in = nchw ? x : x.transpose(0, 3, 1, 2);
        long inC = in.getShape().get(1);
        int groups = (int) (inC / filter.getShape().get(1));
        int[] p = padsOf(padding, pads, in.getShape().get(2), in.getShape().get(3),
                (int) filter.getShape().get(2), (int) filter.getShape().get(3), strides, dilations);
        NDArray padded = p[0] == p[1] && p[2] == p[3] ? in
                : pad(in, new int[][] {{0, 0}, {0, 0}, {p[0], p[1]}, {p[2], p[3]}}, 0f);
        long[] sym = p[0] == p[1] && p[2] == p[3] ? new long[] {p[0], p[2]} : new long[] {0, 0};
        NDArray y = Conv2d.conv2d(padded, filter, null, new Shape(strides[0], strides[1]), new Shape(sym),
                new Shape(dilations[0], dilations[1]), groups).singletonOrThrow();
        return nchw ? y : y.transpose(0, 2, 3, 1);
    }

    /**
     * {@code MaxPool}: the maximum over windows; padding, when {@code SAME}, never wins.
     *
     * @param x NHWC ({@code nchw} false) or NCHW
     * @param ksize [h, w]
     * @param strides [h, w]
     * @param padding {@code VALID} or {@code SAME}
     * @return in the input's layout
     */
    public static NDArray maxPool(NDArray x, int[] ksize, int[] strides, String padding, boolean nchw) {
        NDArray in = nchw ? x : x.transpose(0, 3, 1, 2);
        int[] p = padsOf(padding, null, in.getShape().get(2), in.getShape().get(3), ksize[0], ksize[1], strides,
                new int[] {1, 1});
        NDArray padded = p[0] + p[1] + p[2] + p[3] == 0 ? in
                : pad(in, new int[][] {{0, 0}, {0, 0}, {p[0], p[1]}, {p[2], p[3]}}, Float.NEGATIVE_INFINITY);
        NDArray y = Pool.maxPool2d(padded, new Shape(ksize[0], ksize[1]), new Shape(strides[0], strides[1]),
                new Shape(0, 0), false);
        return nchw ? y : y.transpose(0, 2, 3, 1);
    }

    /**
     * The padding [top, bottom, left, right] TensorFlow applies for {@code padding} to an
     * {@code h} x {@code w} input and a {@code kh} x {@code kw} window.
     *
     * @throws IllegalArgumentException for a padding other than VALID, SAME and EXPLICIT
     */
    static int[] padsOf(String padding, int[] explicit, long h, long w, int kh, int kw, int[] strides, int[] dilations) {
        return switch (padding) {
            case "VALID" -> new int[4];
            case "EXPLICIT" -> explicit;
            case "SAME" -> {
                int[] ph = same(h, kh, strides[0], dilations[0]);
                int[] pw = same(w, kw, strides[1], dilations[1]);
                yield new int[] {ph[0], ph[1], pw[0], pw[1]};
            }
            default -> throw new IllegalArgumentException("padding '" + padding + "' (known: VALID, SAME, EXPLICIT)");
        };
    }

    private static int[] same(long size, int k, int stride, int dilation) {
        long effective = (long) (k - 1) * dilation + 1;
        long out = (size + stride - 1) / stride;
        long total = Math.max(0, (out - 1) * stride + effective - size);
        return new int[] {(int) (total / 2), (int) (total - total / 2)};
    }

    /**
     * {@code Pad} and {@code PadV2}: a constant border.
     *
     * @param paddings per axis {before, after}
     * @param value the border's value (0 for {@code Pad})
     */
    public static NDArray pad(NDArray x, int[][] paddings, float value) {
        NDArray y = x;
        NDManager m = x.getManager();
        for (int axis = 0; axis < paddings.length; axis++) {
            int before = paddings[axis][0];
            int after = paddings[axis][1];
            if (before == 0 && after == 0) {
                continue;
            }
            NDList parts = new NDList(3);
            long[] dims = y.getShape().getShape();
            if (before > 0) {
                dims[axis] = before;
                parts.add(m.full(new Shape(dims), value, y.getDataType()));
            }
            parts.add(y);
            if (after > 0) {
                dims[axis] = after;
                parts.add(m.full(new Shape(dims), value, y.getDataType()));
            }
            y = NDArrays.concat(parts, axis);
        }
        return y;
    }

    /** {@code LeakyRelu}: x where x &gt; 0, else alpha x. */
    public static NDArray leakyRelu(NDArray x, float alpha) {
        return NDArrays.where(x.gte(0), x, x.mul(alpha));
    }

    /** {@code Sigmoid}: 1 / (1 + e^-x). */
    public static NDArray sigmoid(NDArray x) {
        return x.neg().exp().add(1).pow(-1);
    }

    /** {@code ConcatV2} along {@code axis} (negative: from the end). */
    public static NDArray concat(NDList xs, int axis) {
        int a = axis < 0 ? axis + xs.get(0).getShape().dimension() : axis;
        return NDArrays.concat(xs, a);
    }

    /**
     * {@code SplitV}: pieces of the given sizes along {@code axis} (one size may be -1: the rest).
     *
     * @return the pieces in order
     */
    public static NDList splitV(NDArray x, int[] sizes, int axis) {
        int a = axis < 0 ? axis + x.getShape().dimension() : axis;
        long total = x.getShape().get(a);
        long known = 0;
        for (int s : sizes) {
            known += s < 0 ? 0 : s;
        }
        long[] points = new long[sizes.length - 1];
        long at = 0;
        for (int i = 0; i < sizes.length - 1; i++) {
            at += sizes[i] < 0 ? total - known : sizes[i];
            points[i] = at;
        }
        return x.split(points, a);
    }

    /**
     * {@code ResizeBilinear} of an NHWC array to {@code size} [h, w], as TensorFlow computes it
     * (a source coordinate per output pixel, its two neighbours clamped to the edge), written as
     * two small interpolation matrices so that it runs on any engine.
     */
    public static NDArray resizeBilinear(NDArray x, int[] size, boolean alignCorners, boolean halfPixelCenters) {
        Shape s = x.getShape();
        NDManager m = x.getManager();
        NDArray rows = m.create(interpolation((int) s.get(1), size[0], alignCorners, halfPixelCenters),
                new Shape(size[0], s.get(1)));
        NDArray cols = m.create(interpolation((int) s.get(2), size[1], alignCorners, halfPixelCenters),
                new Shape(size[1], s.get(2)));
        // (N, C, H, W) -> rows (oh, H) . x -> (N, C, oh, W) . cols^T (W, ow) -> (N, C, oh, ow)
        NDArray nchw = x.transpose(0, 3, 1, 2);
        NDArray y = rows.matMul(nchw).matMul(cols.transpose());
        return y.transpose(0, 2, 3, 1);
    }

    /** Row i: the weights output pixel i gives each input pixel (TF.js's resizeBilinear on the CPU backend). */
    static float[] interpolation(int in, int out, boolean alignCorners, boolean halfPixelCenters) {
        float[] r = new float[out * in];
        double effIn = alignCorners && out > 1 ? in - 1 : in;
        double effOut = alignCorners && out > 1 ? out - 1 : out;
        double scale = effIn / effOut;
        for (int i = 0; i < out; i++) {
            double src = halfPixelCenters ? scale * (i + 0.5) - 0.5 : scale * i;
            int lo = (int) Math.max(0, Math.floor(src));
            int hi = (int) Math.min(in - 1, Math.ceil(src));
            double frac = src - lo;
            r[i * in + lo] += (float) (1 - frac);
            r[i * in + hi] += (float) frac;
        }
        return r;
    }

    /** {@code Reshape} to {@code shape} (one entry may be -1). */
    public static NDArray reshape(NDArray x, long[] shape) {
        return x.reshape(new Shape(shape));
    }
}
