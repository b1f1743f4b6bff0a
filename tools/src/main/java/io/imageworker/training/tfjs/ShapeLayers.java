package io.imageworker.training.tfjs;

import static io.imageworker.training.tfjs.TfLayouts.outSize;
import static io.imageworker.training.tfjs.TfLayouts.pads;
import static io.imageworker.training.tfjs.TfLayouts.pair;
import static io.imageworker.training.tfjs.TfLayouts.size;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.training.tfjs.KerasGraph.UnsupportedLayerException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Keras layers with no weights that change a shape (padding, pooling, concatenation, reshape):
 * each read from its config and input shape(s) into the {@link io.imageworker.models.arch.LayerGraph}
 * node it becomes. Pure functions; shapes are [C, H, W] or [F], as {@link KerasGraph} keeps them.
 */
final class ShapeLayers {

    private ShapeLayers() {}

    /**
     * A node to add: its op, output shape and keys.
     *
     * @param op the LayerGraph op
     * @param shape the output shape, [C, H, W] or [F]
     * @param keys the op's keys, in a fixed order (graph.json is reproducible)
     */
    record Spec(String op, int[] shape, Map<String, Object> keys) {}

    /** ZeroPadding2D: a pad node (top, bottom, left, right). */
    static Spec zeroPad(String name, JsonNode c, int[] shape) {
        int[] in = chw(name, shape);
        JsonNode p = c.path("padding");
        int[] pads;
        if (p.isInt()) {
            pads = new int[] {p.asInt(), p.asInt(), p.asInt(), p.asInt()};
        } else if (p.get(0).isInt()) {
            pads = new int[] {p.get(0).asInt(), p.get(0).asInt(), p.get(1).asInt(), p.get(1).asInt()};
        } else {
            pads = new int[] {p.get(0).get(0).asInt(), p.get(0).get(1).asInt(), p.get(1).get(0).asInt(),
                p.get(1).get(1).asInt()};
        }
        return new Spec("pad", new int[] {in[0], in[1] + pads[0] + pads[1], in[2] + pads[2] + pads[3]},
                Map.of("pads", List.of(pads[0], pads[1], pads[2], pads[3])));
    }

    /** MaxPooling2D or AveragePooling2D ({@code op}: maxpool or avgpool), its padding symmetric. */
    static Spec pool(String name, JsonNode c, int[] shape, String op) {
        int[] in = chw(name, shape);
        int[] k = pair(c.path("pool_size"));
        int[] s = c.path("strides").isNull() || c.path("strides").isMissingNode() ? k : pair(c.path("strides"));
        int[] pads = pads(name, c.path("padding").asText("valid"), in, k, s, new int[] {1, 1});
        if (pads[0] != pads[1] || pads[2] != pads[3]) {
            throw new UnsupportedLayerException("layer " + name + " (" + op + ") needs asymmetric 'same' padding "
                    + Arrays.toString(pads) + ", which is not supported for pooling");
        }
        int[] out = {in[0], outSize(in[1], k[0], s[0], 1, pads[0] + pads[1]), outSize(in[2], k[1], s[1], 1, pads[2] + pads[3])};
        Map<String, Object> keys = new LinkedHashMap<>(); // a fixed order: graph.json is reproducible
        keys.put("pool", List.of(k[0], k[1]));
        keys.put("strides", List.of(s[0], s[1]));
        keys.put("pads", List.of(pads[0], pads[1], pads[2], pads[3]));
        return new Spec(op, out, keys);
    }

    /** Concatenate over the channel axis of {@code shapes}, the inputs' shapes. */
    static Spec concat(String name, JsonNode c, List<int[]> shapes) {
        int rank = shapes.get(0).length;
        int axis = c.path("axis").asInt(-1);
        int channelsLast = axis < 0 ? rank + axis + 1 : axis; // 1-based position of the axis after the batch
        if (channelsLast != rank) {
            throw new UnsupportedLayerException("layer " + name + " (Concatenate) on axis " + axis
                    + "; only the channel axis is supported");
        }
        int[] out = shapes.get(0).clone();
        out[0] = 0;
        for (int[] in : shapes) {
            out[0] += in[0];
        }
        return new Spec("concat", out, Map.of("axis", 1));
    }

    /** Reshape to a 1-D or 3-D (H, W, C) target. */
    static Spec reshape(String name, JsonNode c, int[] shape) {
        JsonNode t = c.path("target_shape");
        int[] target = new int[t.size()];
        for (int i = 0; i < target.length; i++) {
            target[i] = t.get(i).asInt();
        }
        if (size(target) != size(shape) || (target.length != 1 && target.length != 3)) {
            throw new UnsupportedLayerException("layer " + name + " (Reshape) to " + t + " is not supported");
        }
        int[] out = target.length == 3 ? new int[] {target[2], target[0], target[1]} : target;
        List<Integer> tl = new ArrayList<>();
        for (int v : target) {
            tl.add(v);
        }
        return new Spec("reshape", out, Map.of("target", tl));
    }

    /** {@code s} when it is an image's (C, H, W) shape. */
    static int[] chw(String name, int[] s) {
        if (s.length != 3) {
            throw new UnsupportedLayerException("layer " + name + " needs an image (H, W, C) input, got " + s.length + "-D");
        }
        return s;
    }
}
