package io.imageworker.training.ood;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generators of images that are not digits, by group: photo-like scenes, textures, letters and
 * text, blank images and noise. Each takes a {@link Random}, so a seed names an image; the images
 * are full-size pictures (tens of pixels a side, RGB) that callers feed through the worker's own
 * {@link io.imageworker.imaging.Preprocessor}, as a user's upload would be.
 *
 * <p>Plain Java2D; letters need TrueType font files, given by the caller (no font is needed at run
 * time: the evaluation set is committed as PNG files).
 */
public final class OodImages {

    /** The groups of the out-of-distribution set, in report order. */
    public enum Group {
        PHOTOS("photos"), TEXTURES("textures"), LETTERS("letters-text"), BLANK("blank"), NOISE("noise");

        /** Name used in file names, metrics and the docs (docs/tasks/classify.md). */
        public final String id;

        Group(String id) {
            this.id = id;
        }

        /** The group called {@code id}. */
        public static Group of(String id) {
            for (Group g : values()) {
                if (g.id.equals(id)) {
                    return g;
                }
            }
            throw new IllegalArgumentException("no OOD group '" + id + "'");
        }
    }

    /**
     * Letters whose usual glyphs are also usual ways of writing a digit (O/0, l/1, Z/2, S/5, b/6,
     * B/8, g/9 ...): left out, because a model that answers "0" for an O is not confidently wrong.
     */
    public static final String DIGIT_LIKE = "OoQDIlijJ|ZzSsBGbgqT";
    /** Letters drawn one per image. */
    public static final String LETTERS;

    static {
        StringBuilder b = new StringBuilder();
        for (char c = 'A'; c <= 'Z'; c++) {
            b.append(c).append(Character.toLowerCase(c));
        }
        StringBuilder kept = new StringBuilder();
        for (char c : b.toString().toCharArray()) {
            if (DIGIT_LIKE.indexOf(c) < 0) {
                kept.append(c);
            }
        }
        LETTERS = kept.toString();
    }

    private static final String[] WORDS = {"invoice", "total", "name", "date", "page", "hello", "street", "paid",
        "order", "report", "the", "and", "image", "worker", "batch", "photo", "label", "scan", "note", "draft",
        "Kafka", "model", "result", "check", "field", "city", "river", "green", "table", "copy"};

    private final List<Font> fonts;

    /** @param fonts fonts for the letters group (may be empty when no letters are drawn) */
    public OodImages(List<Font> fonts) {
        this.fonts = fonts;
    }

    /** Loads TrueType fonts from files. */
    public static List<Font> fonts(List<Path> files) throws IOException {
        List<Font> out = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                out.add(Font.createFont(Font.TRUETYPE_FONT, in));
            } catch (FontFormatException e) {
                throw new IOException("not a TrueType font: " + f, e);
            }
        }
        return out;
    }

    /** One image of {@code group}. */
    public BufferedImage draw(Group group, Random r) {
        return switch (group) {
            case PHOTOS -> scene(r);
            case TEXTURES -> texture(r);
            case LETTERS -> r.nextInt(3) == 0 ? text(r) : letter(r);
            case BLANK -> blank(r);
            case NOISE -> noise(r);
        };
    }

    // --- photos -----------------------------------------------------------------------------

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

    private static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }

    // --- textures ---------------------------------------------------------------------------

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

    // --- letters and text -------------------------------------------------------------------

    /** One letter (not digit-like) in a random font, 48x48, size, place and a slight rotation random. */
    public BufferedImage letter(Random r) {
        char c = LETTERS.charAt(r.nextInt(LETTERS.length()));
        return glyphs(String.valueOf(c), 48, 48, 0.45f + 0.4f * r.nextFloat(), 1f, r, true);
    }

    /**
     * One letter framed as MNIST frames a digit: light on dark, 28x28, its ink box 20 px high and
     * centred, no rotation. The hardest kind for input statistics: only the model can tell it.
     */
    public BufferedImage framedLetter(Random r) {
        char c = LETTERS.charAt(r.nextInt(LETTERS.length()));
        return glyphs(String.valueOf(c), 28, 28, 20 / 28f, 0f, r, false);
    }

    /** A word or two (any letters), 96x40. */
    public BufferedImage text(Random r) {
        String t = WORDS[r.nextInt(WORDS.length)];
        if (r.nextBoolean()) {
            t = t + " " + WORDS[r.nextInt(WORDS.length)];
        }
        return glyphs(t, 96, 40, 0.9f, 1f, r, true);
    }

    /**
     * Draws {@code s} so that its ink box fills {@code fill} of the image (of the height for one
     * letter, of the width for text), dark on light or light on dark.
     */
    private BufferedImage glyphs(String s, int w, int h, float fill, float jitter, Random r, boolean anyColours) {
        if (fonts.isEmpty()) {
            throw new IllegalStateException("the letters group needs fonts");
        }
        Font font = fonts.get(r.nextInt(fonts.size())).deriveFont(Font.PLAIN, 100f);
        BufferedImage img = rgb(w, h);
        Color bg = !anyColours ? Color.BLACK : r.nextInt(4) == 0 ? gray(r.nextInt(60)) : gray(190 + r.nextInt(66));
        Color ink = !anyColours ? Color.WHITE : bg.getRed() > 128 ? gray(r.nextInt(80)) : gray(180 + r.nextInt(76));
        if (anyColours && r.nextInt(4) == 0) { // coloured ink
            ink = bg.getRed() > 128 ? hsb(r, r.nextFloat(), 0.8f, 0.5f) : hsb(r, r.nextFloat(), 0.5f, 1f);
        }
        Graphics2D g = graphics(img);
        try {
            g.setColor(bg);
            g.fillRect(0, 0, w, h);
            FontRenderContext frc = g.getFontRenderContext();
            GlyphVector gv = font.createGlyphVector(frc, s);
            Rectangle2D box = gv.getVisualBounds();
            double scale = s.length() == 1 ? fill * h / box.getHeight() : Math.min(fill * w / box.getWidth(), 0.8 * h / box.getHeight());
            double dx = (w - box.getWidth() * scale) / 2 + (r.nextFloat() - 0.5f) * w * 0.15 * jitter;
            double dy = (h - box.getHeight() * scale) / 2 + (r.nextFloat() - 0.5f) * h * 0.15 * jitter;
            AffineTransform at = new AffineTransform();
            at.rotate((r.nextFloat() - 0.5f) * 0.3 * jitter, w / 2.0, h / 2.0);
            at.translate(dx, dy);
            at.scale(scale, scale);
            at.translate(-box.getX(), -box.getY());
            g.setColor(ink);
            g.fill(at.createTransformedShape(gv.getOutline()));
        } finally {
            g.dispose();
        }
        return img;
    }

    // --- blank and noise --------------------------------------------------------------------

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

    // --- helpers ----------------------------------------------------------------------------

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

    private static int pack(float r, float g, float b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    private static BufferedImage rgb(int w, int h) {
        return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        return g;
    }

    private static Color gray(int v) {
        return new Color(v, v, v);
    }

    private static Color hsb(Random r, float h, float s, float b) {
        return Color.getHSBColor(h, Math.max(0, Math.min(1, s)), Math.max(0, Math.min(1, b)));
    }

    private static Color randomColor(Random r) {
        return new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
    }

    /** A colour whose luminance differs from {@code a} by at least 60 levels. */
    private static Color contrasting(Random r, Color a) {
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
}
