package io.imageworker.training.metrics;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Renders the generated part of the text evaluation set: English words, numbers, prices and dates
 * drawn with fonts from Debian font packages at 14-48 px, dark on light and light on dark, some
 * rotated by up to 15 degrees, blurred, JPEG-compressed, on textured backgrounds (crops of the faces
 * set's texture and scene photos), in one to three blocks. Ground truth per line: the text and the
 * 4-point polygon around its ink, carried through the rotation. The first {@link #CLEAN} images are
 * clean (upright, sharp, plain background, PNG). Degradations drawn at random for the others: rotation
 * (p 0.5, 2-15 degrees either way), Gaussian blur (p 0.4, sigma 0.6-1.6 px), JPEG (p 0.5, quality
 * 25-70), photo background (p 0.5), two or three blocks (p 0.5); at least one each.
 *
 * <p>Deterministic for a seed, the fonts and the texture photos (Java2D's rasteriser may still
 * differ by a grey level between JDK builds; labels do not depend on it beyond the ink bounds).
 * Regenerate the committed set from the repository root with the command in the set's SOURCES.md.
 */
public final class TextSetGenerator {

    /** Seed of the committed set. */
    public static final long SEED = 20261130L;
    /** Images in the committed generated set. */
    public static final int COUNT = 80;
    /** The first this many images are clean. */
    public static final int CLEAN = 24;
    /** Smallest and largest font size, pixels (the em size: capitals are about 0.7 of it). */
    public static final int MIN_PX = 14;
    public static final int MAX_PX = 48;
    /** Largest rotation, degrees. */
    public static final double MAX_ROTATION = 15;

    /** JPEG quality used to store an image on a photo background that drew no JPEG degradation itself. */
    public static final int STORE_QUALITY = 92;

    /** Font files, relative to {@code /usr/share/fonts/truetype} (Debian packages named in SOURCES.md). */
    public static final List<String> FONTS = List.of(
            "dejavu/DejaVuSans.ttf", "dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSansMono.ttf",
            "liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSerif-Regular.ttf",
            "liberation2/LiberationSans-Bold.ttf", "liberation2/LiberationMono-Regular.ttf",
            "freefont/FreeSans.ttf", "freefont/FreeSerif.ttf", "freefont/FreeMono.ttf", "freefont/FreeSerifItalic.ttf",
            "noto/NotoSans-Regular.ttf", "noto/NotoSerif-Regular.ttf", "noto/NotoSans-Bold.ttf", "noto/NotoSans-Italic.ttf");

    /** Background photos, file names under the faces set's {@code images/}. */
    public static final List<String> TEXTURES = List.of("skimage-brick.png", "skimage-grass.png", "skimage-gravel.png",
            "sklearn-china.jpg", "skimage-coffee.png", "skimage-hubble-deep-field.jpg");


    /**
     * One rendered image with its labels.
     *
     * @param image the picture as stored (after blur; before JPEG coding when {@code jpegQuality} &gt; 0)
     * @param bytes the stored file's bytes (PNG or JPEG)
     * @param label its entry of labels.json
     */
    public record Rendered(BufferedImage image, byte[] bytes, TextSet.Image label) {}

    private final List<Font> fonts;
    private final List<String> fontNames;
    private final List<BufferedImage> textures;
    private final List<String> textureNames;

    /**
     * @param fontFiles TrueType files, in {@link #FONTS} order
     * @param textureFiles background photos, in {@link #TEXTURES} order
     * @throws IOException when a file cannot be read or is not a font / image
     */
    public TextSetGenerator(List<Path> fontFiles, List<Path> textureFiles) throws IOException {
        fonts = new ArrayList<>();
        fontNames = new ArrayList<>();
        for (Path p : fontFiles) {
            try {
                fonts.add(Font.createFont(Font.TRUETYPE_FONT, p.toFile()));
                fontNames.add(p.getFileName().toString());
            } catch (FontFormatException e) {
                throw new IOException("not a TrueType font: " + p, e);
            }
        }
        textures = new ArrayList<>();
        textureNames = new ArrayList<>();
        for (Path p : textureFiles) {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IOException("not an image: " + p);
            }
            textures.add(img);
            textureNames.add(p.getFileName().toString());
        }
    }

    /** Renders image {@code index} of the set made from {@code seed}. */
    public Rendered render(long seed, int index) throws IOException {
        Random r = new Random(seed * 1_000_003L + index);
        boolean clean = index < CLEAN;
        boolean darkOnLight = clean ? index % 2 == 0 : r.nextInt(3) > 0;
        double rotation = 0;
        double blur = 0;
        int jpeg = 0;
        int texture = -1;
        int blocks = 1;
        if (!clean) {
            boolean any = false;
            while (!any) {
                rotation = r.nextDouble() < 0.5 ? (r.nextBoolean() ? 1 : -1) * (2 + r.nextDouble() * (MAX_ROTATION - 2)) : 0;
                blur = r.nextDouble() < 0.4 ? 0.6 + r.nextDouble() * 1.0 : 0;
                jpeg = r.nextDouble() < 0.5 ? 25 + r.nextInt(46) : 0;
                texture = r.nextDouble() < 0.5 ? r.nextInt(textures.size()) : -1;
                blocks = r.nextDouble() < 0.5 ? 2 + r.nextInt(2) : 1;
                any = rotation != 0 || blur > 0 || jpeg > 0 || texture >= 0 || blocks > 1;
            }
            // A photo background stored as PNG costs ~300 kB: such images are stored as light JPEG.
            jpeg = texture >= 0 && jpeg == 0 ? STORE_QUALITY : jpeg;
        } else {
            blocks = index % 4 == 3 ? 2 : 1;
        }
        FontRenderContext frc = new FontRenderContext(null, true, true);
        int margin = 12 + r.nextInt(20);
        List<Block> layout = new ArrayList<>();
        double y = margin;
        double contentWidth = 0;
        List<String> usedFonts = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            int f = r.nextInt(fonts.size());
            int px = MIN_PX + r.nextInt(MAX_PX - MIN_PX + 1);
            Font font = fonts.get(f).deriveFont((float) px);
            usedFonts.add(fontNames.get(f));
            sizes.add(px);
            int lines = 1 + r.nextInt(blocks == 1 ? 4 : 3);
            Block blk = new Block(font, new ArrayList<>(), new ArrayList<>());
            double lineHeight = font.getLineMetrics("Ag", frc).getHeight() * (1.05 + r.nextDouble() * 0.3);
            double ascent = font.getLineMetrics("Ag", frc).getAscent();
            double maxLineWidth = 680 - 2 * margin;
            for (int l = 0; l < lines; l++) {
                String text = TextLines.line(r);
                GlyphVector gv = font.createGlyphVector(frc, text);
                while (gv.getLogicalBounds().getWidth() > maxLineWidth && text.contains(" ")) {
                    text = text.substring(0, text.lastIndexOf(' '));
                    gv = font.createGlyphVector(frc, text);
                }
                blk.texts.add(text);
                blk.baselines.add(y + ascent + l * lineHeight);
                contentWidth = Math.max(contentWidth, gv.getLogicalBounds().getWidth());
            }
            y += lines * lineHeight + (b < blocks - 1 ? 10 + r.nextInt(30) : 0);
            layout.add(blk);
        }
        int w0 = (int) Math.ceil(contentWidth + 2 * margin + (blocks > 1 ? 40 + r.nextInt(80) : 0));
        int h0 = (int) Math.ceil(y + margin);
        // Each block at its own indent: multi-block layouts stay in one column, read top to bottom.
        double[] indents = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            double width = 0;
            for (String t : layout.get(b).texts) {
                width = Math.max(width, layout.get(b).font.createGlyphVector(frc, t).getLogicalBounds().getWidth());
            }
            indents[b] = margin + r.nextDouble() * Math.max(0, w0 - 2 * margin - width);
        }
        double theta = Math.toRadians(rotation);
        double cos = Math.abs(Math.cos(theta));
        double sin = Math.abs(Math.sin(theta));
        int w = (int) Math.ceil(w0 * cos + h0 * sin);
        int h = (int) Math.ceil(w0 * sin + h0 * cos);
        AffineTransform at = new AffineTransform();
        at.translate(w / 2.0, h / 2.0);
        at.rotate(theta);
        at.translate(-w0 / 2.0, -h0 / 2.0);

        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Color ink = background(img, r, darkOnLight, texture);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(ink);
        g.transform(at);
        List<TextSet.Line> lines = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            Block blk = layout.get(b);
            for (int l = 0; l < blk.texts.size(); l++) {
                GlyphVector gv = blk.font.createGlyphVector(frc, blk.texts.get(l));
                float bx = (float) indents[b];
                float by = (float) (double) blk.baselines.get(l);
                g.drawGlyphVector(gv, bx, by);
                Rectangle2D ink2 = gv.getVisualBounds();
                double x0 = bx + ink2.getX();
                double y0 = by + ink2.getY();
                double x1 = x0 + ink2.getWidth();
                double y1 = y0 + ink2.getHeight();
                double[] poly = new double[8];
                double[][] corners = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
                for (int c = 0; c < 4; c++) {
                    Point2D p = at.transform(new Point2D.Double(corners[c][0], corners[c][1]), null);
                    poly[2 * c] = Math.round(p.getX() * 10) / 10.0;
                    poly[2 * c + 1] = Math.round(p.getY() * 10) / 10.0;
                }
                lines.add(new TextSet.Line(blk.texts.get(l), poly, b, false));
            }
        }
        g.dispose();
        if (blur > 0) {
            img = Degradations.blur(img, blur);
        }
        byte[] bytes = jpeg > 0 ? Degradations.jpeg(img, jpeg) : Degradations.png(img);
        BufferedImage stored = jpeg > 0 ? ImageIO.read(new java.io.ByteArrayInputStream(bytes)) : img;
        Map<String, Object> cond = new LinkedHashMap<>();
        cond.put("fonts", usedFonts);
        cond.put("sizesPx", sizes);
        cond.put("polarity", darkOnLight ? "dark-on-light" : "light-on-dark");
        cond.put("rotationDeg", Math.round(rotation * 10) / 10.0);
        cond.put("blurSigma", Math.round(blur * 100) / 100.0);
        cond.put("jpegQuality", jpeg);
        cond.put("background", texture >= 0 ? textureNames.get(texture) : "plain");
        cond.put("blocks", blocks);
        String file = String.format(Locale.ROOT, "gen-%03d.%s", index, jpeg > 0 ? "jpg" : "png");
        return new Rendered(stored, bytes,
                new TextSet.Image(file, w, h, "generated", clean, cond, lines));
    }

    private record Block(Font font, List<String> texts, List<Double> baselines) {}

    /** Paints the background and returns the ink colour, with a contrast of at least about 120 grey levels. */
    private Color background(BufferedImage img, Random r, boolean darkOnLight, int texture) {
        int w = img.getWidth();
        int h = img.getHeight();
        int tint = r.nextInt(3);
        if (texture < 0) {
            int base = darkOnLight ? 225 + r.nextInt(31) : r.nextInt(50);
            int[] c = {base, base, base};
            c[tint] = Math.max(0, Math.min(255, base + (darkOnLight ? -15 : 25)));
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(c[0], c[1], c[2]));
            g.fillRect(0, 0, w, h);
            g.dispose();
        } else {
            BufferedImage t = textures.get(texture);
            double s = Math.max(1, Math.max((double) w / t.getWidth(), (double) h / t.getHeight()));
            int ox = r.nextInt(Math.max(1, (int) (t.getWidth() * s) - w + 1));
            int oy = r.nextInt(Math.max(1, (int) (t.getHeight() * s) - h + 1));
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    int rgb = t.getRGB(Math.min(t.getWidth() - 1, (int) ((xx + ox) / s)),
                            Math.min(t.getHeight() - 1, (int) ((yy + oy) / s)));
                    int[] c = {(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255};
                    for (int k = 0; k < 3; k++) {
                        c[k] = darkOnLight ? 148 + (int) (c[k] * 0.42) : (int) (c[k] * 0.35);
                    }
                    img.setRGB(xx, yy, (c[0] << 16) | (c[1] << 8) | c[2]);
                }
            }
        }
        int v = darkOnLight ? r.nextInt(40) : 215 + r.nextInt(41);
        int[] c = {v, v, v};
        c[r.nextInt(3)] = darkOnLight ? Math.min(255, v + 40) : Math.max(0, v - 30);
        return new Color(c[0], c[1], c[2]);
    }


    /**
     * Writes the set: {@code images/gen-NNN.png|jpg} and {@code labels.json} (the generated images
     * followed by the entries of {@code thirdparty.json} in the same folder, when present).
     *
     * <p>Arguments: the output folder (the repository's {@code src/main/resources/datasets/text}),
     * the fonts folder ({@code /usr/share/fonts/truetype}) and the faces set's images folder
     * ({@code src/main/resources/datasets/faces/images}).
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: TextSetGenerator OUT_DIR FONTS_DIR FACES_IMAGES_DIR");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Path fontDir = Path.of(args[1]);
        Path tex = Path.of(args[2]);
        TextSetGenerator gen = new TextSetGenerator(FONTS.stream().map(fontDir::resolve).toList(),
                TEXTURES.stream().map(tex::resolve).toList());
        Files.createDirectories(out.resolve("images"));
        List<TextSet.Image> images = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Rendered rd = gen.render(SEED, i);
            Files.write(out.resolve("images").resolve(rd.label().file()), rd.bytes());
            images.add(rd.label());
        }
        Path third = out.resolve("thirdparty.json");
        if (Files.exists(third)) {
            images.addAll(List.of(TextSet.JSON.readValue(Files.readAllBytes(third), TextSet.Image[].class)));
        }
        TextSet set = new TextSet("text-eval", 1, images);
        Files.write(out.resolve("labels.json"),
                TextSet.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(set));
        System.out.println("wrote " + images.size() + " images to " + out);
    }
}
