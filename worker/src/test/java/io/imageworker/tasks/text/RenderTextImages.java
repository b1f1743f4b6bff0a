package io.imageworker.tasks.text;

import io.imageworker.testing.SystemDeps;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Renders the text task's test images (src/test/resources/text) with Java AWT; run once by a
 * developer, the images are committed (see SOURCES.md there):
 * {@code java -cp target/test-classes:target/classes io.imageworker.tasks.text.RenderTextImages src/test/resources/text}.
 * The texts are the ground truth the tests assert. DejaVu Sans comes from the fonts the tests ship
 * ({@link SystemDeps#font(String)}); Liberation Sans (sign, rotated, page) is not shipped (SIL OFL), so
 * re-rendering those three needs Debian's {@code fonts-liberation2} installed
 * ({@link SystemDeps#requireSystemFont(String)} says so when it is not). Tests use only the texts
 * and {@link #canvas}/{@link #font}, never the Liberation fonts.
 */
public final class RenderTextImages {

    /** DejaVu Sans, shipped in src/test/resources/fonts. */
    static final Path DEJAVU = SystemDeps.font("DejaVuSans.ttf");
    /** DejaVu Sans Bold, shipped in src/test/resources/fonts. */
    static final Path DEJAVU_BOLD = SystemDeps.font("DejaVuSans-Bold.ttf");
    /** Liberation Sans, relative to the system's font folder (fonts-liberation2; not shipped, SIL OFL). */
    static final String LIBERATION = "liberation2/LiberationSans-Regular.ttf";
    /** Liberation Sans Bold, relative to the system's font folder (fonts-liberation2; not shipped, SIL OFL). */
    static final String LIBERATION_BOLD = "liberation2/LiberationSans-Bold.ttf";

    /** The receipt's lines, top to bottom. */
    static final String[] RECEIPT = {"Invoice 2026-0412", "Coffee beans 1kg 24.90", "Milk frother 89.00",
        "Service fee 1,120.66", "Total due: 1,234.56 EUR"};
    /** The sign's lines. */
    static final String[] SIGN = {"PLATFORM 3", "Trains to Central"};
    /** The rotated image's lines. */
    static final String[] ROTATED = {"Rotated by ten degrees", "Second line of text"};
    /** The upside-down line. */
    static final String UPSIDE_DOWN = "This line is upside down";
    /** The multi-block page: heading, left column, right column, footer. */
    static final String[][] PAGE = {{"Quarterly Report"}, {"Sales rose in", "every region", "this quarter."},
        {"Costs fell by", "four percent", "since March."}, {"Page 1 of 4"}};

    private RenderTextImages() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/text");
        ImageIO.write(receipt(), "png", dir.resolve("receipt.png").toFile());
        ImageIO.write(sign(), "png", dir.resolve("sign.png").toFile());
        jpeg(rotated(), dir.resolve("rotated.jpg").toFile());
        ImageIO.write(upsideDown(), "png", dir.resolve("upside-down.png").toFile());
        ImageIO.write(page(), "png", dir.resolve("page.png").toFile());
    }

    static Font font(Path file, float size) throws Exception {
        return Font.createFont(Font.TRUETYPE_FONT, file.toFile()).deriveFont(size);
    }

    /** A Liberation font installed by fonts-liberation2, or an error saying to install it. */
    static Font liberation(String file, float size) throws Exception {
        return font(SystemDeps.requireSystemFont(file), size);
    }

    static Graphics2D canvas(BufferedImage img, Color background) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(background);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** 420x260, dark grey DejaVu Sans 22 px on off-white, 5 lines 32 px apart; the first bold, 60 px above the rest. */
    static BufferedImage receipt() throws Exception {
        BufferedImage img = new BufferedImage(420, 260, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, new Color(250, 248, 240));
        g.setColor(new Color(30, 30, 30));
        int y = 60;
        for (int i = 0; i < RECEIPT.length; i++) {
            g.setFont(font(i == 0 ? DEJAVU_BOLD : DEJAVU, 22f));
            g.drawString(RECEIPT[i], 30, y);
            y += i == 0 ? 60 : 32;
        }
        g.dispose();
        return img;
    }

    /** 640x300, white Liberation Sans Bold 72 px and 40 px on dark blue. */
    static BufferedImage sign() throws Exception {
        BufferedImage img = new BufferedImage(640, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, new Color(20, 40, 90));
        g.setColor(new Color(245, 245, 245));
        g.setFont(liberation(LIBERATION_BOLD, 72f));
        g.drawString(SIGN[0], 60, 130);
        g.setFont(liberation(LIBERATION_BOLD, 40f));
        g.drawString(SIGN[1], 60, 220);
        g.dispose();
        return img;
    }

    /** 560x360, two lines of Liberation Sans 30 px turned 10 degrees anticlockwise about the centre; JPEG quality 0.9. */
    static BufferedImage rotated() throws Exception {
        BufferedImage img = new BufferedImage(560, 360, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, Color.WHITE);
        g.setColor(Color.BLACK);
        g.setFont(liberation(LIBERATION, 30f));
        g.setTransform(AffineTransform.getRotateInstance(Math.toRadians(-10), 280, 180));
        g.drawString(ROTATED[0], 110, 170);
        g.drawString(ROTATED[1], 110, 220);
        g.dispose();
        return img;
    }

    /** 520x140, one line of DejaVu Sans 30 px turned 180 degrees. */
    static BufferedImage upsideDown() throws Exception {
        BufferedImage img = new BufferedImage(520, 140, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, Color.WHITE);
        g.setColor(new Color(20, 20, 20));
        g.setFont(font(DEJAVU, 30f));
        g.setTransform(AffineTransform.getRotateInstance(Math.PI, 260, 70));
        g.drawString(UPSIDE_DOWN, 60, 82);
        g.dispose();
        return img;
    }

    /** 760x520: a bold heading, two columns of 3 lines, a footer; Liberation Sans. */
    static BufferedImage page() throws Exception {
        BufferedImage img = new BufferedImage(760, 520, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, Color.WHITE);
        g.setColor(Color.BLACK);
        g.setFont(liberation(LIBERATION_BOLD, 40f));
        g.drawString(PAGE[0][0], 220, 80);
        g.setFont(liberation(LIBERATION, 28f));
        for (int i = 0; i < 3; i++) {
            g.drawString(PAGE[1][i], 50, 190 + 38 * i);
            g.drawString(PAGE[2][i], 430, 190 + 38 * i);
        }
        g.setFont(liberation(LIBERATION, 22f));
        g.drawString(PAGE[3][0], 320, 470);
        g.dispose();
        return img;
    }

    static void jpeg(BufferedImage img, File file) throws Exception {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter w = writers.next();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.9f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file)) {
            w.setOutput(out);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
    }
}
