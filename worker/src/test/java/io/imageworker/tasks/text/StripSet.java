package io.imageworker.tasks.text;

import io.imageworker.testing.SystemDeps;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Text in extreme shapes, rendered in memory and deterministically (fixed seeds, the fonts shipped
 * in src/test/resources/fonts): strips (subtitles, banners; 1200..4000 x 40..96 px, one line of
 * known words filling 60-95% of the width), receipts' long lines (item left, price right, 1400 x 40),
 * tall rolls (300 x 3000 and 360 x 1600: many short lines, as a till receipt) and vertical spines
 * (a book's title read top to bottom, 72 x 1600 and 96 x 2000). Each sample's text is its lines
 * top to bottom, words separated by single spaces.
 */
final class StripSet {

    /**
     * One image and what it says.
     *
     * @param name a file name for it (kind, size)
     * @param kind {@code strip}, {@code receipt-line}, {@code roll} or {@code spine}
     * @param image opaque RGB
     * @param text its lines top to bottom joined by line breaks
     */
    record Sample(String name, String kind, BufferedImage image, String text) {

        /** The image as PNG bytes. */
        byte[] png() throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        }
    }

    static final String[] WORDS = {"meet", "north", "station", "morning", "river", "garden", "market", "yellow",
        "window", "coffee", "ticket", "summer", "winter", "silver", "bridge", "harbour", "letter", "number", "orange",
        "planet", "forest", "castle", "doctor", "island", "mirror", "pocket", "rocket", "school", "travel", "valley",
        "paper", "light", "water", "green", "house", "music", "table", "train", "quiet", "happy", "stone", "cloud",
        "field", "grape", "lemon", "piano", "radio", "sugar", "tiger", "world", "after", "early", "every", "small",
        "large", "open", "close", "left", "right", "today", "night", "city", "road", "ship", "bird", "fish", "blue",
        "red", "gold", "wind", "rain", "snow", "fire", "moon", "star", "book", "door", "lamp", "milk", "bread"};

    private StripSet() {}

    /** The whole set: 9 strips, 3 receipt lines, 2 rolls, 2 spines (16 images, in this order). */
    static List<Sample> generate() throws Exception {
        List<Sample> out = new ArrayList<>();
        Color ink = new Color(20, 20, 20);
        Color white = new Color(245, 245, 245);
        out.add(strip(1, 1200, 40, "DejaVuSans.ttf", ink, new Color(252, 252, 250), false));
        out.add(strip(2, 1600, 48, "DejaVuSans-Bold.ttf", white, new Color(18, 18, 18), true));
        out.add(strip(3, 2000, 56, "DejaVuSerif.ttf", ink, new Color(250, 240, 190), false));
        out.add(strip(4, 2400, 64, "DejaVuSansCondensed-Oblique.ttf", new Color(10, 30, 80), Color.WHITE, false));
        out.add(strip(5, 2800, 72, "DejaVuSans-Bold.ttf", white, new Color(170, 20, 30), true));
        out.add(strip(6, 3200, 80, "DejaVuSerif-Italic.ttf", ink, new Color(235, 235, 235), false));
        out.add(strip(7, 3600, 88, "DejaVuSansMono.ttf", new Color(0, 90, 0), new Color(245, 250, 245), false));
        out.add(strip(8, 4000, 96, "DejaVuSerifCondensed-Bold.ttf", white, new Color(20, 50, 130), true));
        out.add(strip(9, 3000, 48, "DejaVuSans.ttf", white, new Color(40, 40, 40), false));
        for (int i = 0; i < 3; i++) {
            out.add(receiptLine(20 + i));
        }
        out.add(roll(30, 300, 3000, 18f));
        out.add(roll(31, 360, 1600, 22f));
        out.add(spine(40, 72, 1600, "DejaVuSerif.ttf", ink, new Color(230, 220, 200)));
        out.add(spine(41, 96, 2000, "DejaVuSans-Bold.ttf", white, new Color(90, 20, 20)));
        return out;
    }

    /** One line of words at about half the strip's height, filling 60-95% of its width. */
    static Sample strip(long seed, int width, int height, String font, Color fg, Color bg, boolean upper) throws Exception {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = RenderTextImages.canvas(img, bg);
        g.setFont(RenderTextImages.font(SystemDeps.font(font), height * 0.5f));
        FontMetrics fm = g.getFontMetrics();
        int margin = height / 2;
        double fill = 0.6 + 0.35 * r.nextDouble();
        String text = words(r, fm, (int) ((width - 2 * margin) * fill), upper);
        g.setColor(fg);
        g.drawString(text, margin, (height - fm.getAscent() - fm.getDescent()) / 2 + fm.getAscent());
        g.dispose();
        return new Sample(String.format(Locale.ROOT, "strip-%02d-%dx%d.png", seed, width, height), "strip", img, text);
    }

    /** A receipt's long line, 1400 x 40: an item of 2-3 words at the left, its price at the right, monospace. */
    static Sample receiptLine(long seed) throws Exception {
        Random r = new Random(seed);
        int width = 1400;
        int height = 40;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = RenderTextImages.canvas(img, new Color(250, 248, 240));
        g.setFont(RenderTextImages.font(SystemDeps.font("DejaVuSansMono.ttf"), 22f));
        FontMetrics fm = g.getFontMetrics();
        String item = String.join(" ", pick(r, 2 + r.nextInt(2), true));
        String price = String.format(Locale.ROOT, "%d.%02d", 1 + r.nextInt(300), r.nextInt(100));
        int y = (height - fm.getAscent() - fm.getDescent()) / 2 + fm.getAscent();
        g.setColor(new Color(30, 30, 30));
        g.drawString(item, 16, y);
        g.drawString(price, width - 16 - fm.stringWidth(price), y);
        g.dispose();
        return new Sample(String.format(Locale.ROOT, "receipt-line-%02d-%dx%d.png", seed, width, height), "receipt-line", img,
                item + " " + price);
    }

    /** A till roll: lines of 1-3 words and an amount, 1.7 line heights apart, down the whole height. */
    static Sample roll(long seed, int width, int height, float size) throws Exception {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = RenderTextImages.canvas(img, new Color(252, 250, 245));
        g.setFont(RenderTextImages.font(SystemDeps.font("DejaVuSans.ttf"), size));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(new Color(25, 25, 25));
        List<String> lines = new ArrayList<>();
        int step = Math.round(size * 1.7f);
        for (int y = step; y + fm.getDescent() < height - step / 2; y += step) {
            String line = String.join(" ", pick(r, 1 + r.nextInt(2), true)) + " "
                    + String.format(Locale.ROOT, "%d.%02d", 1 + r.nextInt(99), r.nextInt(100));
            g.drawString(line, 14, y);
            lines.add(line);
        }
        g.dispose();
        return new Sample(String.format(Locale.ROOT, "roll-%02d-%dx%d.png", seed, width, height), "roll", img,
                String.join("\n", lines));
    }

    /** A book's spine: one title read top to bottom (the line drawn turned 90 degrees clockwise). */
    static Sample spine(long seed, int width, int height, String font, Color fg, Color bg) throws Exception {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = RenderTextImages.canvas(img, bg);
        g.setFont(RenderTextImages.font(SystemDeps.font(font), width * 0.5f));
        FontMetrics fm = g.getFontMetrics();
        int margin = width / 2;
        String text = words(r, fm, (int) ((height - 2 * margin) * (0.6 + 0.3 * r.nextDouble())), false);
        g.setColor(fg);
        // along the spine: x' = y, y' = width - x; the baseline sits so the glyphs are centred across it
        g.setTransform(AffineTransform.getRotateInstance(Math.PI / 2));
        g.drawString(text, margin, -((width - fm.getAscent() - fm.getDescent()) / 2 + fm.getDescent()));
        g.dispose();
        return new Sample(String.format(Locale.ROOT, "spine-%02d-%dx%d.png", seed, width, height), "spine", img, text);
    }

    /** Words from {@link #WORDS}, each capitalised or upper case, until the line would pass {@code maxWidth}. */
    private static String words(Random r, FontMetrics fm, int maxWidth, boolean upper) {
        StringBuilder line = new StringBuilder();
        while (true) {
            String w = WORDS[r.nextInt(WORDS.length)];
            w = upper ? w.toUpperCase(Locale.ROOT) : Character.toUpperCase(w.charAt(0)) + w.substring(1);
            String next = line.isEmpty() ? w : line + " " + w;
            if (fm.stringWidth(next) > maxWidth && !line.isEmpty()) {
                return line.toString();
            }
            line.setLength(0);
            line.append(next);
        }
    }

    private static List<String> pick(Random r, int n, boolean capitalise) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String w = WORDS[r.nextInt(WORDS.length)];
            out.add(capitalise && i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
        }
        return out;
    }
}
