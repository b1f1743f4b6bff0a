package io.imageworker.training.ood;

import static io.imageworker.training.ood.Raster.graphics;
import static io.imageworker.training.ood.Raster.gray;
import static io.imageworker.training.ood.Raster.hsb;
import static io.imageworker.training.ood.Raster.rgb;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
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

    // --- the other groups (PhotoScenes, Patterns) -------------------------------------------

    /**
     * A photo-like outdoor scene, 60x40: sky gradient, maybe a sun, two or three ranges of hills
     * with fractal outlines and fractal shading, maybe water and trees, and sensor-like noise.
     */
    public static BufferedImage scene(Random r) {
        return PhotoScenes.scene(r);
    }

    /** A crop of {@code photo} (at least a third of each side), maybe mirrored, scaled to 60x40. */
    public static BufferedImage crop(BufferedImage photo, Random r) {
        return PhotoScenes.crop(photo, r);
    }

    /** Stripes, a checkerboard, a gradient, blobs or a dot grid, 48x48, at a random angle and scale. */
    public static BufferedImage texture(Random r) {
        return Patterns.texture(r);
    }

    /** One colour (white, black, a grey or any colour), 32x32, with at most faint sensor noise. */
    public static BufferedImage blank(Random r) {
        return Patterns.blank(r);
    }

    /** Gaussian, uniform colour, salt-and-pepper or smooth (fractal) noise, 40x40. */
    public static BufferedImage noise(Random r) {
        return Patterns.noise(r);
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
}
