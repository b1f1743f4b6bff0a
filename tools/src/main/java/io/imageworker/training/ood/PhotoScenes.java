package io.imageworker.training.ood;

import static io.imageworker.training.ood.Raster.fractal;
import static io.imageworker.training.ood.Raster.graphics;
import static io.imageworker.training.ood.Raster.hsb;
import static io.imageworker.training.ood.Raster.pack;
import static io.imageworker.training.ood.Raster.rgb;
import static io.imageworker.training.ood.Raster.sensorNoise;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * The photos group of {@link OodImages}: photo-like outdoor scenes drawn from fractal outlines and
 * shading, and crops of real photos, the kinds of picture a user most often sends by mistake.
 */
final class PhotoScenes {

    private PhotoScenes() {
    }

    /**
     * A photo-like outdoor scene, 60x40: sky gradient, maybe a sun, two or three ranges of hills
     * with fractal outlines and fractal shading, maybe water and trees, and sensor-like noise.
     */
    public static BufferedImage scene(Random r) {
        int w = 60;
        int h = 40;
        BufferedImage img = rgb(w, h);
        Graphics2D g = graphics(img);
        try {
            Color top = hsb(r, 0.52f + 0.12f * r.nextFloat(), 0.2f + 0.6f * r.nextFloat(), 0.5f + 0.5f * r.nextFloat());
            Color low = r.nextInt(4) == 0 ? hsb(r, 0.02f + 0.1f * r.nextFloat(), 0.3f + 0.5f * r.nextFloat(), 0.9f)
                    : top.brighter();
            g.setPaint(new java.awt.GradientPaint(0, 0, top, 0, h * 0.6f, low));
            g.fillRect(0, 0, w, h);
            if (r.nextBoolean()) {
                float d = 4 + 8 * r.nextFloat();
                g.setColor(hsb(r, 0.1f + 0.06f * r.nextFloat(), 0.3f + 0.7f * r.nextFloat(), 1f));
                g.fill(new Ellipse2D.Float(r.nextFloat() * w, r.nextFloat() * h * 0.4f, d, d));
            }
            int ranges = 2 + r.nextInt(2);
            for (int k = 0; k < ranges; k++) {
                float base = h * (0.35f + 0.2f * k + 0.1f * r.nextFloat());
                float[] ridge = ridge(r, w + 1, h * (0.25f - 0.05f * k));
                Path2D.Float p = new Path2D.Float();
                p.moveTo(0, h);
                for (int x = 0; x <= w; x++) {
                    p.lineTo(x, base + ridge[x]);
                }
                p.lineTo(w, h);
                p.closePath();
                float hue = r.nextInt(3) == 0 ? 0.05f + 0.08f * r.nextFloat() : 0.2f + 0.15f * r.nextFloat();
                g.setColor(hsb(r, hue, 0.3f + 0.5f * r.nextFloat(), 0.25f + 0.5f * r.nextFloat() - 0.08f * k));
                g.fill(p);
            }
            if (r.nextInt(3) == 0) { // a lake or the sea
                g.setColor(hsb(r, 0.55f + 0.1f * r.nextFloat(), 0.5f, 0.4f + 0.3f * r.nextFloat()));
                g.fillRect(0, (int) (h * (0.75f + 0.15f * r.nextFloat())), w, h);
            }
            int trees = r.nextInt(6);
            for (int t = 0; t < trees; t++) {
                float x = r.nextFloat() * w;
                float y = h * (0.6f + 0.35f * r.nextFloat());
                float th = 5 + 10 * r.nextFloat();
                g.setColor(hsb(r, 0.25f + 0.1f * r.nextFloat(), 0.6f, 0.15f + 0.25f * r.nextFloat()));
                g.fill(new Ellipse2D.Float(x - th / 4, y - th, th / 2, th));
            }
        } finally {
            g.dispose();
        }
        shade(img, r, 0.12f + 0.2f * r.nextFloat());
        sensorNoise(img, r, 2 + r.nextInt(6));
        return img;
    }

    /** A crop of {@code photo} (at least a third of each side), maybe mirrored, scaled to 60x40. */
    public static BufferedImage crop(BufferedImage photo, Random r) {
        int cw = Math.max(8, (int) (photo.getWidth() * (0.35f + 0.65f * r.nextFloat())));
        int ch = Math.max(8, (int) (photo.getHeight() * (0.35f + 0.65f * r.nextFloat())));
        int x = r.nextInt(photo.getWidth() - cw + 1);
        int y = r.nextInt(photo.getHeight() - ch + 1);
        BufferedImage out = rgb(60, 40);
        Graphics2D g = graphics(out);
        try {
            if (r.nextBoolean()) {
                g.drawImage(photo, 0, 0, 60, 40, x, y, x + cw, y + ch, null);
            } else {
                g.drawImage(photo, 60, 0, 0, 40, x, y, x + cw, y + ch, null);
            }
        } finally {
            g.dispose();
        }
        sensorNoise(out, r, r.nextInt(4));
        return out;
    }

    /** A 1-D fractal profile (midpoint displacement) of {@code n} points and amplitude about {@code amp}. */
    static float[] ridge(Random r, int n, float amp) {
        int size = 1;
        while (size < n) {
            size *= 2;
        }
        float[] v = new float[size + 1];
        v[0] = (r.nextFloat() - 0.5f) * amp;
        v[size] = (r.nextFloat() - 0.5f) * amp;
        float a = amp;
        for (int step = size; step > 1; step /= 2) {
            for (int i = step / 2; i < size; i += step) {
                v[i] = (v[i - step / 2] + v[i + step / 2]) / 2 + (r.nextFloat() - 0.5f) * a;
            }
            a *= 0.55f;
        }
        float[] out = new float[n];
        System.arraycopy(v, 0, out, 0, n);
        return out;
    }

    /** Multiplies brightness by 1 + strength x smooth fractal noise (value noise, 3 octaves). */
    static void shade(BufferedImage img, Random r, float strength) {
        float[] n = fractal(r, img.getWidth(), img.getHeight(), 3, 6);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                float f = 1 + strength * n[y * img.getWidth() + x];
                int px = img.getRGB(x, y);
                img.setRGB(x, y, pack(((px >> 16) & 0xff) * f, ((px >> 8) & 0xff) * f, (px & 0xff) * f));
            }
        }
    }
}
