package io.imageworker.training.ood;

import io.imageworker.datasets.Mnist;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.GlyphVector;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/**
 * Digits as people really send them, generated deterministically: a printed digit (one of the
 * given fonts) or a handwritten one (an MNIST digit, scaled up) on a page of paper or on a dark
 * screen, with margins, uneven light, paper grain, blur and sensor noise, stored in one of the
 * forms files come in (8-bit or 16-bit grey, RGB, RGB or grey with alpha, a JPEG round trip).
 * The detector's rule is fitted on one such set (other fonts, MNIST training digits, another seed)
 * and judged on another; every image carries its true label.
 */
public final class RealDigits {

    /** How an image is stored, as a file would hold it. */
    public enum Storage {
        /** 8-bit grey. */
        GREY8,
        /** 16-bit grey, samples spanning the full 16 bits. */
        GREY16,
        /** 8-bit RGB, paper and ink slightly tinted. */
        RGB,
        /** RGB with an opaque alpha channel. */
        RGB_ALPHA,
        /** Ink only, on a transparent canvas (alpha carries the digit, colours are flat). */
        TRANSPARENT,
        /** 8-bit RGB through a JPEG encoder at quality 0.6-0.95. */
        JPEG
    }

    /**
     * One generated digit.
     *
     * @param label the digit drawn, 0-9
     * @param printed true for a font glyph, false for a handwritten (MNIST) digit
     * @param darkOnLight true for ink on paper, false for a light digit on a dark ground
     * @param storage how the image is stored
     * @param image the picture as a user would upload it
     */
    public record Sample(int label, boolean printed, boolean darkOnLight, Storage storage, BufferedImage image) {

        /** A short name saying what the image is, for messages and file names. */
        public String describe() {
            return (printed ? "printed" : "handwritten") + "-" + (darkOnLight ? "dark-on-light" : "light-on-dark") + "-"
                    + storage.name().toLowerCase(java.util.Locale.ROOT) + "-" + label;
        }
    }

    private final List<Font> fonts;
    private final Mnist handwriting;

    /**
     * @param fonts fonts the printed digits are drawn with (at least one)
     * @param handwriting digits the handwritten ones are taken from (their labels are kept)
     * @throws IllegalArgumentException when there is no font or no digit
     */
    public RealDigits(List<Font> fonts, Mnist handwriting) {
        if (fonts.isEmpty() || handwriting.count() == 0) {
            throw new IllegalArgumentException("real digits need at least one font and one handwritten digit");
        }
        this.fonts = List.copyOf(fonts);
        this.handwriting = handwriting;
    }

    /** {@code n} digits from {@code seed}: the same arguments give the same images. */
    public List<Sample> generate(long seed, int n) {
        Random r = new Random(seed);
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sample(r));
        }
        return out;
    }

    /** One digit: half printed, half handwritten; three in four dark on light. */
    Sample sample(Random r) {
        boolean printed = r.nextBoolean();
        boolean darkOnLight = r.nextInt(4) != 0;
        Storage storage = Storage.values()[r.nextInt(Storage.values().length)];
        int side = 28 + r.nextInt(100);
        int w = side + (r.nextBoolean() ? r.nextInt(side / 3 + 1) : 0);
        int h = side + (r.nextBoolean() ? r.nextInt(side / 3 + 1) : 0);
        float[] ink = new float[w * h];
        int label;
        // the digit's height as a share of the shorter side: tight crops to wide margins
        float scale = 0.45f + 0.4f * r.nextFloat();
        if (printed) {
            label = r.nextInt(10);
            glyph(ink, w, h, fonts.get(r.nextInt(fonts.size())), Character.forDigit(label, 10), scale, r);
        } else {
            int i = r.nextInt(handwriting.count());
            label = handwriting.label(i);
            paste(ink, w, h, handwriting.image(i), scale, r);
        }
        if (r.nextInt(3) == 0) {
            blur(ink, w, h);
        }
        BufferedImage image = storage == Storage.TRANSPARENT ? transparent(ink, w, h, r)
                : render(ink, w, h, darkOnLight, storage, r);
        return new Sample(label, printed, darkOnLight || storage == Storage.TRANSPARENT, storage, image);
    }

    /** Draws {@code digit} in {@code font}, its ink box {@code scale} of the shorter side, at a random place. */
    private static void glyph(float[] ink, int w, int h, Font font, char digit, float scale, Random r) {
        BufferedImage g = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D gr = g.createGraphics();
        try {
            gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            gr.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            gr.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            Font probe = font.deriveFont(100f);
            Rectangle2D box = probe.createGlyphVector(gr.getFontRenderContext(), String.valueOf(digit)).getVisualBounds();
            float size = 100f * scale * Math.min(w, h) / (float) box.getHeight();
            Font f = font.deriveFont(size);
            GlyphVector gv = f.createGlyphVector(gr.getFontRenderContext(), String.valueOf(digit));
            Rectangle2D b = gv.getVisualBounds();
            double x = (w - b.getWidth()) * (0.3 + 0.4 * r.nextDouble()) - b.getX();
            double y = (h - b.getHeight()) * (0.3 + 0.4 * r.nextDouble()) - b.getY();
            gr.setColor(java.awt.Color.WHITE);
            gr.drawGlyphVector(gv, (float) x, (float) y);
        } finally {
            gr.dispose();
        }
        WritableRaster raster = g.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ink[y * w + x] = raster.getSample(x, y, 0) / 255f;
            }
        }
    }

    /** Scales a 28x28 MNIST digit (bilinear) so its 20-pixel box is {@code scale} of the shorter side. */
    private static void paste(float[] ink, int w, int h, float[] digit, float scale, Random r) {
        int s = Math.max(28, Math.round(Math.min(w, h) * scale * 28 / 20f));
        int ox = (int) ((w - s) * (0.3 + 0.4 * r.nextDouble()));
        int oy = (int) ((h - s) * (0.3 + 0.4 * r.nextDouble()));
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int tx = ox + x;
                int ty = oy + y;
                if (tx < 0 || ty < 0 || tx >= w || ty >= h) {
                    continue;
                }
                float fx = Math.max(0, Math.min(27, (x + 0.5f) * 28 / s - 0.5f));
                float fy = Math.max(0, Math.min(27, (y + 0.5f) * 28 / s - 0.5f));
                int x0 = (int) fx;
                int y0 = (int) fy;
                int x1 = Math.min(27, x0 + 1);
                int y1 = Math.min(27, y0 + 1);
                float ax = fx - x0;
                float ay = fy - y0;
                float v = (1 - ay) * ((1 - ax) * digit[y0 * 28 + x0] + ax * digit[y0 * 28 + x1])
                        + ay * ((1 - ax) * digit[y1 * 28 + x0] + ax * digit[y1 * 28 + x1]);
                ink[ty * w + tx] = Math.max(ink[ty * w + tx], v);
            }
        }
    }

    /** A 3x3 box blur: an out-of-focus phone photo or a soft scan. */
    private static void blur(float[] ink, int w, int h) {
        float[] src = ink.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                            s += src[yy * w + xx];
                            n++;
                        }
                    }
                }
                ink[y * w + x] = s / n;
            }
        }
    }

    /**
     * Paper (or a dark ground) and ink levels with uneven light across the page, grain and sensor
     * noise, stored as {@code storage} says.
     */
    private static BufferedImage render(float[] ink, int w, int h, boolean darkOnLight, Storage storage, Random r) {
        // levels in [0, 1]: paper 0.7-1 with ink 0-0.35, or a dark ground 0-0.25 with light ink 0.7-1
        float ground = darkOnLight ? 0.7f + 0.3f * r.nextFloat() : 0.25f * r.nextFloat();
        float inkLevel = darkOnLight ? 0.35f * r.nextFloat() : 0.7f + 0.3f * r.nextFloat();
        float light = 0.12f * r.nextFloat();
        double angle = r.nextDouble() * 2 * Math.PI;
        float grain = 0.03f * r.nextFloat();
        float[] tint = {1f, 1f, 1f};
        if (storage == Storage.RGB || storage == Storage.RGB_ALPHA || storage == Storage.JPEG) {
            for (int c = 0; c < 3; c++) {
                tint[c] = 0.92f + 0.08f * r.nextFloat();
            }
        }
        boolean grey16 = storage == Storage.GREY16;
        BufferedImage out = switch (storage) {
            case GREY8 -> new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            case GREY16 -> new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
            case RGB_ALPHA -> new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            default -> new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        };
        WritableRaster raster = out.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // light falls off across the page in one direction
                float across = (float) (((x - w / 2.0) * Math.cos(angle) + (y - h / 2.0) * Math.sin(angle)) / Math.max(w, h));
                float bg = ground - light * across + (float) (r.nextGaussian() * grain);
                float a = ink[y * w + x];
                float v = bg * (1 - a) + inkLevel * a;
                if (grey16) {
                    raster.setSample(x, y, 0, Math.round(clamp(v) * 65535));
                } else if (out.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                    raster.setSample(x, y, 0, Math.round(clamp(v) * 255));
                } else {
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        rgb = (rgb << 8) | Math.round(clamp(v * tint[c]) * 255);
                    }
                    out.setRGB(x, y, 0xff000000 | rgb);
                }
            }
        }
        return storage == Storage.JPEG ? jpeg(out, 0.6f + 0.35f * r.nextFloat()) : out;
    }

    /** White or black ink whose shape lives in alpha, on a fully transparent canvas. */
    private static BufferedImage transparent(float[] ink, int w, int h, Random r) {
        int colour = r.nextBoolean() ? 0xffffff : 0;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = Math.round(clamp(ink[y * w + x]) * 255);
                out.setRGB(x, y, (a << 24) | colour);
            }
        }
        return out;
    }

    /** {@code image} written as a JPEG at {@code quality} and read back, as a phone would store it. */
    static BufferedImage jpeg(BufferedImage image, float quality) {
        try {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
            ImageWriter writer = writers.next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (var stream = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(stream);
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(quality);
                writer.write(null, new IIOImage(image, null, null), p);
            } finally {
                writer.dispose();
            }
            return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG round trip in memory failed", e);
        }
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
