package io.imageworker.training.ood;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Java2D helpers the out-of-distribution generators share: RGB images and antialiased graphics,
 * colours, pixel packing, sensor-like and smooth fractal noise.
 */
final class Raster {

    private Raster() {
    }

    /** Adds Gaussian noise of standard deviation {@code sd} levels to each pixel, as a camera sensor would. */
    static void sensorNoise(BufferedImage img, Random r, float sd) {
        if (sd <= 0) {
            return;
        }
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int px = img.getRGB(x, y);
                float n = (float) (r.nextGaussian() * sd);
                img.setRGB(x, y, pack(((px >> 16) & 0xff) + n, ((px >> 8) & 0xff) + n, (px & 0xff) + n));
            }
        }
    }

    static int pack(float r, float g, float b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    static BufferedImage rgb(int w, int h) {
        return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        return g;
    }

    static Color gray(int v) {
        return new Color(v, v, v);
    }

    static Color hsb(Random r, float h, float s, float b) {
        return Color.getHSBColor(h, Math.max(0, Math.min(1, s)), Math.max(0, Math.min(1, b)));
    }

    static Color randomColor(Random r) {
        return new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
    }

    /** A colour whose luminance differs from {@code a} by at least 60 levels. */
    static Color contrasting(Random r, Color a) {
        float la = 0.299f * a.getRed() + 0.587f * a.getGreen() + 0.114f * a.getBlue();
        for (int i = 0; i < 50; i++) {
            Color c = randomColor(r);
            float lc = 0.299f * c.getRed() + 0.587f * c.getGreen() + 0.114f * c.getBlue();
            if (Math.abs(lc - la) >= 60) {
                return c;
            }
        }
        return la > 128 ? Color.BLACK : Color.WHITE;
    }

    /** Smooth noise in about [-1, 1]: value noise on a {@code cell}-pixel grid, {@code octaves} octaves. */
    static float[] fractal(Random r, int w, int h, int octaves, int cell) {
        float[] out = new float[w * h];
        float amp = 1;
        for (int o = 0; o < octaves && cell >= 1; o++, cell = Math.max(1, cell / 2), amp *= 0.5f) {
            int gw = w / cell + 2;
            int gh = h / cell + 2;
            float[] grid = new float[gw * gh];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = r.nextFloat() * 2 - 1;
            }
            for (int y = 0; y < h; y++) {
                float fy = y / (float) cell;
                int y0 = (int) fy;
                float ty = smooth(fy - y0);
                for (int x = 0; x < w; x++) {
                    float fx = x / (float) cell;
                    int x0 = (int) fx;
                    float tx = smooth(fx - x0);
                    float a = grid[y0 * gw + x0] * (1 - tx) + grid[y0 * gw + x0 + 1] * tx;
                    float b = grid[(y0 + 1) * gw + x0] * (1 - tx) + grid[(y0 + 1) * gw + x0 + 1] * tx;
                    out[y * w + x] += amp * (a * (1 - ty) + b * ty);
                }
            }
        }
        return out;
    }

    static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }
}
