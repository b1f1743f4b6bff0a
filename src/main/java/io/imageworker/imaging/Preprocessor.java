package io.imageworker.imaging;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Turns a decoded image of any type (grey, palette, 16-bit, alpha, RGB) into the tensor a model
 * takes: composited on white, converted to grey or RGB, resized, scaled to [0, 1], inverted when
 * the model wants light ink on a dark background and the image is mostly light, then normalised.
 */
public final class Preprocessor {

    /** Input spec, copied from a model card so that imaging does not depend on the models package. */
    public record Spec(int width, int height, int channels, float[] mean, float[] std, boolean lightOnDark) {}

    private Preprocessor() {}

    /** The model input for {@code image}. */
    public static ImageTensor toTensor(BufferedImage image, Spec spec) {
        BufferedImage sized = resize(flatten(image), spec.width(), spec.height());
        int w = spec.width();
        int h = spec.height();
        int plane = w * h;
        float[] out = new float[spec.channels() * plane];
        int[] rgb = sized.getRGB(0, 0, w, h, null, 0, w);
        for (int p = 0; p < plane; p++) {
            int px = rgb[p];
            float r = ((px >> 16) & 0xff) / 255f;
            float g = ((px >> 8) & 0xff) / 255f;
            float b = (px & 0xff) / 255f;
            if (spec.channels() == 1) {
                out[p] = 0.299f * r + 0.587f * g + 0.114f * b;
            } else {
                out[p] = r;
                out[plane + p] = g;
                out[2 * plane + p] = b;
            }
        }
        if (spec.lightOnDark() && borderMean(out, w, h) > 0.5f) {
            for (int i = 0; i < out.length; i++) {
                out[i] = 1f - out[i];
            }
        }
        for (int c = 0; c < spec.channels(); c++) {
            float mean = spec.mean()[Math.min(c, spec.mean().length - 1)];
            float std = spec.std()[Math.min(c, spec.std().length - 1)];
            for (int p = c * plane; p < (c + 1) * plane; p++) {
                out[p] = (out[p] - mean) / std;
            }
        }
        return new ImageTensor(out, spec.channels(), h, w);
    }

    /** Draws any image type onto opaque RGB over white (transparent pixels become white). */
    public static BufferedImage flatten(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /** Bilinear resize; returns the image itself when it already has the size. */
    public static BufferedImage resize(BufferedImage rgb, int width, int height) {
        if (rgb.getWidth() == width && rgb.getHeight() == height) {
            return rgb;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(rgb, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Mean of the first channel's outermost ring of pixels: the background's brightness. */
    static float borderMean(float[] plane, int w, int h) {
        double sum = 0;
        int n = 0;
        for (int x = 0; x < w; x++) {
            sum += plane[x] + plane[(h - 1) * w + x];
            n += 2;
        }
        for (int y = 1; y < h - 1; y++) {
            sum += plane[y * w] + plane[y * w + w - 1];
            n += 2;
        }
        return (float) (sum / n);
    }
}
