package io.imageworker.training.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a TF.js model folder: its {@code weightsManifest} read against the binary shards
 * it names. Each group's shards are one little-endian byte stream, cut into the weights in the
 * manifest's order; quantised weights are expanded to float32 the way TF.js does on load
 * ({@code min + scale * q} for {@code uint8} and {@code uint16}, IEEE half for {@code float16}).
 */
public final class TfjsWeights {

    /**
     * One weight.
     *
     * @param name the manifest's name ({@code layer/kernel})
     * @param shape its shape as TensorFlow lays it out (a convolution kernel is HWIO)
     * @param values its values, row-major, float32
     */
    public record Weight(String name, int[] shape, float[] values) {}

    private TfjsWeights() {}

    /**
     * Reads every weight the manifest lists.
     *
     * @param dir the model folder, which holds the shards the manifest names
     * @param manifest the model.json's {@code weightsManifest}
     * @throws IOException when a shard is missing or shorter than its weights, a path leaves the
     *     folder, or a dtype or quantisation is not supported (named in the message)
     */
    public static Map<String, Weight> read(Path dir, JsonNode manifest) throws IOException {
        Map<String, Weight> weights = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            ByteBuffer bytes = groupBytes(dir, group.path("paths"));
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText();
                int[] shape = new int[w.path("shape").size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.path("shape").get(i).asInt();
                    count *= shape[i];
                }
                float[] values = decode(bytes, name, w.path("dtype").asText("float32"), w.path("quantization"),
                        Math.toIntExact(count));
                weights.put(name, new Weight(name, shape, values));
            }
        }
        return weights;
    }

    private static ByteBuffer groupBytes(Path dir, JsonNode paths) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (JsonNode p : paths) {
            Path shard = dir.resolve(p.asText()).normalize();
            if (!shard.startsWith(dir.normalize())) {
                throw new IOException("weight shard '" + p.asText() + "' lies outside the model folder");
            }
            if (!Files.isRegularFile(shard)) {
                throw new IOException("the manifest names weight shard '" + p.asText() + "', which " + dir
                        + " does not have");
            }
            all.write(Files.readAllBytes(shard));
        }
        return ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static float[] decode(ByteBuffer bytes, String name, String dtype, JsonNode q, int count)
            throws IOException {
        // int32 weights are the graph constants a converted graph leaves in the manifest (face-api's SSD): read, as
        // integers, so that the topology can read past them by name
        boolean integer = "int32".equals(dtype);
        if (!"float32".equals(dtype) && !integer) {
            throw new IOException("weight " + name + " has dtype " + dtype + "; only float32 (and int32 constants) are supported");
        }
        String stored = q.isMissingNode() ? "float32" : q.path("dtype").asText();
        int width = switch (stored) {
            case "float32" -> 4;
            case "uint16", "float16" -> 2;
            case "uint8" -> 1;
            default -> throw new IOException("weight " + name + " is quantised as " + stored
                    + "; supported: uint8, uint16 (affine min/scale) and float16");
        };
        if (bytes.remaining() < (long) count * width) {
            throw new IOException("the shards end inside weight " + name + " (" + count + " values of " + width
                    + " bytes, " + bytes.remaining() + " bytes left)");
        }
        float[] out = new float[count];
        double min = q.path("min").asDouble(0);
        double scale = q.path("scale").asDouble(1);
        for (int i = 0; i < count; i++) {
            out[i] = switch (stored) {
                case "float32" -> integer ? bytes.getInt() : bytes.getFloat();
                case "float16" -> halfToFloat(bytes.getShort());
                // TF.js dequantises in float32: min + scale * q, rounded once.
                case "uint16" -> (float) (min + scale * (bytes.getShort() & 0xffff));
                default -> (float) (min + scale * (bytes.get() & 0xff));
            };
            if (integer) {
                out[i] = Math.round(out[i]); // TF.js: Math.round(min + scale * q) for a quantised int32
            }
        }
        return out;
    }

    /** IEEE 754 binary16 to float (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
