package io.imageworker.models.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.LambdaBlock;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A weightless layer that says what it computes: its type is the ONNX operator it equals
 * ({@code MaxPool}, {@code Resize}, {@code Reshape}) and its attributes that operator's, so that the
 * network can be written to another format from the block tree alone (a plain lambda is opaque).
 * Saved and loaded as the {@link LambdaBlock} it is: it holds no parameters.
 */
public final class Op extends LambdaBlock {

    /** 2x2 max pooling at stride 2, no padding: {@code MaxPool} with these attributes. */
    public static final String MAX_POOL = "MaxPool";

    /** Nearest-neighbour upsampling by an integer factor on H and W: {@code Resize}, attribute {@code scale}. */
    public static final String UPSAMPLE = "Resize";

    /** Reshape to {@code shape} (-1 for the batch axis). */
    public static final String RESHAPE = "Reshape";

    private final String type;
    private final Map<String, List<Long>> attributes;

    private Op(String type, Map<String, List<Long>> attributes, UnaryOperator<NDArray> f) {
        super(list -> new NDList(f.apply(list.singletonOrThrow())), type);
        this.type = type;
        this.attributes = Map.copyOf(attributes);
    }

    /** Max pooling, (N, C, H, W) -> (N, C, (H - k) / s + 1, ...). */
    static Op maxPool(int kernel, int stride) {
        ai.djl.ndarray.types.Shape k = new ai.djl.ndarray.types.Shape(kernel, kernel);
        ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(stride, stride);
        return new Op(MAX_POOL, Map.of("kernel_shape", List.of((long) kernel, (long) kernel),
                "strides", List.of((long) stride, (long) stride)),
                x -> ai.djl.nn.pooling.Pool.maxPool2d(x, k, s, new ai.djl.ndarray.types.Shape(0, 0), false));
    }

    /** Nearest-neighbour upsampling by {@code scale}, (N, C, H, W) -> (N, C, scale H, scale W). */
    static Op upsample(int scale) {
        return new Op(UPSAMPLE, Map.of("scale", List.of((long) scale)), x -> x.repeat(2, scale).repeat(3, scale));
    }

    /** Reshape to {@code shape}; -1 stands for the batch axis. */
    static Op reshape(long... shape) {
        List<Long> s = java.util.Arrays.stream(shape).boxed().toList();
        return new Op(RESHAPE, Map.of("shape", s), x -> x.reshape(new ai.djl.ndarray.types.Shape(shape)));
    }

    /** The ONNX operator this layer equals. */
    public String type() {
        return type;
    }

    /** The operator's attributes (integer lists), by ONNX name ({@code scale} for {@link #UPSAMPLE}). */
    public Map<String, List<Long>> attributes() {
        return attributes;
    }
}
