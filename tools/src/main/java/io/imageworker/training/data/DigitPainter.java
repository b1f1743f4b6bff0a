package io.imageworker.training.data;

import io.imageworker.datasets.Mnist;
import io.imageworker.imaging.Box;

/**
 * Draws MNIST digits, scaled, onto a square canvas of floats in [0, 1]: the building block of the
 * segmentation scenes and the localization canvases. Plain Java, deterministic.
 *
 * <p>Digits are composited with {@code max}, and each canvas pixel remembers which digit put the
 * most ink there, so overlapping digits get per-pixel owners.
 */
public final class DigitPainter {

    /** A pixel with at least this much ink belongs to a digit; less is background. */
    public static final float INK = 0.5f;

    private DigitPainter() {}

    /**
     * Renders digit {@code index} of {@code digits} at {@code size x size} pixels (bilinear) into a
     * fresh array, row-major.
     */
    public static float[] scaled(Mnist digits, int index, int size) {
        float[] src = digits.image(index);
        float[] out = new float[size * size];
        float scale = Mnist.SIDE / (float) size;
        for (int y = 0; y < size; y++) {
            float sy = (y + 0.5f) * scale - 0.5f;
            for (int x = 0; x < size; x++) {
                float sx = (x + 0.5f) * scale - 0.5f;
                out[y * size + x] = bilinear(src, Mnist.SIDE, sx, sy);
            }
        }
        return out;
    }

    /** Bilinear sample of a square plane at a fractional position; zero outside. */
    static float bilinear(float[] plane, int side, float x, float y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = x - x0;
        float fy = y - y0;
        return (1 - fy) * ((1 - fx) * at(plane, side, x0, y0) + fx * at(plane, side, x0 + 1, y0))
                + fy * ((1 - fx) * at(plane, side, x0, y0 + 1) + fx * at(plane, side, x0 + 1, y0 + 1));
    }

    private static float at(float[] plane, int side, int x, int y) {
        return x < 0 || y < 0 || x >= side || y >= side ? 0f : plane[y * side + x];
    }

    /** Box of the pixels of a {@code size x size} patch with at least {@link #INK}, offset by (x, y); null if none. */
    public static Box inkBox(float[] patch, int size, int x, int y) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                if (patch[r * size + c] >= INK) {
                    minX = Math.min(minX, c);
                    maxX = Math.max(maxX, c);
                    minY = Math.min(minY, r);
                    maxY = Math.max(maxY, r);
                }
            }
        }
        return maxX < 0 ? null : new Box(x + minX, y + minY, x + maxX + 1, y + maxY + 1);
    }

    /**
     * Composites a patch into the canvas at (x, y) with {@code max}; where the patch brings more ink
     * than any digit before it, {@code owner} takes {@code id} and {@code ownerInk} the patch's ink.
     * The patch must lie inside the canvas.
     */
    public static void paint(float[] canvas, int side, float[] patch, int size, int x, int y, int id, int[] owner,
            float[] ownerInk) {
        for (int r = 0; r < size; r++) {
            int row = (y + r) * side + x;
            for (int c = 0; c < size; c++) {
                float v = patch[r * size + c];
                int p = row + c;
                if (v > canvas[p]) {
                    canvas[p] = v;
                }
                if (owner != null && v > ownerInk[p]) {
                    ownerInk[p] = v;
                    owner[p] = id;
                }
            }
        }
    }

    /** A well-mixed 64-bit seed for item {@code index} of a set seeded by {@code seed} (SplitMix64). */
    public static long itemSeed(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
