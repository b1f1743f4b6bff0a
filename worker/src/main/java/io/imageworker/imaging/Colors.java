package io.imageworker.imaging;

import java.awt.image.BufferedImage;

/** Colour maps for artifacts people look at: a class palette and a heat scale, and blending. */
public final class Colors {

    /** Class colours: index 0 (background) transparent-black, then well separated hues. */
    private static final int[] PALETTE = {
        0x000000, 0xE6194B, 0x3CB44B, 0xFFE119, 0x4363D8, 0xF58231, 0x911EB4, 0x42D4F4, 0xF032E6, 0xBFEF45,
        0xFABED4, 0x469990, 0xDCBEFF, 0x9A6324, 0xFFFAC8, 0x800000, 0xAAFFC3, 0x808000, 0xFFD8B1, 0x000075
    };

    private Colors() {}

    /** The RGB of class {@code c}. */
    public static int classColor(int c) {
        return PALETTE[c % PALETTE.length];
    }

    /** Hex of class {@code c}'s colour, for legends. */
    public static String classHex(int c) {
        return String.format("#%06X", classColor(c));
    }

    /** A blue-to-red "jet"-like heat colour for {@code v} in [0, 1]. */
    public static int heat(float v) {
        float x = Math.max(0f, Math.min(1f, v));
        float r = clamp(1.5f - Math.abs(4f * x - 3f));
        float g = clamp(1.5f - Math.abs(4f * x - 2f));
        float b = clamp(1.5f - Math.abs(4f * x - 1f));
        return ((int) (r * 255) << 16) | ((int) (g * 255) << 8) | (int) (b * 255);
    }

    /** A heat-coloured image of {@code values} in [0, 1]. */
    public static BufferedImage heatmap(float[] values, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < values.length; i++) {
            img.setRGB(i % width, i / width, heat(values[i]));
        }
        return img;
    }

    /**
     * {@code base} with {@code colors} blended over it; {@code alpha[i]} is the weight of the colour at
     * pixel i (0 keeps the base).
     */
    public static BufferedImage blend(BufferedImage base, int[] colors, float[] alpha) {
        BufferedImage rgb = Preprocessor.flatten(base);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int p = rgb.getRGB(x, y);
                float a = alpha[i];
                int c = colors[i];
                int r = mix((p >> 16) & 0xff, (c >> 16) & 0xff, a);
                int g = mix((p >> 8) & 0xff, (c >> 8) & 0xff, a);
                int b = mix(p & 0xff, c & 0xff, a);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    private static int mix(int a, int b, float t) {
        return Math.round(a * (1 - t) + b * t);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
