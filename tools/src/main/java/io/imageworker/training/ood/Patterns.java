package io.imageworker.training.ood;

import static io.imageworker.training.ood.Raster.contrasting;
import static io.imageworker.training.ood.Raster.fractal;
import static io.imageworker.training.ood.Raster.graphics;
import static io.imageworker.training.ood.Raster.gray;
import static io.imageworker.training.ood.Raster.pack;
import static io.imageworker.training.ood.Raster.randomColor;
import static io.imageworker.training.ood.Raster.rgb;
import static io.imageworker.training.ood.Raster.sensorNoise;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * The textures, blank and noise groups of {@link OodImages}: pictures with no shape in them at all
 * (patterns, one colour, noise), which a digit classifier still answers confidently.
 */
final class Patterns {

    private Patterns() {
    }

    /** Stripes, a checkerboard, a gradient, blobs or a dot grid, 48x48, at a random angle and scale. */
    public static BufferedImage texture(Random r) {
        int s = 48;
        BufferedImage img = rgb(s, s);
        Color a = randomColor(r);
        Color b = contrasting(r, a);
        Graphics2D g = graphics(img);
        try {
            g.setColor(a);
            g.fillRect(0, 0, s, s);
            g.rotate(r.nextDouble() * Math.PI, s / 2.0, s / 2.0);
            g.setColor(b);
            switch (r.nextInt(5)) {
                case 0 -> { // stripes
                    int period = 3 + r.nextInt(12);
                    int width = 1 + r.nextInt(Math.max(1, period - 1));
                    for (int x = -s; x < 2 * s; x += period) {
                        g.fillRect(x, -s, width, 3 * s);
                    }
                }
                case 1 -> { // checkerboard
                    int cell = 2 + r.nextInt(10);
                    for (int y = -s; y < 2 * s; y += cell) {
                        for (int x = -s; x < 2 * s; x += cell) {
                            if (((x + y) / cell & 1) == 0) {
                                g.fillRect(x, y, cell, cell);
                            }
                        }
                    }
                }
                case 2 -> { // gradient, linear or radial
                    if (r.nextBoolean()) {
                        g.setPaint(new java.awt.GradientPaint(-s / 2f, 0, a, 1.5f * s, 0, b));
                    } else {
                        g.setPaint(new java.awt.RadialGradientPaint(r.nextFloat() * s, r.nextFloat() * s,
                                s * (0.3f + r.nextFloat()), new float[] {0f, 1f}, new Color[] {b, a}));
                    }
                    g.fillRect(-s, -s, 3 * s, 3 * s);
                }
                case 3 -> { // blobs
                    int n = 4 + r.nextInt(30);
                    for (int i = 0; i < n; i++) {
                        float d = 3 + r.nextFloat() * 16;
                        g.setColor(r.nextInt(3) == 0 ? randomColor(r) : b);
                        g.fill(new Ellipse2D.Float(r.nextFloat() * s - d / 2, r.nextFloat() * s - d / 2,
                                d * (0.5f + r.nextFloat()), d));
                    }
                }
                default -> { // dots, or a grid of lines
                    int period = 4 + r.nextInt(8);
                    float d = 1 + r.nextFloat() * (period - 1);
                    boolean lines = r.nextBoolean();
                    g.setStroke(new BasicStroke(Math.max(1, d / 2)));
                    for (int y = -s; y < 2 * s; y += period) {
                        for (int x = -s; x < 2 * s; x += period) {
                            if (lines) {
                                g.drawLine(x, y, x + period, y);
                                g.drawLine(x, y, x, y + period);
                            } else {
                                g.fill(new Ellipse2D.Float(x, y, d, d));
                            }
                        }
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** One colour (white, black, a grey or any colour), 32x32, with at most faint sensor noise. */
    public static BufferedImage blank(Random r) {
        BufferedImage img = rgb(32, 32);
        Color c = switch (r.nextInt(4)) {
            case 0 -> Color.WHITE;
            case 1 -> Color.BLACK;
            case 2 -> gray(r.nextInt(256));
            default -> randomColor(r);
        };
        Graphics2D g = graphics(img);
        try {
            g.setColor(c);
            g.fillRect(0, 0, 32, 32);
        } finally {
            g.dispose();
        }
        sensorNoise(img, r, r.nextInt(3));
        return img;
    }

    /** Gaussian, uniform colour, salt-and-pepper or smooth (fractal) noise, 40x40. */
    public static BufferedImage noise(Random r) {
        int s = 40;
        BufferedImage img = rgb(s, s);
        int kind = r.nextInt(4);
        float density = 0.01f + 0.3f * r.nextFloat();
        float mean = 40 + 175 * r.nextFloat();
        float sd = 20 + 60 * r.nextFloat();
        float[] smooth = kind == 3 ? fractal(r, s, s, 4, 2 + r.nextInt(8)) : null;
        int paper = r.nextBoolean() ? 255 : 0;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int px = switch (kind) {
                    case 0 -> {
                        float v = (float) (mean + sd * r.nextGaussian());
                        yield pack(v, v, v);
                    }
                    case 1 -> pack(r.nextInt(256), r.nextInt(256), r.nextInt(256));
                    case 2 -> {
                        int v = r.nextFloat() < density ? 255 - paper : paper;
                        yield pack(v, v, v);
                    }
                    default -> {
                        float v = 128 + 127 * smooth[y * s + x];
                        yield pack(v, v, v);
                    }
                };
                img.setRGB(x, y, px);
            }
        }
        return img;
    }
}
