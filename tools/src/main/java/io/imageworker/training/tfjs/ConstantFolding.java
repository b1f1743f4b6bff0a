package io.imageworker.training.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The integer arithmetic a converter leaves in a graph (shapes built by {@code SparseToDense},
 * {@code Cast} and {@code Add} from constants), evaluated at import so that only float tensors
 * flow at run time.
 */
final class ConstantFolding {

    private ConstantFolding() {}

    /** A value known at import: its shape and values (integers held exactly as doubles). */
    record Static(int[] shape, double[] values, boolean integer) {}

    /**
     * The value of {@code def}, an op of {@link GraphConverter#FOLDED}, from its constant inputs.
     *
     * @throws GraphConverter.UnsupportedOpException for an Add that broadcasts beyond a scalar, or
     *     a SparseToDense index outside its shape
     */
    static Static fold(JsonNode def, String op, List<Static> in) {
        Static a = in.get(0);
        return switch (op) {
            case "Identity" -> a;
            case "Cast" -> {
                String to = def.path("attr").path("DstT").path("type").asText("DT_FLOAT");
                boolean integer = to.startsWith("DT_INT") || to.startsWith("DT_UINT");
                double[] v = a.values().clone();
                if (integer) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (long) v[i];
                    }
                }
                yield new Static(a.shape(), v, integer);
            }
            case "Add", "AddV2" -> add(def, a, in.get(1));
            case "SparseToDense" -> sparseToDense(def, a, in.get(1), in.get(2), in.get(3));
            default -> throw new IllegalStateException(op);
        };
    }

    private static Static add(JsonNode def, Static a, Static b) {
        Static big = a.values().length >= b.values().length ? a : b;
        Static small = big == a ? b : a;
        if (small.values().length != 1 && small.values().length != big.values().length) {
            throw new GraphConverter.UnsupportedOpException("node '" + def.path("name").asText() + "' (Add of constants) broadcasts "
                    + "shapes " + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
        }
        double[] v = new double[big.values().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = big.values()[i] + small.values()[small.values().length == 1 ? 0 : i];
        }
        return new Static(big.shape(), v, a.integer() && b.integer());
    }

    /** TensorFlow's SparseToDense: {@code default} everywhere, {@code values} at {@code indices}. */
    private static Static sparseToDense(JsonNode def, Static indices, Static shape, Static values, Static fill) {
        int[] dims = new int[shape.values().length];
        int size = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (int) shape.values()[i];
            size *= dims[i];
        }
        double[] v = new double[size];
        java.util.Arrays.fill(v, fill.values()[0]);
        int count = indices.shape().length == 0 ? 1 : indices.shape()[0];
        int rank = indices.shape().length < 2 ? 1 : indices.shape()[1];
        for (int k = 0; k < count; k++) {
            int flat = 0;
            for (int d = 0; d < rank; d++) {
                flat = flat * dims[d] + (int) indices.values()[k * rank + d];
            }
            if (flat < 0 || flat >= size) {
                throw new GraphConverter.UnsupportedOpException("node '" + def.path("name").asText() + "' (SparseToDense) has an index "
                        + "outside its shape");
            }
            v[flat] = values.values()[values.values().length == 1 ? 0 : k];
        }
        return new Static(dims, v, fill.integer());
    }
}
