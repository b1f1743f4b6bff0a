package io.imageworker.training.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.models.arch.LayerGraph;

/**
 * TensorFlow's conventions in the engine's terms, for the importers of TF.js models: kernels from
 * TF's HWIO layout to the engine's OIHW, TF's {@code same} padding as explicit pads, Keras
 * activations and ReLU variants by the names {@link LayerGraph} runs. Pure functions of their
 * arguments; an unsupported variant is refused with {@link KerasGraph.UnsupportedLayerException}
 * naming the layer.
 */
final class TfLayouts {

    private TfLayouts() {}

    static String activation(String layer, String keras) {
        return switch (keras) {
            case "linear", "relu", "sigmoid", "tanh", "softmax", "elu" -> keras;
            case "relu6" -> "relu6";
            default -> throw new KerasGraph.UnsupportedLayerException("layer " + layer + " uses activation '" + keras
                    + "', which the importer does not support; supported: " + LayerGraph.ACTIVATIONS);
        };
    }

    static String relu(String name, JsonNode c) {
        double max = c.path("max_value").isNumber() ? c.path("max_value").asDouble() : Double.NaN;
        double slope = c.path("negative_slope").asDouble(0);
        double threshold = c.path("threshold").asDouble(0);
        if (threshold != 0) {
            throw new KerasGraph.UnsupportedLayerException("layer " + name + " (ReLU) with threshold " + threshold + " is not supported");
        }
        if (slope != 0) {
            if (!Double.isNaN(max)) {
                throw new KerasGraph.UnsupportedLayerException("layer " + name + " (ReLU) with both a slope and a maximum is not supported");
            }
            return "leaky-relu:" + slope;
        }
        if (Double.isNaN(max)) {
            return "relu";
        }
        if (max == 6) {
            return "relu6";
        }
        throw new KerasGraph.UnsupportedLayerException("layer " + name + " (ReLU) with max_value " + max + " is not supported (6 is)");
    }

    /** TensorFlow's padding: "valid" none; "same" total max((ceil(n/s)-1)*s + (k-1)*d + 1 - n, 0), the extra one after. */
    static int[] pads(String name, String padding, int[] chw, int[] k, int[] s, int[] d) {
        if ("valid".equals(padding)) {
            return new int[4];
        }
        if (!"same".equals(padding)) {
            throw new KerasGraph.UnsupportedLayerException("layer " + name + " has padding '" + padding + "' (valid, same)");
        }
        int[] pads = new int[4];
        for (int a = 0; a < 2; a++) {
            int n = chw[a + 1];
            int out = (n + s[a] - 1) / s[a];
            int total = Math.max((out - 1) * s[a] + (k[a] - 1) * d[a] + 1 - n, 0);
            pads[2 * a] = total / 2;
            pads[2 * a + 1] = total - total / 2;
        }
        return pads;
    }

    static int outSize(int n, int k, int s, int d, int pad) {
        return (n + pad - ((k - 1) * d + 1)) / s + 1;
    }

    /** [h, w, in, out] row-major to [out, in, h, w]. */
    static float[] hwioToOihw(float[] k, int h, int w, int in, int out) {
        float[] r = new float[k.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < out; o++) {
                        r[((o * in + i) * h + y) * w + x] = k[((y * w + x) * in + i) * out + o];
                    }
                }
            }
        }
        return r;
    }

    /** [h, w, in, m] row-major to [in * m, 1, h, w]: output channel c * m + j is input c's j-th filter. */
    static float[] depthwiseToOihw(float[] k, int h, int w, int in, int m) {
        float[] r = new float[k.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < in; c++) {
                    for (int j = 0; j < m; j++) {
                        r[((c * m + j) * h + y) * w + x] = k[((y * w + x) * in + c) * m + j];
                    }
                }
            }
        }
        return r;
    }

    static int[] pair(JsonNode n) {
        if (n.isInt()) {
            return new int[] {n.asInt(), n.asInt()};
        }
        if (n.isMissingNode() || n.isNull()) {
            return new int[] {1, 1};
        }
        return new int[] {n.get(0).asInt(), n.get(1).asInt()};
    }

    static int size(int[] s) {
        int n = 1;
        for (int v : s) {
            n *= v;
        }
        return n;
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /**
     * Folds a batch norm into the convolution or dense layer before it: {@code w} (out-major, in
     * place) becomes {@code w * g / sqrt(v + eps)}; returns the new bias {@code (b - mean) * g /
     * sqrt(v + eps) + beta}, one per output channel.
     */
    static float[] foldBatchNorm(float[] w, float[] b, float[] gamma, float[] beta, float[] mean, float[] var, double eps) {
        int ch = gamma.length;
        int per = w.length / ch;
        float[] nb = new float[ch];
        for (int o = 0; o < ch; o++) {
            double f = gamma[o] / Math.sqrt(var[o] + eps);
            for (int i = 0; i < per; i++) {
                w[o * per + i] = (float) (w[o * per + i] * f);
            }
            nb[o] = (float) ((b[o] - mean[o]) * f + beta[o]);
        }
        return nb;
    }
}
